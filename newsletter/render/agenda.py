"""The dates of an agenda event, read from its meta line (`*jeudi 3 décembre 2026 · en ligne*`).

Editors write dates in words, with or without the year, or as 03/12/2026 or 2026-12-03; a range
("du 30 novembre au 2 décembre 2026") ends on its last date, which is the one that says whether
the event is over. A date without a year takes the year that puts it nearest the issue's date
("14 janvier" in a December issue is next January).
"""

from __future__ import annotations

import datetime as dt
import re

from newsletter.french import MONTHS

_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)} | {"fevrier": 2, "aout": 8, "decembre": 12}
_IN_WORDS = re.compile(r"\b(1er|[0-3]?\d)\s+(" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")(?:\s+(\d{4}))?\b", re.I)
_NUMERIC = re.compile(r"\b([0-3]?\d)/([01]?\d)/(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _nearest_year(day: int, month: int, around: dt.date) -> dt.date | None:
    candidates = []
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - around).days)) if candidates else None


def event_dates(meta: str, *, issue_date: dt.date) -> list[dt.date]:
    """Every date written in `meta`, in the order written; a date without a year is placed nearest `issue_date`."""
    found: list[tuple[int, dt.date]] = []
    for match in _IN_WORDS.finditer(meta):
        day = 1 if match.group(1).lower() == "1er" else int(match.group(1))
        month = _MONTH_NUMBERS[match.group(2).lower()]
        try:
            date = dt.date(int(match.group(3)), month, day) if match.group(3) else _nearest_year(day, month, issue_date)
        except ValueError:
            date = None
        if date is not None:
            found.append((match.start(), date))
    for pattern, order in ((_NUMERIC, (3, 2, 1)), (_ISO, (1, 2, 3))):
        for match in pattern.finditer(meta):
            try:
                found.append((match.start(), dt.date(*(int(match.group(i)) for i in order))))
            except ValueError:
                continue
    return [date for _, date in sorted(found, key=lambda pair: pair[0])]


def event_end(meta: str, *, issue_date: dt.date) -> dt.date | None:
    """The last date of the event written in `meta` (a range ends on its latest date), or None."""
    dates = event_dates(meta, issue_date=issue_date)
    return max(dates) if dates else None
