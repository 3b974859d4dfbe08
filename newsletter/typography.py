"""French typography in an issue file: where the rules apply, what the check says, and `check --fix`.

The rules themselves are newsletter.french's, so the draft, the fixer and the check can never
disagree. This module says where they apply in a Markdown issue: the body outside fenced code
and HTML comments (a code span, an address, a link target are left alone by the rules), and the
text values of the front matter (title, subject, preheader): a key is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from newsletter.errors import IssueError
from newsletter.french import TypographyFault, french_typography
from newsletter.frontmatter import split_front_matter
from newsletter.i18n import _, ngettext

# The front matter keys whose values are text the reader sees (the email's title, subject and
# preheader); `date` and `number` are not text, and no key is ever changed.
FRONT_TEXT_KEYS = ("title", "subject", "preheader")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MAX_FAULTS_SHOWN = 6


class TextPart(NamedTuple):
    """A stretch of one line where the rules apply, between parts left as they are."""

    line: int  # 1-based line of the file
    head: str  # left alone (the end of an HTML comment)
    text: str
    tail: str  # left alone (the start of an HTML comment, the line ending)
    key: str | None = None  # the front matter key, for a value


def _ending(line: str) -> tuple[str, str]:
    stripped = line.rstrip("\r\n")
    return stripped, line[len(stripped) :]


def body_text_parts(lines: list[str], first_line: int, *, hide_comments: bool = True) -> Iterator[TextPart]:
    """The text of the body (from 1-based `first_line`), outside fenced code and HTML comments
    (`hide_comments=False` keeps the comments, for the check that reports them)."""
    fence: str | None = None
    in_comment = False
    for number in range(first_line, len(lines) + 1):
        line, ending = _ending(lines[number - 1])
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if not in_comment:
            opening = _FENCE.match(line)
            if opening:
                fence = opening.group(1)
                continue
        if not hide_comments:
            yield TextPart(number, "", line, ending)
            continue
        head, position = "", 0
        if in_comment:
            end = line.find("-->")
            if end < 0:
                continue
            head, position, in_comment = line[: end + 3], end + 3, False
        # A comment opened and not closed on this line hides the rest of it (and what follows);
        # comments closed on the line are left alone by the rules themselves.
        search = position
        while (start := line.find("<!--", search)) >= 0:
            close = line.find("-->", start + 4)
            if close < 0:
                in_comment = True
                break
            search = close + 3
        text_end = start if in_comment else len(line)
        yield TextPart(number, head, line[position:text_end], line[text_end:] + ending)


def front_line_numbers(lines: list[str], last_line: int) -> dict[str, int]:
    """The 1-based line of each top-level key of the front matter (lines 2 to `last_line`)."""
    found: dict[str, int] = {}
    for number in range(2, min(last_line, len(lines)) + 1):
        match = re.match(r"([A-Za-z_][A-Za-z0-9_]*):", lines[number - 1])
        if match:
            found.setdefault(match.group(1), number)
    return found


def front_text_parts(lines: list[str], values: Mapping[str, object], last_line: int) -> Iterator[TextPart]:
    """The text values of the front matter (FRONT_TEXT_KEYS), each on its key's line."""
    numbers = front_line_numbers(lines, last_line)
    for key in FRONT_TEXT_KEYS:
        value = values.get(key)
        if isinstance(value, str) and key in numbers:
            yield TextPart(numbers[key], "", value, "", key)


def excerpt(text: str, start: int, end: int, *, reach: int = 24) -> str:
    """The words around text[start:end]: from the space before to the space after (ASCII spaces),
    cut with '…' past `reach` characters."""
    space = text.rfind(" ", 0, start)
    left = max(space + 1, start - reach)
    space = text.find(" ", end)
    right = min(len(text) if space < 0 else space, end + reach)
    cut_left = "…" if left > 0 and text[left - 1] != " " else ""
    cut_right = "…" if right < len(text) and text[right] != " " else ""
    return cut_left + text[left:right] + cut_right


def describe_faults(text: str, faults: list[TypographyFault]) -> str:
    """One line for the check: every fault of a line, each with its words and what to write."""
    shown = [
        _("“{words}” needs {advice}").format(words=excerpt(text, f.column, f.column + len(f.found)), advice=f.advice)
        for f in faults[:MAX_FAULTS_SHOWN]
    ]
    more = len(faults) - len(shown)
    if more:
        shown.append(ngettext("and {count} more", "and {count} more", more).format(count=more))
    listed = shown[0]
    for fault in shown[1:]:  # the separator is the language's: French puts a narrow no-break space before ';'
        listed = _("{faults}; {fault}").format(faults=listed, fault=fault)
    return _("French typography: {faults}. `newsletter check --fix` fixes this").format(faults=listed)


