"""`state/publish.json`: for each target, the files this tool published there and their SHA-256.

Kept in the state rather than on the server: a publish with nothing changed needs no connection
at all (and `--dry-run` never needs one), the site gets no file of ours, and a Git target's
history is not cluttered. The manifest only ever lags behind the server (a file is recorded once
it arrived whole), so the worst a lost manifest costs is sending everything again; and what it
lists is exactly what a publish may remove, so files put there by someone else are never touched.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from newsletter.fsutil import write_atomic
from newsletter.i18n import _

logger = logging.getLogger(__name__)

MANIFEST = "publish.json"
VERSION = 1

Files = dict[str, str]  # path relative to the site -> sha256 hex


def _valid(files: object) -> bool:
    return isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())


def load_manifest(state_dir: Path) -> dict[str, Files]:
    """Target (as displayed, no password) -> its files; an unreadable manifest reads as empty (all is sent again)."""
    path = state_dir / MANIFEST
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning(_("{path} is unreadable ({reason}): every file is sent again, and none is removed from the server").format(path=path, reason=type(exc).__name__))
        return {}
    targets = raw.get("targets") if isinstance(raw, dict) and raw.get("version") == VERSION else None
    if not isinstance(targets, dict):
        logger.warning(_("{path} is not a manifest of this version: every file is sent again, and none is removed from the server").format(path=path))
        return {}
    return {target: dict(files) for target, files in targets.items() if isinstance(target, str) and _valid(files)}


def save_manifest(state_dir: Path, targets: dict[str, Files]) -> None:
    """Write the manifest whole (a temporary file, then a rename)."""
    body = {"version": VERSION, "targets": {t: dict(sorted(f.items())) for t, f in sorted(targets.items())}}
    write_atomic(state_dir / MANIFEST, json.dumps(body, indent=1, ensure_ascii=False) + "\n")
