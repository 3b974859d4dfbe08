"""Check every row of an input file and turn it into `CountRow`s, or list every problem.

Each problem names its row as the spreadsheet shows it ("row 7: …") and says what is wrong in
words. Nothing is returned while one problem remains: the caller imports all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from newsletter.defi.columns import COLUMNS, MODE_COLUMNS, Column, match_column
from newsletter.defi.model import (
    DEPARTEMENT_CODES,
    DEPARTEMENTS,
    LEVEL_CHOICES,
    LEVEL_WORDS,
    CountRow,
    Level,
    fold,
)
from newsletter.defi.reader import Cell, RawTable
from newsletter.errors import DefiDataError
from newsletter.i18n import _, ngettext

T = TypeVar("T")

REFERENCE_WORDS = frozenset({"reference", "ref", "jourdereference", "journeedereference", "jourref", "referenceday"})
_UAI = re.compile(r"^\d{7}[A-Z]$")
_DEPARTEMENT = re.compile(r"^(\d{2})(?:\d{3})?(?:\D.*)?$")  # '93', '93100', '93 - Seine-Saint-Denis'
_DEPARTEMENT_NAMES = {fold(name): code for code, name in DEPARTEMENTS.items()}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class CheckedFile:
    """The validated rows of a file, the year of its challenge days, and the columns it ignored."""

    year: int
    rows: tuple[CountRow, ...]
    ignored_columns: tuple[str, ...] = ()


class _RowProblem(Exception):
    """One value of a row that cannot be used; the message is in words."""


def map_headers(headers: Sequence[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """(column key -> index, problems, headers ignored) for a header row."""
    found: dict[str, int] = {}
    problems: list[str] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        column = match_column(header)
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column.key in found:
            problems.append(
                _("the columns '{first}' and '{second}' both mean '{column}'; keep one").format(
                    first=headers[found[column.key]], second=header, column=column.header
                )
            )
            continue
        found[column.key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in found]
    if missing:
        problems.append(
            ngettext("a required column is missing: {columns}", "required columns are missing: {columns}", len(missing)).format(
                columns=", ".join(f"'{name}'" for name in missing)
            )
        )
    return found, problems, ignored


def looks_like_input(headers: tuple[str, ...]) -> bool:
    """Whether a header row names every required column (to find the data sheet of a workbook)."""
    found, problems, _ignored = map_headers(headers)
    return not problems


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_count(value: Cell, *, blank_is_zero: bool) -> int:
    """A number of pupils: a whole number, 0 or more ('12', 12, 12.0, '1 204'); _RowProblem otherwise."""
    if isinstance(value, bool):
        raise _RowProblem(_("'{value}' is not a whole number").format(value=value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise _RowProblem(_("'{value}' is not a whole number").format(value=_text(value).replace(".", ",")))
        number = int(value)
    elif isinstance(value, dt.date):
        raise _RowProblem(_("'{value}' is a date, not a number of pupils").format(value=value.isoformat()))
    else:
        text = _text(value).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            if blank_is_zero:
                return 0
            raise _RowProblem(_("it is empty"))
        whole = re.fullmatch(r"-?\d+(?:[.,]0+)?", text)
        if whole is None:
            raise _RowProblem(_("'{value}' is not a whole number").format(value=_text(value)))
        number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise _RowProblem(_("'{value}' is negative; a number of pupils is 0 or more").format(value=number))
    return number


def parse_day(value: Cell) -> dt.date | None:
    """None for the reference day, else the challenge day's date; _RowProblem otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if fold(text) in REFERENCE_WORDS:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if not text:
        raise _RowProblem(_("it is empty"))
    raise _RowProblem(_("'{value}' is neither 'référence' nor a date such as 18/05/2027").format(value=text))


def parse_departement(value: Cell) -> str:
    """The code of an Île-de-France département ('93', '93100', 'Seine-Saint-Denis'); _RowProblem otherwise."""
    text = _text(value)
    if not text:
        raise _RowProblem(_("it is empty"))
    match = _DEPARTEMENT.match(text)
    code = match.group(1) if match else _DEPARTEMENT_NAMES.get(fold(text))
    if code is None or code not in DEPARTEMENTS:
        raise _RowProblem(
            _("'{value}' is not a département of Île-de-France ({codes})").format(value=text, codes=DEPARTEMENT_CODES)
        )
    return code


