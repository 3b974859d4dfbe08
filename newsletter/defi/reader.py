"""Read an input file (CSV or XLSX) into raw rows, numbered as a spreadsheet shows them.

CSV: UTF-8 (with or without a byte-order mark), else Windows-1252 (what Excel writes on a
French Windows); the delimiter is ';' or ',', whichever the header line uses more (a French
Excel writes ';'). XLSX: the first sheet whose first filled row names the required columns
(so the template's instructions sheet is skipped whatever its position).
Values are kept as the file gives them (text, or numbers and dates from an XLSX): the checks
decide what they mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsletter.errors import UsageError
from newsletter.i18n import _

Cell = str | int | float | dt.datetime | dt.date | None
HeaderTest = Callable[[tuple[str, ...]], bool]


@dataclass(frozen=True)
class RawTable:
    """The header row and the data rows of a file; each row keeps its spreadsheet row number."""

    source: Path
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    header_row: int = 1


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decode_csv(raw: bytes) -> str:
    """The text of a CSV file: UTF-8 when it is, else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 decodes any byte but five; those five mean the file is neither encoding.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise UsageError(
                _("the file is neither UTF-8 nor Windows-1252 text"),
                hint=_("save it again from your spreadsheet as CSV UTF-8 (or as .xlsx)"),
            ) from None


def read_csv_text(text: str, source: Path) -> RawTable:
    """Split CSV text into the header and the numbered rows (blank rows skipped)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    numbered = [(index, record) for index, record in enumerate(records, start=1) if any(cell.strip() for cell in record)]
    if not numbered:
        raise UsageError(_("{path} is empty").format(path=source), hint=_("write the header row and one row per class and day; `newsletter defi template` writes an empty file to fill in"))
    (header_row, headers), *rows = numbered
    return RawTable(
        source=source,
        headers=tuple(cell.strip() for cell in headers),
        rows=tuple((number, tuple(record)) for number, record in rows),
        header_row=header_row,
    )


def _sheet_table(sheet: object, source: Path) -> RawTable | None:
    numbered: list[tuple[int, tuple[Cell, ...]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        if any(not _blank(value) for value in values):
            numbered.append((number, tuple(values)))
    if not numbered:
        return None
    (header_row, headers), *rows = numbered
    return RawTable(source=source, headers=tuple("" if h is None else str(h).strip() for h in headers), rows=tuple(rows), header_row=header_row)


def read_xlsx(path: Path, *, is_data: HeaderTest | None = None) -> RawTable:
    """The first sheet of the workbook whose header `is_data` accepts (a callable on the headers)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError… for a file that is not a workbook
        raise UsageError(
            _("{path} is not an Excel workbook that can be read ({reason})").format(path=path, reason=type(exc).__name__),
            hint=_("open it in your spreadsheet and save it again as .xlsx, or as CSV"),
        ) from None
    try:
        first: RawTable | None = None
        for sheet in workbook.worksheets:
            table = _sheet_table(sheet, path)
            if table is None:
                continue
            if is_data is None or is_data(table.headers):
                return table
            first = first or table
    finally:
        workbook.close()
    if first is None:
        raise UsageError(_("{path} is empty").format(path=path), hint=_("write the header row and one row per class and day; `newsletter defi template` writes an empty file to fill in"))
    return first


def read_table(path: Path, *, is_data: HeaderTest | None = None) -> RawTable:
    """Read a .csv or .xlsx input file; UsageError when it is missing, unreadable or of another kind."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".txt"}:
        raise UsageError(
            _("{path}: expected a .csv or .xlsx file").format(path=path),
            hint=_("export the results from your spreadsheet or form as CSV or .xlsx"),
        )
    try:
        if suffix == ".xlsx":
            if not path.is_file():
                raise FileNotFoundError(path)
            return read_xlsx(path, is_data=is_data)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(_("file not found: {path}").format(path=path), hint=_("check the path and the file's name")) from None
    except IsADirectoryError:
        raise UsageError(_("{path} is a folder, not a file").format(path=path)) from None
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    try:
        text = decode_csv(raw)
    except UsageError as exc:
        raise UsageError(_("{path}: {message}").format(path=path, message=exc.message), hint=exc.hint) from None
    return read_csv_text(text, path)
