"""French rules: typography (one rule set for the draft, `check --fix` and the check), and dates in words.

Pure functions; Babel is imported only for a date in another language than French.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from newsletter.i18n import N_, _

NBSP = "\u00a0"  # before ':' and inside « »
NNBSP = "\u202f"  # narrow no-break space, before ; ! ?
APOSTROPHE = "\u2019"  # ’, the typographic apostrophe

# Left alone: web and e-mail addresses (their ':' '?' ';' '!' are syntax, not punctuation), and
# in Markdown, link targets '](…)', autolinks '<…>', code spans, the '[label]:' of a link
# reference definition (the draft's comments are written `[//]: # "…"`), HTML tags, an HTML
# comment's part on this line, and HTML entities (the ';' of '&amp;' is not punctuation).
_URL = r"(?:https?|ftp|mailto|file):\S+|www\.\S+"
_EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
_UNTOUCHED = re.compile(
    rf"^ {{0,3}}\[[^\]]+\]:|\]\([^)]*\)|<(?:{_URL})>|`[^`]*`|<!--.*?(?:-->|$)|</?[A-Za-z][^<>]*>"
    rf"|&(?:#\d+|#x[0-9a-f]+|[a-z]\w*);|{_URL}|(?P<email>{_EMAIL})",
    re.I | re.M,
)
# Cheap test for "_UNTOUCHED cannot match": none of the characters or words any of its branches needs.
_MAY_BE_UNTOUCHED = re.compile(r"[@`\[\]<&]|(?:https?|ftp|mailto|file):|www\.", re.I)
# What may follow a mark for it to be punctuation: a space, the end, another mark, a closing sign.
_AFTER = r"(?=[\s;:!?.,)\]»\"'’…]|$)"
# What a mark may be glued to: a word, a closing sign, a quote.
_GLUED = r"([\w»)\]…’'\"])"
_LETTER = r"[^\W\d_]"
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_SUFFIX = r"(?:ième|ieme|ème|eme|è)"
_NO_DIGIT_BEFORE = r"(?<![\w,.])"  # '1' starts a number: not the end of 21, 1,1 or v1.1
# Ordinals as the Imprimerie nationale writes them: 1er, 1re, 2e, XIXe; and the first day of a
# month is the 1er. '1ème' is left alone (1er or 1re? the writer knows).
_ORDINAL = re.compile(
    rf"{_NO_DIGIT_BEFORE}1(?=[ \u00a0\u202f](?i:{_MONTHS})\b)"
    rf"|{_NO_DIGIT_BEFORE}1(?P<first>ier)\b"
    rf"|{_NO_DIGIT_BEFORE}1(?P<first_f>ière|iere|ère|ere)\b"
    rf"|{_NO_DIGIT_BEFORE}(?P<number>\d*[02-9]|\d+1){_SUFFIX}\b"
    rf"|\b(?P<roman>[IVXLC]+){_SUFFIX}\b"
)
# Cheap test for "_ORDINAL cannot match": a digit or a Roman numeral before its suffix, or '1 '.
_MAY_BE_ORDINAL = re.compile(r"\d[eèi]|1[ \u00a0\u202f][^\W\d_]|[IVXLC][eèi]")


def _ordinal(match: re.Match[str]) -> str:
    if match.group("number"):
        return match.group("number") + "e"
    if match.group("roman"):
        return match.group("roman") + "e"
    return "1re" if match.group("first_f") else "1er"


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    replacement: str | Callable[[re.Match[str]], str]
    needs: Callable[[str], object]  # falsy when the rule cannot match `text` (a cheap test first)
    advice: str  # what to write, N_-marked; {mark} is the punctuation mark
    apostrophe: bool = False  # only where [typography] apostrophe = "typographic"


def _has(marks: str) -> Callable[[str], object]:
    # One character class searched in C: cheaper than a substring test per mark.
    return re.compile("[" + re.escape(marks) + "]").search


# The French rules, applied in this order by the fixer and searched by the check.
_RULES = (
    _Rule(re.compile(r"[ \t]+([;!?])" + _AFTER), NNBSP + r"\1", _has(";!?"), N_("a narrow no-break space before '{mark}'")),
    _Rule(re.compile(_GLUED + r"([;!?])" + _AFTER), r"\1" + NNBSP + r"\2", _has(";!?"), N_("a narrow no-break space before '{mark}'")),
    # 'ci-dessous;la suite': a ';' glued to two words (a '?' or '!' there may be a name: Yahoo!Mail).
    _Rule(re.compile(rf"({_LETTER})(;)(?={_LETTER})"), r"\1" + NNBSP + r"\2 ", _has(";"), N_("a narrow no-break space before '{mark}' and a space after it")),
    _Rule(re.compile(r"[ \t\u202f]+(:)" + _AFTER), NBSP + r"\1", _has(":"), N_("a no-break space before '{mark}'")),
    _Rule(re.compile(_GLUED + r"(:)(?=\s|$)"), r"\1" + NBSP + r"\2", _has(":"), N_("a no-break space before '{mark}'")),
    _Rule(re.compile(r"(«)(?!\u00a0)[ \t\u202f]*"), r"\1" + NBSP, _has("«"), N_("a no-break space after '{mark}'")),
    _Rule(re.compile(r"(?<!\u00a0)[ \t\u202f]*(»)"), NBSP + r"\1", _has("»"), N_("a no-break space before '{mark}'")),
    _Rule(_ORDINAL, _ordinal, _MAY_BE_ORDINAL.search, N_("'{fixed}' rather than '{found}'")),
    _Rule(re.compile(rf"(?<={_LETTER})'(?={_LETTER})"), APOSTROPHE, _has("'"), N_("the apostrophe ’ rather than '"), apostrophe=True),
)
# A word character put in front of the text after an e-mail address, so that a mark glued to
# the address ("contact@ex.org!") is seen as glued to a word; it is taken off again.
_GLUE = "x"
# Cheap test for "no rule can match" (with and without the apostrophe rule): most lines of an issue.
_MAY_CHANGE = re.compile(r"[;:!?«»]|" + _MAY_BE_ORDINAL.pattern)
_MAY_CHANGE_WITH_APOSTROPHES = re.compile(r"[;:!?«»']|" + _MAY_BE_ORDINAL.pattern)


class TypographyFault(NamedTuple):
    """What the fixer changes at one place: the text found, what replaces it, and why (in words)."""

    column: int  # 0-based index in the line of the first character replaced
    found: str
    fixed: str
    advice: str  # "a narrow no-break space before ';'", in the user's language


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


_RULES_WITHOUT_APOSTROPHES = tuple(rule for rule in _RULES if not rule.apostrophe)


def _rules(apostrophes: bool) -> tuple[_Rule, ...]:
    return _RULES if apostrophes else _RULES_WITHOUT_APOSTROPHES


def _fix(segment: str, after_email: bool, rules: tuple[_Rule, ...]) -> str:
    glued = _GLUE + segment if after_email else segment
    for rule in rules:
        if rule.needs(glued):  # a rule whose mark is absent changes nothing
            glued = rule.pattern.sub(rule.replacement, glued)
    return glued[len(_GLUE) :] if after_email else glued


def _may_change(text: str, apostrophes: bool) -> bool:
    return (_MAY_CHANGE_WITH_APOSTROPHES if apostrophes else _MAY_CHANGE).search(text) is not None


def french_typography(text: str, *, apostrophes: bool = False) -> str:
    """`text` with French typography: U+202F before ; ! ?, U+00A0 before : and inside « », 1er/1re/2e,
    and with `apostrophes` the apostrophe ’ between two letters.

    A plain space is replaced, a missing one added; URLs, e-mail addresses, Markdown link
    targets and code spans, HTML tags and entities, and times such as 10:30 are left alone, as
    is text already right (a no-break space before ; ! ? stays). Only the first of a run of
    marks ("?!") gets the space. `typography_faults` finds exactly what this changes.
    """
    if not _may_change(text, apostrophes):
        return text
    rules = _rules(apostrophes)
    out: list[str] = []
    for start, segment, after_email in _segments(text):
        out.append(_fix(segment, after_email, rules))
        end = start + len(segment)
        match = _UNTOUCHED.match(text, end)
        if match:
            out.append(match.group(0))
    return "".join(out)


def french_spacing(text: str) -> str:
    """`french_typography` without the apostrophes: what the draft writes from a source's words."""
    return french_typography(text)


