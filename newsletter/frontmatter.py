"""An issue's front matter: the YAML block between two '---' lines, read and validated.

The lines `newsletter draft` writes (`key: "text"`, `key: 2026-12-08`, `key: 36`) are read
without PyYAML (~20 ms of import); anything else goes to a safe PyYAML loader that leaves dates
as text (so the validation names the key) and refuses alias bombs.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from newsletter import formats
from newsletter.errors import IssueError
from newsletter.i18n import N_, _, ngettext
from newsletter.validation import Schema, SchemaError, describe_errors, rule
from newsletter.validation import field as schema_field

FRONT_MATTER_FENCE = "---"
# Lengths, in characters, that the check enforces and the draft's placeholders ask for (one place,
# so that they cannot disagree): inboxes cut a longer subject; a preheader outside the range is
# either padded by the inbox with the email's first words or cut.
SUBJECT_MAX = 78
PREHEADER_MIN, PREHEADER_MAX = 40, 130
# Front matter has no use for many YAML aliases (*name); a few nested ones expand exponentially
# (a 600-byte "billion laughs" gave a 72 MB error message), so more than this is refused.
MAX_ALIASES = 10

@cache
def _front_matter_loader() -> type:
    """Safe YAML that leaves dates as text, so the validation checks them and names the key.

    PyYAML's own date resolver raises a bare ValueError for 2026-11-31.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, pattern) for tag, pattern in by_first if tag != "tag:yaml.org,2002:timestamp"]
        for first, by_first in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return type("_FrontMatterLoader", (base,), {"yaml_implicit_resolvers": resolvers})


# The front matter as `newsletter draft` writes it and editors keep it: `key: "text"` (no
# backslash or quote inside), `key: 2026-12-08`, `key: 36`. Read without PyYAML (~20 ms of
# import); anything else goes to PyYAML, which gives the same values for these lines.
_SIMPLE_LINE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):[ \t]+(?:"([^"\\]*)"|(\d{4}-\d{2}-\d{2})|(0|[1-9][0-9]*))[ \t]*$')


# The characters PyYAML refuses in a stream (the complement of yaml/reader.py's printable set,
# written as what it excludes: the negated form takes ~5 ms to compile); left to it to report.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _simple_front_matter(block: str) -> dict[str, object] | None:
    if _NON_PRINTABLE.search(block):
        return None
    data: dict[str, object] = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        match = _SIMPLE_LINE.match(line)
        if match is None:
            return None
        key, text, day, number = match.groups()
        data[key] = int(number) if number is not None else (text if text is not None else day)
    return data


def _load_yaml(block: str, path: Path) -> object:
    import yaml

    try:
        _refuse_many_aliases(block, path)
        return yaml.load(block, Loader=_front_matter_loader())  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        # The context mark is where the broken construct began, which is the line to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        problem = getattr(exc, "problem", None) or _("invalid YAML")
        raise _YamlProblem(line, str(problem)) from None


def _refuse_many_aliases(block: str, path: Path) -> None:
    """IssueError when the YAML uses more than MAX_ALIASES aliases, before anything is expanded.

    The C loader composes aliases out of reach of a subclass, so its events are counted first
    (only when the block has a '*' at all: a front matter is a few lines).
    """
    if "*" not in block:
        return
    import yaml

    aliases = 0
    for event in yaml.parse(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 2 if event.start_mark is not None else 2
                raise IssueError(
                    _("{path}:{line}: the front matter uses more than {limit} YAML aliases (*name)").format(
                        path=path, line=line, limit=formats.integer(MAX_ALIASES)
                    ),
                    hint=_("write each value out in full: title, subject, preheader, date and number need no aliases"),
                )


class _YamlProblem(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


_TEXT = N_("text; put it between double quotes")


class FrontMatter(Schema):
    """The YAML block at the top of an issue file."""

    title: str = schema_field(default="", metadata=rule(expected=_TEXT))
    subject: str = schema_field(metadata=rule(min_length=1, expected=N_("the email's subject line, as text between double quotes")))
    preheader: str = schema_field(default="", metadata=rule(expected=_TEXT))
    date: dt.date = schema_field(metadata=rule(expected=N_("a real date written YYYY-MM-DD, for example 2026-12-08")))
    number: int | None = schema_field(default=None, metadata=rule(ge=1))


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    """Split '---' YAML front matter from the body; returns (data, body, first body line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise IssueError(
            _("{path}:1: the file must start with front matter between two '---' lines").format(path=path),
            hint=_("begin the file with ---, then subject:, date: …, then --- on its own line"),
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            block = "".join(lines[1:index])
            break
    else:
        raise IssueError(
            _("{path}:1: the front matter is not closed").format(path=path),
            hint=_("add a line with only --- after the last front matter key"),
        )
    try:
        data = (_simple_front_matter(block) or _load_yaml(block, path)) if block.strip() else {}
    except _YamlProblem as exc:
        raise IssueError(
            _("{path}:{line}: the front matter is not valid YAML ({problem})").format(path=path, line=exc.line, problem=exc.problem),
            hint=_('put text containing ":" or "#" between double quotes'),
        ) from None
    if not isinstance(data, dict):
        raise IssueError(_("{path}:2: the front matter must be 'key: value' lines").format(path=path), hint=_('for example: subject: "…"'))
    return data, "".join(lines[index + 1 :]), index + 2


def _key_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.strip() == FRONT_MATTER_FENCE:
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


def parse_front_matter(data: dict[str, object], path: Path, text: str = "") -> FrontMatter:
    """Validate the front matter; IssueError names each bad key with its line."""
    try:
        return FrontMatter.model_validate(data)
    except SchemaError as exc:
        errors = exc.errors()
    problems = []
    for error, words in zip(errors, describe_errors(errors, name=lambda key: _("front matter key '{key}'").format(key=key)), strict=True):
        line = _key_line(text, ".".join(str(p) for p in error.get("loc", ())))
        problems.append(f"{path}:{line}: {words}" if line else f"{path}: {words}")
    count = len(problems)
    raise IssueError(
        ngettext("{path}: the front matter has {n} problem", "{path}: the front matter has {n} problems", count).format(path=path, n=formats.integer(count)),
        problems=problems,
        hint=_("the keys are title, subject, preheader, date (YYYY-MM-DD) and number; subject and date are required"),
    ) from None
