"""The render stage: Markdown -> Issue -> MJML -> HTML, the checks, and the plain-text part."""