def parse_level(value: Cell) -> Level:
    text = _text(value)
    if not text:
        raise _RowProblem(_("it is empty"))
    level = LEVEL_WORDS.get(fold(text))
    if level is None:
        raise _RowProblem(_("'{value}' is not a known level ({choices})").format(value=text, choices=LEVEL_CHOICES))
    return level


def parse_uai(value: Cell, departement: str | None) -> str | None:
    """The UAI (7 digits and a letter), optional; it must belong to the row's département."""
    text = _text(value).upper().replace(" ", "")
    if not text:
        return None
    if not _UAI.match(text):
        raise _RowProblem(_("'{value}' is not a UAI (7 digits and a letter, e.g. 0931234A)").format(value=_text(value)))
    if departement is not None and text[1:3] != departement:
        raise _RowProblem(
            _("{uai} is a UAI of département {uai_departement}, but the row says {departement}").format(
                uai=text, uai_departement=text[1:3], departement=departement
            )
        )
    return text


def _day_words(day: dt.date | None) -> str:
    from newsletter import formats

    return _("the reference day") if day is None else formats.long_date(day)


class _Row:
    """Reads one raw row, collecting a problem per bad value."""

    def __init__(self, number: int, values: tuple[Cell, ...], columns: dict[str, int], headers: Sequence[str]) -> None:
        self.number = number
        self.values = values
        self.columns = columns
        self.headers = headers
        self.problems: list[str] = []

    def cell(self, key: str) -> Cell:
        index = self.columns.get(key)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def read(self, column: Column, parse: Callable[[Cell], T]) -> T | None:
        try:
            return parse(self.cell(column.key))
        except _RowProblem as problem:
            self.problems.append(
                _("row {row}: {column}: {problem}").format(row=self.number, column=self.headers[self.columns[column.key]], problem=problem)
            )
            return None

    def required_text(self, key: str) -> str:
        text = _text(self.cell(key))
        if not text:
            self.problems.append(
                _("row {row}: {column}: it is empty; it is required").format(row=self.number, column=self.headers[self.columns[key]])
            )
        return text


_BY_KEY = {column.key: column for column in COLUMNS}


def check_row(number: int, values: tuple[Cell, ...], columns: dict[str, int], headers: Sequence[str]) -> tuple[CountRow | None, list[str]]:
    """One row: the CountRow, or None and the problems of that row."""
    row = _Row(number, values, columns, headers)
    school = row.required_text("school")
    town = row.required_text("town")
    departement = row.read(_BY_KEY["departement"], parse_departement)
    level = row.read(_BY_KEY["level"], parse_level)
    uai = row.read(_BY_KEY["uai"], lambda value: parse_uai(value, departement)) if "uai" in columns else None
    pupils = row.read(_BY_KEY["pupils"], lambda value: parse_count(value, blank_is_zero=False))
    day = row.read(_BY_KEY["day"], parse_day)
    counts = [row.read(column, lambda value: parse_count(value, blank_is_zero=True)) for column in MODE_COLUMNS]
    if isinstance(pupils, int) and pupils == 0:
        row.problems.append(_("row {row}: {column}: the class has 0 pupils").format(row=number, column=headers[columns["pupils"]]))
    if all(isinstance(count, int) for count in counts):
        total = sum(count for count in counts if isinstance(count, int))
        if total == 0:
            row.problems.append(_("row {row}: no pupil is counted in any mode").format(row=number))
        elif isinstance(pupils, int) and total > pupils:
            row.problems.append(
                _("row {row}: the modes add up to {total} pupils, more than the class's {pupils} ({column})").format(
                    row=number, total=total, pupils=pupils, column=headers[columns["pupils"]]
                )
            )
    if row.problems:
        return None, row.problems
    assert departement is not None and level is not None and pupils is not None
    return CountRow(
        school=school, uai=uai, town=town, departement=departement, level=level,
        class_name=_text(row.cell("class_name")), pupils=pupils, day=day,
        counts=tuple(count for count in counts if isinstance(count, int)),
    ), []


