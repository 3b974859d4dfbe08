"""French rules: typographic spacing for drafted text, and dates in words.

Pure functions; Babel is imported only for a date in another language than French.
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
