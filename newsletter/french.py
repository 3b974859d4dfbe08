"""French rules: typographic spacing for drafted text, and dates in words.

Pure functions; Babel is imported only when a date is formatted.
"""

from __future__ import annotations

import datetime as dt
import re

NBSP = "\u00a0"  # before ':' and inside « »
NNBSP = "\u202f"  # narrow no-break space, before ; ! ?

# Left alone: web and e-mail addresses (their ':' '?' ';' '!' are syntax, not punctuation).
_UNTOUCHED = re.compile(r"(?:https?|ftp|mailto|file):\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+", re.I)
# What may follow a mark for it to be punctuation: a space, the end, another mark, a closing sign.
_AFTER = r"(?=[\s;:!?.,)\]»\"'’…]|$)"
_SPACED_TALL = re.compile(r"[ \t]+([;!?])" + _AFTER)
_GLUED_TALL = re.compile(r"([\w»)\]…’'\"])([;!?])" + _AFTER)
_SPACED_COLON = re.compile(r"[ \t\u202f]+:" + _AFTER)
_GLUED_COLON = re.compile(r"([\w»)\]…’'\"]):(?=\s|$)")
_OPEN = re.compile(r"«(?!\u00a0)[ \t\u202f]*")
_CLOSE = re.compile(r"(?<!\u00a0)[ \t\u202f]*»")


def _fix(segment: str) -> str:
    segment = _SPACED_TALL.sub(NNBSP + r"\1", segment)
    segment = _GLUED_TALL.sub(r"\1" + NNBSP + r"\2", segment)
    segment = _SPACED_COLON.sub(NBSP + ":", segment)
    segment = _GLUED_COLON.sub(r"\1" + NBSP + ":", segment)
    segment = _OPEN.sub("«" + NBSP, segment)
    segment = _CLOSE.sub(NBSP + "»", segment)
    return segment


def french_spacing(text: str) -> str:
    """`text` with French spacing: U+202F before ; ! ?, U+00A0 before : and inside « ».

    A plain space is replaced, a missing one added; URLs, e-mail addresses and times such as
    10:30 are left alone, as is text already spaced right (a no-break space before ; ! ? stays).
    Only the first of a run of marks ("?!") gets the space.
    """
    if not any(mark in text for mark in ";:!?«»"):
        return text
    out: list[str] = []
    position = 0
    for match in _UNTOUCHED.finditer(text):
        out.append(_fix(text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_fix(text[position:]))
    return "".join(out)


def french_date(value: dt.date, pattern: str, locale: str) -> str:
    """A date in words: 'décembre 2026', 'mardi 8 décembre 2026'."""
    from babel.dates import format_date

    return str(format_date(value, pattern, locale=locale))
