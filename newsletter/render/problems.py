"""What a check finds (a Problem, error or warning, on a Markdown line) and what the checks read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from newsletter.issue import Issue
from newsletter.render.images import LocalImage


class Level(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding of a check; `line` is the line of the Markdown issue when known."""

    level: Level
    code: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class CheckInput:
    """What the checks look at: the issue, both parts, and the placeholders allowed."""

    issue: Issue
    source: str  # the issue file's text
    html: str
    text: str
    unsubscribe: str
    allowed_placeholders: frozenset[str]
    apostrophes: bool = False  # [typography] apostrophe = "typographic": a straight ' is a fault
    local_images: tuple[LocalImage, ...] = ()  # images written as files (render/images.py)


def error(code: str, message: str, line: int | None = None) -> Problem:
    """An error-level Problem: `check` fails and `send` refuses."""
    return Problem(Level.error, code, message, line)


def warning(code: str, message: str, line: int | None = None) -> Problem:
    """A warning-level Problem: shown, and `send` shows it before asking to go ahead."""
    return Problem(Level.warning, code, message, line)
