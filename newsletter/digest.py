"""An issue's digest for the year's report: its items by section and the map's size, kept at send time."""

from __future__ import annotations

from pathlib import Path

from newsletter.campaigns import DigestItem, IssueDigest
from newsletter.config import Settings
from newsletter.issue import Issue


def map_actor_count(state_dir: Path) -> int | None:
    """Validated actors in the map snapshot the last draft saved (None: no snapshot, or unreadable)."""
    from newsletter.draft.snapshot import SNAPSHOT_NAME, load_snapshot

    snapshot = load_snapshot(state_dir / SNAPSHOT_NAME, [])
    if snapshot is None or not snapshot.current:
        return None
    return sum(1 for element in snapshot.current.values() if element.status >= 1)


def issue_digest(settings: Settings, issue: Issue) -> IssueDigest:
    """The items of `issue` (section, title, link, meta line) and the map's size now."""
    items = [
        DigestItem(section_id=section.id, section=section.title, title=item.title, url=item.url, meta=item.meta)
        for section in issue.sections
        for item in section.items
    ]
    return IssueDigest(subject=issue.front.subject, items=items, map_actors=map_actor_count(settings.state_dir))
