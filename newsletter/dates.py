"""Dates in French words for drafts and emails (Babel, imported only when a date is formatted)."""

from __future__ import annotations

import datetime as dt


def french_date(value: dt.date, pattern: str, locale: str) -> str:
    """A date in words: 'décembre 2026', 'mardi 8 décembre 2026'."""
    from babel.dates import format_date

    return str(format_date(value, pattern, locale=locale))
