"""The report as one self-contained HTML page, through the theme's `report/report.html.j2`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from newsletter.reporting.model import Figure, Paragraph, Report, Table, format_cell

if TYPE_CHECKING:
    from newsletter.config import Settings

TEMPLATE = "report/report.html.j2"


@dataclass(frozen=True)
class _Cell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class _Block:
    kind: str  # "paragraph", "table" or "figure"
    text: str = ""
    title: str = ""
    headers: tuple[tuple[str, bool], ...] = ()
    rows: tuple[tuple[_Cell, ...], ...] = ()
    note: str | None = None
    svg: Markup | None = None
    caption: str | None = None


def _block(block: Paragraph | Table | Figure) -> _Block:
    if isinstance(block, Paragraph):
        return _Block("paragraph", text=block.text)
    if isinstance(block, Table):
        numeric = tuple(column.kind in ("integer", "decimal", "percent") for column in block.columns)
        rows = tuple(tuple(_Cell(format_cell(value, column.kind), flag) for value, column, flag in zip(row, block.columns, numeric, strict=True))
                     for row in block.rows)
        return _Block("table", title=block.title, headers=tuple((c.label, n) for c, n in zip(block.columns, numeric, strict=True)),
                      rows=rows, note=block.note)
    # matplotlib's own SVG, made from our data with every text drawn as paths: safe to inline.
    return _Block("figure", title=block.chart.title, svg=Markup(block.chart.svg()), caption=block.caption)


def report_html(settings: Settings, report: Report) -> str:
    """The report's HTML page (charts drawn now, as inline SVG); TemplateError when the theme's template fails."""
    from newsletter.render.templates import render_template, template_environment

    sections = [
        {"title": section.title, "intro": section.intro, "keep": section.keep_with_previous,
         "blocks": [_block(block) for block in section.blocks]}
        for section in report.sections
    ]
    context = {
        "report": report,
        "sections": sections,
        "theme": settings.file.theme,
    }
    return render_template(template_environment(settings), TEMPLATE, context)
