"""The report model: what a report says, independent of the file it is written to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from newsletter import formats

if TYPE_CHECKING:
    from newsletter.charts import Chart

#: How a column's values are shown: `percent` cells hold fractions (0.44 is 44 %), `month`
#: cells hold the first day of the month.
ColumnKind = Literal["text", "integer", "decimal", "percent", "date", "month"]
CellValue = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    """A table column: its header (translated) and the kind of its values."""

    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Table:
    """A table: shown in the HTML page and written as one sheet of the workbook.

    `sheet` names the sheet (the title when None; shortened to Excel's 31 characters).
    """

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[CellValue]]
    sheet: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.title!r}: row {number} has {len(row)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class Figure:
    """A chart in the page, with an optional caption under it."""

    chart: Chart
    caption: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (escaped in the page)."""

    text: str


Block = Paragraph | Table | Figure


@dataclass(frozen=True)
class KeyFigure:
    """A figure shown large at the top of the page: `1 287` over `abonnés en décembre`."""

    value: str
    label: str
    detail: str | None = None


@dataclass(frozen=True)
class Section:
    """A titled part of the report; in print, each section starts on a new page unless `keep_with_previous`."""

    title: str
    blocks: Sequence[Block]
    intro: str | None = None
    keep_with_previous: bool = False


@dataclass(frozen=True)
class Report:
    """A whole report: page title, summary paragraph, key figures, sections, and a footer line."""

    title: str
    summary: str
    sections: Sequence[Section]
    subtitle: str | None = None
    organisation: str | None = None
    key_figures: Sequence[KeyFigure] = field(default=())
    footer: str | None = None
    language: str = "fr"

    def tables(self) -> list[Table]:
        """Every table, in the order of the page (one sheet each in the workbook)."""
        return [block for section in self.sections for block in section.blocks if isinstance(block, Table)]


def format_cell(value: CellValue, kind: ColumnKind) -> str:
    """A cell as the page shows it: `1 287`, `44,0 %`, `8 décembre 2026`, `décembre 2026`, or a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return formats.month(value) if kind == "month" else formats.long_date(value)
    if isinstance(value, str):
        return value
    if kind == "integer":
        return formats.integer(round(value))
    if kind == "percent":
        return formats.percent(value, 1)
    if kind == "decimal":
        return formats.decimal(value, 1)
    return formats.integer(value) if isinstance(value, int) else formats.decimal(value, 1)
