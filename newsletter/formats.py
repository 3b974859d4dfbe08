"""Numbers, rates and dates as the user reads them, in the language in use (`i18n.language()`).

French: `1 843`, `44,0 %`, `1er décembre 2026`; English: `1,843`, `44.0%`, `December 1, 2026`.
Numbers follow CLDR's signs for fr_FR and en_US, written out here: loading Babel's locale data
costs a command 15-25 ms to print one figure (tests/test_i18n.py compares every form with Babel).
`french.french_date` does the French dates, Babel the English ones. Terminal and reports
use `integer`/`percent`; a CSV meant for a spreadsheet uses `csv_integer`/`csv_percent`, which a
French Excel or LibreOffice reads as numbers. JSON output uses none of these (fractions, ISO dates).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from newsletter import i18n

# CLDR's group and decimal signs: fr_FR groups with a narrow no-break space, en_US with a comma.
_SIGNS = {"fr": ("\u202f", ","), "en": (",", ".")}


def _locale() -> str:
    return "fr_FR" if i18n.language() == "fr" else "en_US"


def _localised(figure: str) -> str:
    """A figure formatted with ',' groups and a '.' point, in the signs of the language in use."""
    group, point = _SIGNS["fr" if i18n.language() == "fr" else "en"]
    return figure.replace(",", "\x00").replace(".", point).replace("\x00", group)


def integer(value: int) -> str:
    """1843 -> '1 843' (narrow no-break space) in French, '1,843' in English."""
    if type(value) is not int:  # a float or a bool: Babel's rounding and words, as before
        from babel.numbers import format_decimal

        return str(format_decimal(value, format="#,##0", locale=_locale()))
    return _localised(f"{value:,}")


def decimal(value: float, digits: int = 1) -> str:
    """2.5 -> '2,5' in French, '2.5' in English."""
    if not (isinstance(value, (int, float)) and abs(value) < 1e15):  # NaN, infinities, huge: Babel's words
        from babel.numbers import format_decimal

        return str(format_decimal(value, format="#,##0." + "0" * digits, locale=_locale()))
    # As Babel: the float's shortest decimal form, rounded half to even.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return _localised(f"{rounded:,.{digits}f}")


def percent(fraction: float, digits: int = 1) -> str:
    """0.44 -> '44,0 %' in French (a no-break space, as the typography rules want), '44.0%' in English."""
    return decimal(fraction * 100, digits) + ("\u00a0%" if i18n.language() == "fr" else "%")


def long_date(value: dt.date) -> str:
    """'1er décembre 2026' in French, 'December 1, 2026' in English."""
    if i18n.language() == "fr":
        from newsletter.french import french_date

        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {french_date(value, 'MMMM y', 'fr')}"
    from babel.dates import format_date

    return str(format_date(value, "long", locale=_locale()))


def month(value: dt.date) -> str:
    """'décembre 2026' in French, 'December 2026' in English."""
    if i18n.language() == "fr":
        from newsletter.french import french_date

        return french_date(value, "MMMM y", "fr")
    from babel.dates import format_date

    return str(format_date(value, "MMMM y", locale=_locale()))


# A spreadsheet reads a plain integer as a number whatever its locale; grouped digits it may not.
def csv_integer(value: int) -> str:
    """1843 -> '1843' in every language."""
    return str(value)


def csv_percent(fraction: float, digits: int = 1) -> str:
    """0.44 -> '44,0 %' in French (a plain space, which Excel and LibreOffice read), '44.0%' in English."""
    figure = f"{fraction * 100:.{digits}f}"
    return figure.replace(".", ",") + " %" if i18n.language() == "fr" else figure + "%"


CSV_DELIMITER = {"fr": ";", "en": ","}


def csv_delimiter() -> str:
    """';' for a French spreadsheet (the comma is its decimal mark), ',' in English."""
    return CSV_DELIMITER.get(i18n.language(), ",")


# Excel takes a CSV without a byte-order mark for its legacy code page and garbles the accents.
CSV_ENCODING = "utf-8-sig"
