"""The actor-map snapshot: which elements were seen, validated, and when they last changed.

One human-readable JSON file in the state folder, written atomically after the draft. It keeps
the *baseline* a month was drafted against, so drafting the same month again (a merge or
`--force`) announces the same new actors instead of none.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from newsletter.fsutil import write_atomic

logger = logging.getLogger(__name__)

SNAPSHOT_NAME = "actor-map.json"
FORMAT = "newsletter/actor-map-snapshot/1"


@dataclass(frozen=True)
class SeenElement:
    """What the snapshot remembers of one element."""

    status: int
    updated: str  # updatedAt as the API gave it (compare as aware datetimes elsewhere)
    validated: bool  # ever seen with status >= 1
    name: str = ""


Elements = dict[str, SeenElement]


@dataclass(frozen=True)
class Snapshot:
    """The file's content: the month last drafted, its baseline, and the latest view of the map."""

    month: str
    baseline: Elements | None  # None: the month was drafted on a first run (no earlier snapshot)
    current: Elements


def _elements(raw: object) -> Elements:
    if not isinstance(raw, dict):
        raise ValueError("elements must be an object")
    out: Elements = {}
    for key, value in raw.items():
        if not isinstance(value, dict):
            raise ValueError(f"element {key!r} is not an object")
        out[str(key)] = SeenElement(
            status=int(value["status"]),
            updated=str(value.get("updated", "")),
            validated=bool(value.get("validated", False)),
            name=str(value.get("name", "")),
        )
    return out


def load_snapshot(path: Path, warnings: list[str]) -> Snapshot | None:
    """The snapshot, or None when there is none; a corrupt file is reported and treated as absent."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not an actor-map snapshot")
        baseline = data.get("baseline")
        return Snapshot(
            month=str(data.get("month", "")),
            baseline=None if baseline is None else _elements(baseline),
            current=_elements(data.get("current", {})),
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        warnings.append(f"the actor-map snapshot {path} is corrupt ({exc}); it is rebuilt, as on a first run")
        return None


def baseline_for(snapshot: Snapshot | None, month: str) -> Elements | None:
    """The elements to compare against when drafting `month` (None: first run)."""
    if snapshot is None:
        return None
    return snapshot.baseline if snapshot.month == month else snapshot.current


def save_snapshot(path: Path, *, month: str, baseline: Elements | None, current: Elements) -> None:
    """Write the snapshot atomically (after the draft itself was written)."""
    def dump(elements: Elements | None) -> dict[str, object] | None:
        return None if elements is None else {key: asdict(value) for key, value in sorted(elements.items())}

    payload = {"format": FORMAT, "month": month, "baseline": dump(baseline), "current": dump(current)}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
