"""The validated results of a year, kept in the workspace as `defi/<year>.json`.

Why a JSON file of validated rows rather than the file as given: the report and the section
then read one clean format, whatever the input was (a CSV in Windows-1252, a form export with
its own headers, a workbook); the values are already normalised (département code, level
code, ISO dates), so nothing is parsed twice; and the file is plain text that a `git diff`
shows row by row (one row per line).

An import replaces the year's file as a whole: a form export holds every answer so far, so
the latest file is the whole truth. The JSON depends only on the rows and the source file's
name, never on the time: importing the same file twice writes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsletter.defi.model import MODES, CountRow, Level, Mode
from newsletter.errors import StateError, UsageError
from newsletter.i18n import _
from newsletter.validation import Schema, SchemaError, describe_error

FORMAT_VERSION = 1
DEFI_DIR = "defi"
_YEAR_FILE = re.compile(r"^(\d{4})\.json$")


class _Counts(Schema):
    walk: int
    bike: int
    scooter: int
    public_transport: int
    carpool: int
    car: int
    other: int


class _StoredRow(Schema):
    school: str
    uai: str | None = None
    town: str
    departement: str
    level: Level
    class_name: str = ""
    pupils: int
    day: str
    counts: _Counts


class _StoredFile(Schema):
    format: int
    year: int
    source: str
    rows: list[_StoredRow]


@dataclass(frozen=True)
class DefiData:
    """A year's validated rows, and the name of the file they came from."""

    year: int
    rows: tuple[CountRow, ...]
    source: str
    path: Path


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the stored file, its rows, and how they compare with what was there."""

    path: Path
    year: int
    rows: int
    changed: bool
    previous_rows: int | None  # None: the year had no file yet
    ignored_columns: tuple[str, ...] = ()


def year_path(defi_dir: Path, year: int) -> Path:
    return defi_dir / f"{year}.json"


def _row_json(row: CountRow) -> str:
    data = {
        "school": row.school,
        "uai": row.uai,
        "town": row.town,
        "departement": row.departement,
        "level": row.level.value,
        "class_name": row.class_name,
        "pupils": row.pupils,
        "day": "reference" if row.day is None else row.day.isoformat(),
        "counts": {mode.value: row.count(mode) for mode in MODES},
    }
    return json.dumps(data, ensure_ascii=False)


def dump_year(year: int, rows: Sequence[CountRow], source: str) -> str:
    """The JSON text of a year's file: one row per line, so that a diff shows what changed."""
    body = ",\n".join(f"    {_row_json(row)}" for row in rows)
    return (
        "{\n"
        f'  "format": {FORMAT_VERSION},\n'
        f'  "year": {year},\n'
        f'  "source": {json.dumps(source, ensure_ascii=False)},\n'
        f'  "rows": [\n{body}\n  ]\n'
        "}\n"
    )


def _to_row(stored: _StoredRow, path: Path, index: int) -> CountRow:
    try:
        day = None if stored.day == "reference" else dt.date.fromisoformat(stored.day)
    except ValueError:
        raise StateError(
            _("{path} is corrupt: row {index} has the day '{day}'").format(path=path, index=index, day=stored.day),
            hint=_("import the year's input file again with `newsletter defi import FILE`"),
        ) from None
    counts = stored.counts
    return CountRow(
        school=stored.school, uai=stored.uai, town=stored.town, departement=stored.departement,
        level=stored.level, class_name=stored.class_name, pupils=stored.pupils, day=day,
        counts=tuple(getattr(counts, mode.value) for mode in Mode),
    )


def parse_year(text: str, path: Path) -> DefiData:
    """Read a year's file; StateError in words when it is not one."""
    hint = _("import the year's input file again with `newsletter defi import FILE`")
    try:
        stored = _StoredFile.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise StateError(_("{path} is corrupt (not JSON: {reason}, line {line})").format(path=path, reason=exc.msg, line=exc.lineno), hint=hint) from None
    except SchemaError as exc:
        raise StateError(_("{path} is corrupt ({problem})").format(path=path, problem=describe_error(exc.errors()[0])), hint=hint) from None
    if stored.format != FORMAT_VERSION:
        raise StateError(_("{path} has format {found}; this newsletter reads format {expected}").format(path=path, found=stored.format, expected=FORMAT_VERSION), hint=hint)
    rows = tuple(_to_row(row, path, index) for index, row in enumerate(stored.rows, start=1))
    return DefiData(year=stored.year, rows=rows, source=stored.source, path=path)


def stored_years(defi_dir: Path) -> list[int]:
    """The years that have a file, oldest first."""
    if not defi_dir.is_dir():
        return []
    return sorted(int(m.group(1)) for p in defi_dir.iterdir() if (m := _YEAR_FILE.match(p.name)))


def load_year(defi_dir: Path, year: int | None = None) -> DefiData:
    """The stored results of `year` (default: the latest year imported)."""
    years = stored_years(defi_dir)
    if year is None:
        if not years:
            raise UsageError(
                _("no Défi results in {folder} yet").format(folder=defi_dir),
                hint=_("import the results first: newsletter defi import FILE"),
            )
        year = years[-1]
    path = year_path(defi_dir, year)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            _("no Défi results for {year} in {folder}").format(year=year, folder=defi_dir),
            hint=_("years imported: {years}").format(years=", ".join(map(str, years)) or _("none")),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StateError(_("cannot read {path}: {reason}").format(path=path, reason=exc)) from None
    return parse_year(text, path)


def import_file(source: Path, defi_dir: Path) -> ImportResult:
    """Read and check `source`; when every row is good, store it as the year's results.

    Raises UsageError (unreadable file) or DefiDataError (every bad row listed); then nothing
    is written. Writes nothing either when the stored file already holds the same rows.
    """
    from newsletter.defi.checks import check_table, looks_like_input
    from newsletter.defi.reader import read_table
    from newsletter.fsutil import write_atomic

    checked = check_table(read_table(source, is_data=looks_like_input))
    path = year_path(defi_dir, checked.year)
    text = dump_year(checked.year, checked.rows, source.name)
    try:
        before = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        before = None
    except (OSError, UnicodeDecodeError):
        before = ""  # unreadable: replaced by the good data
    previous: int | None = None
    if before:
        try:
            previous = len(parse_year(before, path).rows)
        except StateError:
            previous = None
    changed = before != text
    if changed:
        write_atomic(path, text)
    return ImportResult(path=path, year=checked.year, rows=len(checked.rows), changed=changed, previous_rows=previous, ignored_columns=checked.ignored_columns)