def _describe(row: CountRow) -> str:
    where = f"{row.school} ({row.town})"
    return _("{school}, class {class_name},").format(school=where, class_name=row.class_name) if row.class_name else where


def cross_row_problems(rows: Sequence[tuple[int, CountRow]]) -> list[tuple[int, str]]:
    """Problems between rows: a class or school counted twice on a day, a school in two départements."""
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[tuple[str, str], dt.date | None], int] = {}
    by_school_day: dict[tuple[str, dt.date | None], list[tuple[int, CountRow]]] = defaultdict(list)
    first_of_school: dict[str, tuple[int, CountRow]] = {}
    for number, row in rows:
        key = (row.class_key, row.day)
        if key in seen:
            problems.append((number, _("row {row}: {what} is counted twice on {day} (rows {first} and {row})").format(
                row=number, what=_describe(row), day=_day_words(row.day), first=seen[key])))
        else:
            seen[key] = number
        by_school_day[(row.school_key, row.day)].append((number, row))
        first_number, first = first_of_school.setdefault(row.school_key, (number, row))
        if first.departement != row.departement:
            problems.append((number, _("row {row}: {school} is in département {departement} on row {first}, {other} here").format(
                row=number, school=row.school, departement=first.departement, first=first_number, other=row.departement)))
    for (_key, day), entries in by_school_day.items():
        whole = [(number, row) for number, row in entries if not row.class_name]
        if whole and len(entries) > 1:
            number, row = whole[0]
            others = [str(n) for n, _r in entries if n != number]
            problems.append((number, _("row {row}: {school} is counted twice on {day}: as a whole school here, and by class on rows {others}").format(
                row=number, school=f"{row.school} ({row.town})", day=_day_words(day), others=", ".join(others))))
    return problems


def check_table(table: RawTable) -> CheckedFile:
    """Every row of `table` checked; DefiDataError lists every problem, by row, when there is one."""
    columns, header_problems, ignored = map_headers(table.headers)
    source = table.source.name
    if header_problems:
        raise DefiDataError(
            _("{file}: the header row (row {row}) does not name the Défi's columns").format(file=source, row=table.header_row),
            problems=header_problems + [_("columns found: {headers}").format(headers=", ".join(f"'{h}'" for h in table.headers if h))],
            hint=_("name the columns as the template does (`newsletter defi template FILE`); case, accents and spaces do not matter"),
        )
    problems: list[tuple[int, str]] = []
    good: list[tuple[int, CountRow]] = []
    for number, values in table.rows:
        row, row_problems = check_row(number, values, columns, table.headers)
        problems.extend((number, problem) for problem in row_problems)
        if row is not None:
            good.append((number, row))
    problems.extend(cross_row_problems(good))
    years = sorted({row.day.year for _n, row in good if row.day is not None})
    if not problems and not years:
        problems.append((0, _("no row counts a challenge day: write the date of each challenge day in the '{column}' column").format(column=table.headers[columns["day"]])))
    elif len(years) > 1:
        problems.append((0, _("the challenge days are in several years ({years}); import one year's file at a time").format(years=", ".join(map(str, years)))))
    if problems:
        problems.sort(key=lambda entry: entry[0])
        bad_rows = len({number for number, _p in problems if number})
        raise DefiDataError(
            ngettext(
                "{file}: {count} problem on {rows}; nothing was imported",
                "{file}: {count} problems on {rows}; nothing was imported",
                len(problems),
            ).format(file=source, count=len(problems), rows=ngettext("{count} row", "{count} rows", bad_rows).format(count=bad_rows)),
            problems=[problem for _n, problem in problems],
            hint=_("correct these rows in the file, then import it again"),
        )
    return CheckedFile(year=years[0], rows=tuple(row for _n, row in good), ignored_columns=tuple(ignored))
