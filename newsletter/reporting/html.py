"""The report as one self-contained HTML page, through the theme's `report/report.html.j2`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from newsletter.french import french_spacing
from newsletter.reporting.model import Figure, KeyFigure, Paragraph, Report, Table, format_cell

if TYPE_CHECKING:
    from newsletter.config import Settings

TEMPLATE = "report/report.html.j2"
#: A table up to this many rows is never cut by a page break in print (a longer one is, with
#: its header row repeated on each page).
SHORT_TABLE_ROWS = 25
#: Columns whose cells never wrap: a number, a rate, a date, a month.
_NO_WRAP = ("integer", "decimal", "percent", "date", "month", "key")
_NUMERIC = ("integer", "decimal", "percent")


@dataclass(frozen=True)
class _Cell:
    text: str
    css: str  # "num", "nowrap" or ""


@dataclass(frozen=True)
class _Table:
    title: str
    headers: tuple[tuple[str, str], ...]
    rows: tuple[tuple[_Cell, ...], ...]
    note: str | None
    short: bool


@dataclass(frozen=True)
class _Block:
    kind: str  # "paragraph", "table" or "figure"
    text: str = ""
    title: str = ""
    table: _Table | None = None
    svg: Markup | None = None
    caption: str | None = None


def _css(kind: str) -> str:
    return "num" if kind in _NUMERIC else "nowrap" if kind in _NO_WRAP else ""


def _table(table: Table, words: Callable[[str], str]) -> _Table:
    kinds = [column.kind for column in table.columns]
    rows = tuple(
        tuple(_Cell(words(format_cell(value, kind)) if isinstance(value, str) else format_cell(value, kind), _css(kind))
              for value, kind in zip(row, kinds, strict=True))
        for row in table.rows
    )
    return _Table(words(table.title), tuple((words(c.label), _css(c.kind)) for c in table.columns), rows,
                  words(table.note) if table.note else None, len(table.rows) <= SHORT_TABLE_ROWS)


def _block(block: Paragraph | Table | Figure, words: Callable[[str], str]) -> _Block:
    if isinstance(block, Paragraph):
        return _Block("paragraph", text=words(block.text))
    if isinstance(block, Table):
        return _Block("table", table=_table(block, words))
    # The chart's title is the figure's heading, in the page's type; the drawing goes without it.
    # matplotlib's own SVG, made from our data (its text escaped by matplotlib): safe to inline.
    return _Block("figure", title=words(block.chart.title), svg=Markup(block.chart.svg(titled=False)),
                  caption=words(block.caption) if block.caption else None,
                  table=_table(block.table, words) if block.table is not None else None)


def report_html(settings: Settings, report: Report) -> str:
    """The report's HTML page (charts drawn now, as inline SVG); TemplateError when the theme's template fails.

    In French, every text of the page gets French spacing (a no-break space before : ; ! ? and
    inside « »), figures included: a subject written `Rentrée : …` never breaks before its colon.
    """
    from newsletter.render.templates import render_template, template_environment

    words: Callable[[str], str] = french_spacing if report.language == "fr" else str
    sections = [
        {"title": words(section.title), "intro": words(section.intro) if section.intro else None,
         "blocks": [_block(block, words) for block in section.blocks]}
        for section in report.sections
    ]
    context = {
        "report": report,
        "title": words(report.title),
        "subtitle": words(report.subtitle) if report.subtitle else None,
        "summary": words(report.summary),
        "key_figures": [KeyFigure(figure.value, words(figure.label), words(figure.detail) if figure.detail else None)
                        for figure in report.key_figures],
        "footer": words(report.footer) if report.footer else None,
        "sections": sections,
        "theme": settings.file.theme,
    }
    return render_template(template_environment(settings), TEMPLATE, context)
