"""French rules: typographic spacing (the fixer and the check share one rule set), and dates in words.

Pure functions; Babel is imported only for a date in another language than French.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

NBSP = "\u00a0"  # before ':' and inside « »
NNBSP = "\u202f"  # narrow no-break space, before ; ! ?

# Left alone: web and e-mail addresses (their ':' '?' ';' '!' are syntax, not punctuation), and
# in Markdown, link targets '](…)', autolinks '<…>', code spans and the '[label]:' of a link
# reference definition (the draft's comments are written `[//]: # "…"`).
_URL = r"(?:https?|ftp|mailto|file):\S+|www\.\S+"
_EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
_UNTOUCHED = re.compile(rf"^ {{0,3}}\[[^\]]+\]:|\]\([^)]*\)|<(?:{_URL})>|`[^`]*`|{_URL}|(?P<email>{_EMAIL})", re.I | re.M)
# Cheap test for "_UNTOUCHED cannot match": none of the characters or words any of its branches needs.
_MAY_BE_UNTOUCHED = re.compile(r"[@`\[\]<]|(?:https?|ftp|mailto|file):|www\.", re.I)
# What may follow a mark for it to be punctuation: a space, the end, another mark, a closing sign.
_AFTER = r"(?=[\s;:!?.,)\]»\"'’…]|$)"
# What a mark may be glued to: a word, a closing sign, a quote.
_GLUED = r"([\w»)\]…’'\"])"


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    replacement: str
    space: str  # the space the rule puts in
    side: str  # "before" or "after" the mark


# The French spacing rules, applied in this order by the fixer and searched by the check.
_RULES = (
    _Rule(re.compile(r"[ \t]+([;!?])" + _AFTER), NNBSP + r"\1", NNBSP, "before"),
    _Rule(re.compile(_GLUED + r"([;!?])" + _AFTER), r"\1" + NNBSP + r"\2", NNBSP, "before"),
    _Rule(re.compile(r"[ \t\u202f]+(:)" + _AFTER), NBSP + r"\1", NBSP, "before"),
    _Rule(re.compile(_GLUED + r"(:)(?=\s|$)"), r"\1" + NBSP + r"\2", NBSP, "before"),
    _Rule(re.compile(r"(«)(?!\u00a0)[ \t\u202f]*"), r"\1" + NBSP, NBSP, "after"),
    _Rule(re.compile(r"(?<!\u00a0)[ \t\u202f]*(»)"), NBSP + r"\1", NBSP, "before"),
)
# The mark(s) each rule needs in the text to change anything.
_RULE_MARKS = (";!?", ";!?", ":", ":", "«", "»")
# A word character put in front of the text after an e-mail address, so that a mark glued to
# the address ("contact@ex.org!") is seen as glued to a word; it is taken off again.
_GLUE = "x"


class TypographyFault(NamedTuple):
    """A mark of `french_spacing`'s rules that lacks its space: which mark, where, which space."""

    mark: str
    column: int  # 0-based index of the mark in the line
    side: str  # the space goes "before" or "after" the mark
    space: str  # NBSP or NNBSP

    @property
    def advice(self) -> str:
        name = "a narrow no-break space (U+202F)" if self.space == NNBSP else "a no-break space (U+00A0, Option+Space)"
        return f"put {name} {self.side} '{self.mark}'"


def _segments(text: str) -> list[tuple[int, str, bool]]:
    """(start, text, follows an e-mail address) for each stretch outside _UNTOUCHED."""
    if not _MAY_BE_UNTOUCHED.search(text):
        # Most titles and summaries: _UNTOUCHED's e-mail branch costs a scan of each word.
        return [(0, text, False)]
    out: list[tuple[int, str, bool]] = []
    position = 0
    after_email = False
    for match in _UNTOUCHED.finditer(text):
        out.append((position, text[position : match.start()], after_email))
        after_email = match.group("email") is not None
        position = match.end()
    out.append((position, text[position:], after_email))
    return out


def _fix(segment: str, after_email: bool) -> str:
    glued = _GLUE + segment if after_email else segment
    for rule, marks in zip(_RULES, _RULE_MARKS, strict=True):
        if any(mark in glued for mark in marks):  # a rule whose mark is absent changes nothing
            glued = rule.pattern.sub(rule.replacement, glued)
    return glued[len(_GLUE) :] if after_email else glued


def french_spacing(text: str) -> str:
    """`text` with French spacing: U+202F before ; ! ?, U+00A0 before : and inside « ».

    A plain space is replaced, a missing one added; URLs, e-mail addresses, Markdown link
    targets and code spans, and times such as 10:30 are left alone, as is text already spaced
    right (a no-break space before ; ! ? stays). Only the first of a run of marks ("?!") gets
    the space. `typography_faults` finds exactly what this changes.
    """
    if not any(mark in text for mark in ";:!?«»"):
        return text
    out: list[str] = []
    for start, segment, after_email in _segments(text):
        out.append(_fix(segment, after_email))
        end = start + len(segment)
        match = _UNTOUCHED.match(text, end)
        if match:
            out.append(match.group(0))
    return "".join(out)


def typography_faults(line: str) -> list[TypographyFault]:
    """The marks of `line` that `french_spacing` would space: empty exactly when it changes nothing."""
    if not any(mark in line for mark in ";:!?«»"):
        return []
    faults: list[TypographyFault] = []
    for start, segment, after_email in _segments(line):
        if not any(mark in segment for mark in ";:!?«»"):
            continue
        glued = _GLUE + segment if after_email else segment
        shift = start - (len(_GLUE) if after_email else 0)
        for rule in _RULES:
            for match in rule.pattern.finditer(glued):
                mark_group = match.lastindex or 0
                faults.append(TypographyFault(match.group(mark_group), shift + match.start(mark_group), rule.side, rule.space))
    return sorted(set(faults), key=lambda fault: fault.column)


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# The CLDR date fields the French table knows (as Babel writes them for 'fr'); any other
# pattern, or another locale, goes to Babel, whose locale data costs ~15 ms to load.
_FIELDS = re.compile(r"EEEE|MMMM|yyyy|dd|d|y|[A-Za-z]")
_FRENCH_FIELDS = {
    "EEEE": lambda d: DAYS[d.weekday()],
    "MMMM": lambda d: MONTHS[d.month - 1],
    "yyyy": lambda d: f"{d.year:04d}",
    "y": lambda d: str(d.year),
    "dd": lambda d: f"{d.day:02d}",
    "d": lambda d: str(d.day),
}


def french_date(value: dt.date, pattern: str, locale: str) -> str:
    """A date in words: 'décembre 2026', 'mardi 8 décembre 2026' (a CLDR pattern, as Babel's)."""
    if locale.replace("-", "_") in {"fr", "fr_FR"} and "'" not in pattern:
        fields = _FIELDS.findall(pattern)
        if all(field in _FRENCH_FIELDS for field in fields):
            return _FIELDS.sub(lambda m: _FRENCH_FIELDS[m.group(0)](value), pattern)
    from babel.dates import format_date

    return str(format_date(value, pattern, locale=locale))
