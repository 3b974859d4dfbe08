"""The actor-map snapshot: which elements were seen, validated, and when they last changed.

One human-readable JSON file in the state folder, written atomically after the draft. It keeps
the *baseline* a month was drafted against, so drafting the same month again (a merge or
`--force`) announces the same new actors instead of none.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from newsletter.draft.statefile import CorruptStateFile, read_state_file
from newsletter.fsutil import write_atomic
from newsletter.i18n import _

SNAPSHOT_NAME = "actor-map.json"
FORMAT = "newsletter/actor-map-snapshot/1"


@dataclass(frozen=True)
class SeenElement:
    """What the snapshot remembers of one element."""

    status: int
    updated: str = ""  # updatedAt as the API gave it (compare as aware datetimes elsewhere)
    validated: bool = False  # ever seen with status >= 1
    name: str = ""


Elements = dict[str, SeenElement]


class Snapshot(BaseModel):
    """The file's content: the month last drafted, its baseline, and the latest view of the map."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    format: Literal["newsletter/actor-map-snapshot/1"]
    month: str = ""
    baseline: Elements | None = None  # None: the month was drafted on a first run (no earlier snapshot)
    current: Elements = {}


_FILE = TypeAdapter(Snapshot)


def load_snapshot(path: Path, warnings: list[str]) -> Snapshot | None:
    """The snapshot, or None when there is none; a corrupt file is reported and treated as absent."""
    try:
        return read_state_file(path, _FILE)
    except CorruptStateFile as exc:
        reason = _("not an actor-map snapshot") if "'format'" in exc.reason else exc.reason
        warnings.append(_("the actor-map snapshot {path} is corrupt ({reason}); it is rebuilt, as on a first run").format(path=path, reason=reason))
        return None


def baseline_for(snapshot: Snapshot | None, month: str, *, unsent: Collection[str] = ()) -> Elements | None:
    """The elements to compare against when drafting `month` (None: first run).

    A snapshot left by the draft of a month in `unsent` (a draft never sent, newer than the
    previous issue) announced its new actors to nobody: compare against what that draft
    compared against, so they are still new.
    """
    if snapshot is None:
        return None
    return snapshot.baseline if snapshot.month == month or snapshot.month in unsent else snapshot.current


def save_snapshot(path: Path, *, month: str, baseline: Elements | None, current: Elements) -> None:
    """Write the snapshot atomically (after the draft itself was written)."""
    def dump(elements: Elements | None) -> dict[str, object] | None:
        if elements is None:
            return None
        return {
            key: {"status": seen.status, "updated": seen.updated, "validated": seen.validated, "name": seen.name}
            for key, seen in sorted(elements.items())
        }

    payload = {"format": FORMAT, "month": month, "baseline": dump(baseline), "current": dump(current)}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
