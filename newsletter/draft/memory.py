"""The draft memory: what each month's draft proposed, and when it fetched its sources.

One human-readable JSON file in the state folder, `state/drafts.json`, written atomically after
the draft itself:

    {"2026-12": {"proposed": ["https://ex.org/a", ...], "updated_at": "2026-11-25T14:02:00+01:00",
                 "fetched_at": "2026-11-25T14:02:00+01:00", "window_start": "2026-11-10T00:00:00+01:00",
                 "sources": {"Mobiscol": "2026-11-25T14:02:00+01:00", ...}}}

It serves three rules. Re-drafting a month never brings back an item the editor deleted
(`proposed`). An item proposed in an earlier month's draft and no longer in that month's file
was deleted by the editor: it never comes back in a later month either (`deleted_keys`). The
next issue's window starts when the previous issue's draft last fetched its sources, per source
(`sources`; a source that failed then starts where that draft's own window started), so nothing
published between that draft and the send is lost (`window_after`).

A corrupt file is reported and rebuilt (every month then starts with an empty list, so items the
editor deleted may come back once). Files written before `fetched_at` existed still work: their
`updated_at` (the last run that proposed something) is an earlier, safe start.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from newsletter.draft.selection import link_key
from newsletter.draft.statefile import CorruptStateFile, read_state_file
from newsletter.fsutil import write_atomic
from newsletter.i18n import _

DRAFT_MEMORY_NAME = "drafts.json"


@dataclass(frozen=True)
class MonthMemory:
    """One month's draft: the canonical URLs it proposed (in order), and its fetches."""

    proposed: tuple[str, ...]
    updated_at: str = ""
    fetched_at: str = ""  # the last run's fetch
    window_start: str = ""  # where the last run's window started
    sources: dict[str, str] = field(default_factory=dict)  # source name -> its last successful fetch

    def keys(self) -> set[str]:
        """The comparison keys (`url_key`) of the proposed URLs."""
        return {link_key(url) for url in self.proposed}


DraftMemory = dict[str, MonthMemory]
_FILE = TypeAdapter(DraftMemory)  # extra keys of an entry are ignored


def load_draft_memory(path: Path, warnings: list[str]) -> DraftMemory:
    """Every month's proposed links; {} when the file is absent, or corrupt (then with a warning)."""
    try:
        return read_state_file(path, _FILE) or {}
    except CorruptStateFile as exc:
        warnings.append(
            _("the draft memory {path} is corrupt ({reason}); it is rebuilt, so deleted items may come back once").format(path=path, reason=exc.reason)
        )
        return {}


def extend_month(memory: DraftMemory, month: str, urls: Iterable[str], *, now: dt.datetime, fresh: bool = False) -> bool:
    """Add `urls` to the month's list (start it afresh when `fresh`); True when the list changed."""
    before = memory.get(month)
    kept = [] if fresh or before is None else list(before.proposed)
    known = {link_key(url) for url in kept}
    for url in urls:
        key = link_key(url)
        if key not in known:
            known.add(key)
            kept.append(url)
    if before is not None and tuple(kept) == before.proposed:
        return False
    memory[month] = MonthMemory(
        tuple(kept),
        now.isoformat(timespec="seconds"),
        before.fetched_at if before else "",
        before.window_start if before else "",
        dict(before.sources) if before else {},
    )
    return True


def record_fetch(memory: DraftMemory, month: str, *, fetched_at: dt.datetime, window_start: dt.datetime, sources: Iterable[str]) -> None:
    """Note that `month`'s draft fetched `sources` (the ones that did not fail) at `fetched_at`."""
    before = memory.get(month) or MonthMemory(())
    stamp = fetched_at.isoformat(timespec="seconds")
    fetched = dict(before.sources) | dict.fromkeys(sources, stamp)
    memory[month] = MonthMemory(before.proposed, before.updated_at, stamp, window_start.isoformat(timespec="seconds"), fetched)


def _moment(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


@dataclass(frozen=True)
class Window:
    """Where the next draft's window starts, after the previous month's draft (`window_after`)."""

    fetched_at: dt.datetime  # that draft's last fetch (capped by the previous issue's date)
    by_source: dict[str, dt.datetime] = field(default_factory=dict)  # each source's last successful fetch
    default: dt.datetime | None = None  # sources that draft never fetched: where its own window started

    def since(self, source: str) -> dt.datetime:
        """The window start of one source."""
        return self.by_source.get(source) or self.default or self.fetched_at

    def start(self, sources: Iterable[str]) -> dt.datetime:
        """The earliest start of `sources` (the report; the actor map's first run)."""
        return min([self.fetched_at, *(self.since(name) for name in sources)])


def window_after(memory: DraftMemory, month: str, *, not_after: dt.datetime | None) -> Window | None:
    """The window after `month`'s draft: from its last fetch (per source), never after `not_after`.

    `not_after` is the previous issue's date: a draft re-run after the send must not move the
    start past what the readers got. None when the memory holds no fetch of that month.
    """
    record = memory.get(month)
    if record is None:
        return None
    fetched = _moment(record.fetched_at) or _moment(record.updated_at)
    if fetched is None:
        return None

    def capped(moment: dt.datetime) -> dt.datetime:
        return min(moment, not_after) if not_after is not None else moment

    by_source = {name: capped(moment) for name, value in record.sources.items() if (moment := _moment(value)) is not None}
    earlier = _moment(record.window_start)
    return Window(capped(fetched), by_source, capped(earlier) if earlier is not None else None)


def deleted_keys(memory: DraftMemory, links: Mapping[str, set[str]], *, skip: Collection[str]) -> set[str]:
    """The links the editor deleted from other months' drafts: proposed there, gone from the file.

    `links` maps each issue file's stem to the keys of its links; a month without a file, and
    the months in `skip` (this one; drafts that were never sent), delete nothing.
    """
    deleted: set[str] = set()
    for month, record in memory.items():
        if month in skip or month not in links:
            continue
        deleted |= record.keys() - links[month]
    return deleted


def save_draft_memory(path: Path, memory: DraftMemory) -> None:
    """Write the file atomically (after the draft itself was written), months in order."""
    payload = {}
    for month, entry in sorted(memory.items()):
        item: dict[str, object] = {"proposed": list(entry.proposed), "updated_at": entry.updated_at}
        if entry.fetched_at:
            item |= {"fetched_at": entry.fetched_at, "window_start": entry.window_start, "sources": dict(sorted(entry.sources.items()))}
        payload[month] = item
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
