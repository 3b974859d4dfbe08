"""Reports for funders: one model, written as a self-contained HTML page and an `.xlsx` workbook.

A `Report` is a title, a summary paragraph, a few key figures and sections; a section holds
paragraphs, tables and charts (`newsletter.charts`). `write_report` writes both files at once:
the HTML (French, no JavaScript, charts as inline SVG, print CSS with page breaks, so a browser
prints it to PDF) through the theme's `report/report.html.j2`, and the workbook (one sheet per
table, numbers kept as numbers with their formats). The text is already translated by the
caller; cells hold raw values (int, float fractions for rates, dates) and their column says how
to show them.
"""

from __future__ import annotations

from newsletter.reporting.files import ReportFiles, safe_file_name, write_report
from newsletter.reporting.model import (
    CellValue,
    Column,
    ColumnKind,
    Figure,
    KeyFigure,
    Paragraph,
    Report,
    Section,
    Table,
    format_cell,
)

__all__ = [
    "CellValue",
    "Column",
    "ColumnKind",
    "Figure",
    "KeyFigure",
    "Paragraph",
    "Report",
    "ReportFiles",
    "Section",
    "Table",
    "format_cell",
    "safe_file_name",
    "write_report",
]
