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
#: cells hold the first day of the month, `key` cells a short name never wrapped (`2026-01`).
ColumnKind = Literal["text", "key", "integer", "decimal", "percent", "date", "month"]
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
    """A chart in the page under its title, with an optional caption and the table of its figures.

    With `table`, the page shows the chart and its table under one heading (the chart's title;
    the table's own title stays for screen readers and names its sheet in the workbook).
    """

    chart: Chart
    caption: str | None = None
    table: Table | None = None


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
    """A titled part of the report. In print, sections follow each other on the page; no chart,
    short table or heading is cut by a page break (the print CSS of the theme's template)."""

    title: str
    blocks: Sequence[Block]
    intro: str | None = None


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
        """Every table, a chart's own included, in the order of the page (one sheet each in the workbook)."""
        found: list[Table] = []
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Table):
                    found.append(block)
                elif isinstance(block, Figure) and block.table is not None:
                    found.append(block.table)
        return found


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