class LineChange(NamedTuple):
    """A line `fix_issue_text` changed: its number and its text before and after (no line ending)."""

    line: int
    before: str
    after: str


@dataclass(frozen=True)
class FixResult:
    """The fixed text of an issue and what changed; `backup` is set once the file is written."""

    text: str
    changes: tuple[LineChange, ...]
    backup: Path | None = None


def _fixed_part(part: TextPart, apostrophes: bool) -> str:
    return part.head + french_typography(part.text, apostrophes=apostrophes) + part.tail


def fix_issue_text(source: str, path: Path, *, apostrophes: bool) -> FixResult:
    """`source` with the French rules applied wherever the check looks: the same parts, the same rules.

    A front matter value that changes is written back as `key: "…"` (JSON's double quotes are
    YAML's); IssueError when the front matter cannot be read.
    """
    data, _body, body_line = split_front_matter(source, path)
    lines = source.splitlines(keepends=True)
    changes: list[LineChange] = []
    for part in body_text_parts(lines, body_line):
        fixed = _fixed_part(part, apostrophes)
        before = part.head + part.text + part.tail
        if fixed != before:
            lines[part.line - 1] = fixed
            changes.append(LineChange(part.line, _ending(before)[0], _ending(fixed)[0]))
    for part in front_text_parts(lines, data, body_line - 1):
        fixed = french_typography(part.text, apostrophes=apostrophes)
        if fixed != part.text:
            before, ending = _ending(lines[part.line - 1])
            after = f"{part.key}: {json.dumps(fixed, ensure_ascii=False)}"
            candidate = lines.copy()
            candidate[part.line - 1] = after + ending
            # A value written over several lines is left as it is: rewriting its first line alone
            # would change the YAML; the check still names it.
            try:
                reread, _rest, _line = split_front_matter("".join(candidate), path)
            except IssueError:
                continue
            if reread.get(str(part.key)) == fixed and len(reread) == len(data):
                lines = candidate
                changes.append(LineChange(part.line, before, after))
    changes.sort()
    return FixResult("".join(lines), tuple(changes))


def fix_issue_file(path: Path, *, apostrophes: bool, now: dt.datetime) -> FixResult:
    """`newsletter check --fix`: rewrite the issue file with the French rules (atomically).

    The file is copied first to `<name>.bak-YYYYmmdd-HHMMSS` (never over another backup); an
    unchanged file is neither copied nor written.
    """
    from newsletter.fsutil import backup_copy, write_atomic
    from newsletter.issue import read_issue_text

    source = read_issue_text(path)
    result = fix_issue_text(source, path, apostrophes=apostrophes)
    if not result.changes:
        return result
    hint = _("check that you may write in {folder}, or delete old {name}.bak-* files").format(folder=path.parent, name=path.name)
    backup = backup_copy(path, now, hint=hint)
    bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
    write_atomic(path, bom + result.text, hint=hint)
    return FixResult(result.text, result.changes, backup)


def change_excerpts(before: str, after: str, *, reach: int = 24) -> list[tuple[str, str]]:
    """The changed words of a line, before and after: one pair per word (or run of words) changed."""
    from difflib import SequenceMatcher

    groups: list[list[int]] = []  # [i1, i2, j1, j2] of changes with no ASCII space between them
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if groups:
            space = before.find(" ", groups[-1][1])
            if space < 0 or i1 <= space:
                groups[-1][1], groups[-1][3] = i2, j2
                continue
        groups.append([i1, i2, j1, j2])
    pairs: list[tuple[str, str]] = []
    for i1, i2, j1, j2 in groups:
        # The words around a change are the same on both sides (no other change reaches them).
        left = max(before.rfind(" ", 0, i1) + 1, i1 - reach, 0)
        space = before.find(" ", i2)
        right = min(len(before) if space < 0 else space, i2 + reach)
        cut_left = "…" if left > 0 and before[left - 1] != " " else ""
        cut_right = "…" if right < len(before) and before[right] != " " else ""
        pairs.append((cut_left + before[left:right] + cut_right, cut_left + after[j1 - (i1 - left) : j2 + (right - i2)] + cut_right))
    return pairs
