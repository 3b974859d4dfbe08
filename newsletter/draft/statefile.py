"""The one way the draft stage reads its JSON state files (drafts.json, actor-map.json).

Each file is validated straight from its bytes by a pydantic TypeAdapter (extra keys ignored);
whatever is wrong with it comes back as one `CorruptStateFile` with the reason in plain words,
which the caller turns into its own warning (both files are rebuilt when corrupt).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from newsletter import validation
from newsletter.i18n import _

T = TypeVar("T")


class CorruptStateFile(Exception):
    """The file exists but cannot be used; `reason` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe_error(error: Mapping[str, Any]) -> str:
    """A validation error in words (validation.describe_error), or why the bytes are not JSON."""
    if error["type"] == "json_invalid":
        return _("not JSON: {reason}").format(reason=error.get("ctx", {}).get("error", error["msg"]))
    if not error["loc"]:
        return _("not an object of the expected form")
    return validation.describe_error(error)


def read_state_file(path: Path, adapter: TypeAdapter[T]) -> T | None:
    """The file validated by `adapter`; None when there is no file. Raises CorruptStateFile."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CorruptStateFile(_("cannot read it: {reason}").format(reason=exc.strerror or exc)) from None
    try:
        return adapter.validate_json(data)
    except ValidationError as exc:
        raise CorruptStateFile(describe_error(exc.errors()[0])) from None