def typographic_apostrophes(text: str) -> str:
    """`text` with ’ for each straight apostrophe between two letters, outside addresses and code."""
    if "'" not in text:
        return text
    rule = _RULES[-1]
    out: list[str] = []
    for start, segment, _after_email in _segments(text):
        out.append(rule.pattern.sub(APOSTROPHE, segment))
        match = _UNTOUCHED.match(text, start + len(segment))
        if match:
            out.append(match.group(0))
    return "".join(out)


def _advice(rule: _Rule, match: re.Match[str], fixed: str) -> str:
    mark = match.group(match.lastindex or 0) if rule.replacement is not _ordinal else ""
    return _(rule.advice).format(mark=mark, found=match.group(0), fixed=fixed)


def typography_faults(line: str, *, apostrophes: bool = False) -> list[TypographyFault]:
    """The places of `line` that `french_typography` changes: empty exactly when it changes nothing."""
    if not _may_change(line, apostrophes):
        return []
    rules = _rules(apostrophes)
    faults: dict[tuple[int, str], TypographyFault] = {}
    for start, segment, after_email in _segments(line):
        if not _may_change(segment, apostrophes):
            continue
        glued = _GLUE + segment if after_email else segment
        shift = start - (len(_GLUE) if after_email else 0)
        for rule in rules:
            if not rule.needs(glued):
                continue
            for match in rule.pattern.finditer(glued):
                fixed = match.expand(rule.replacement) if isinstance(rule.replacement, str) else rule.replacement(match)
                if fixed == match.group(0):
                    continue
                found, column = match.group(0), shift + match.start()
                if column < start:  # the match began on the glue put after an e-mail address
                    found, fixed, column = found[start - column :], fixed[start - column :], start
                faults.setdefault((column, found), TypographyFault(column, found, fixed, _advice(rule, match, fixed)))
    return sorted(faults.values())


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
