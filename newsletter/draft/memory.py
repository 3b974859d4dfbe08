"""The draft memory: what each month's draft has already proposed, so re-drafting never brings
back deleted items.

One human-readable JSON file in the state folder, `state/drafts.json`, written atomically after
the draft itself:

    {"2026-12": {"proposed": ["https://ex.org/a", ...], "updated_at": "2026-12-01T09:30:00+01:00"}}

A corrupt file is reported and rebuilt (every month then starts with an empty list, so items the
editor deleted may come back once).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from newsletter.draft.selection import link_key
from newsletter.draft.statefile import CorruptStateFile, read_state_file
from newsletter.fsutil import write_atomic

DRAFT_MEMORY_NAME = "drafts.json"


@dataclass(frozen=True)
class MonthMemory:
    """The canonical URLs proposed for one month, in the order they were first proposed."""

    proposed: tuple[str, ...]
    updated_at: str = ""

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
        warnings.append(f"the draft memory {path} is corrupt ({exc.reason}); it is rebuilt, so deleted items may come back once")
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
    memory[month] = MonthMemory(tuple(kept), now.isoformat(timespec="seconds"))
    return True


def save_draft_memory(path: Path, memory: DraftMemory) -> None:
    """Write the file atomically (after the draft itself was written), months in order."""
    payload = {
        month: {"proposed": list(entry.proposed), "updated_at": entry.updated_at}
        for month, entry in sorted(memory.items())
    }
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
