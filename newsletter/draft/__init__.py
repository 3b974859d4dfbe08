"""The draft stage: the month's window, the choice of feed items and actors, the draft memory, and the Markdown skeleton merged into issues/YYYY-MM.md."""
