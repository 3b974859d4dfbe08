"""The report's tables as an `.xlsx` workbook (openpyxl): one sheet per table, real numbers.

Numbers stay numbers (a funder sums them again), with Excel number formats that each Excel or
LibreOffice shows in its own language: `# ##0` for counts, `0.0 %` for rates, dates as dates.
Headers are bold and frozen; column widths follow the longest value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from newsletter.i18n import _
from newsletter.reporting.model import CellValue, ColumnKind, Report, Table

#: Excel refuses these characters in a sheet name, and names longer than 31 characters.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31

NUMBER_FORMATS: dict[ColumnKind, str] = {
    "integer": "#,##0",
    "decimal": "#,##0.0",
    "percent": "0.0 %",
    "date": "dd/mm/yyyy",
    "month": "mmmm yyyy",
}


def sheet_name(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name for `title`: forbidden characters replaced, at most 31 characters.

    Excel compares sheet names case-insensitively; a name already taken gets ` (2)`, ` (3)`…
    """
    base = _FORBIDDEN.sub("-", title).strip().strip("'") or _("Sheet")
    used = {name.casefold() for name in taken}
    candidate, number = base[:MAX_SHEET_NAME].rstrip(), 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    return candidate


def _cell_value(value: CellValue) -> CellValue:
    if value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones
    return value


def _shown_width(value: CellValue, kind: ColumnKind) -> int:
    if value is None:
        return 1
    if isinstance(value, dt.date):
        return 10 if kind == "date" else 15
    if isinstance(value, float) and kind == "percent":
        return 7
    if isinstance(value, int | float):
        return len(f"{value:,.1f}") if isinstance(value, float) else len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=1)


def _write_sheet(sheet: object, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="00806E")
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in table.rows:
        sheet.append([_cell_value(value) for value in row])
    for index, column in enumerate(table.columns, start=1):
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | float | dt.date):
                    cell.number_format = number_format
        widest = max([len(column.label) * 0.9, *(_shown_width(row[index - 1], column.kind) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60.0, max(8.0, widest + 2))
    sheet.freeze_panes = "A2"
    if table.note:
        sheet.cell(row=len(table.rows) + 3, column=1, value=table.note).font = Font(italic=True, color="5B6B66")


def report_workbook(report: Report) -> bytes:
    """The workbook of `report`'s tables, one sheet each in page order, as `.xlsx` bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    names: list[str] = []
    for table in report.tables():
        name = sheet_name(table.sheet or table.title, names)
        names.append(name)
        _write_sheet(workbook.create_sheet(name), table)
    if not names:
        workbook.create_sheet(sheet_name(report.title))
    workbook.properties.title = report.title
    workbook.properties.creator = report.organisation or "newsletter"
    # Fixed stamps, so the same report gives the same file (openpyxl stamps "now" otherwise).
    workbook.properties.created = workbook.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
