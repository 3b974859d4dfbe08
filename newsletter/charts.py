"""Charts drawn offline with matplotlib: SVG for the HTML reports, PNG (2x) for emails.

Why matplotlib: pure wheels on Windows, macOS and Linux, SVG and PNG without a browser or a
JavaScript engine, and full control of the output (French tick labels, hatches for grey print).
It is imported only when a chart is drawn (about 0.3 s), never by `--help` or `render`, and
only through `matplotlib.figure.Figure` (no pyplot: no global state, no GUI backend).

A chart is a description (`Chart`) built by `line_chart`, `bar_chart` or `stacked_bar_chart`;
`chart.svg()` and `chart.png()` draw it. The same chart always gives the same bytes: the SVG's
ids come from its content (so several charts can share one HTML page), every text is measured
with DejaVu Sans (shipped inside matplotlib, so the layout is the same on every machine), and no
date is written into either file.

The SVG keeps its text as text (`svg.fonttype = "none"`), shown in the page's sans-serif
(`FONT_STACK`): 4 to 5 times smaller than text drawn as paths (the example report's six charts:
~250 KB -> ~70 KB), selectable and searchable in the page and in its PDF, and the charts read
in the same type as the tables around them. The layout is measured with DejaVu Sans, one of the
widest sans-serifs, so the viewer's Helvetica, Arial or Segoe UI only leaves a label a little
shorter than the room kept for it; a viewer without any of them falls back to DejaVu Sans or
its own sans-serif. The PNG (emails) draws DejaVu Sans itself.

Numbers on the axes and on the bars go through `newsletter.formats` (`44 %`, `1 287` in French);
dates on a line chart's axis are short months (`janv. 2026`). Titles and labels are passed in,
already translated by the caller. Grey print stays readable: series differ in lightness, and
also by marker and dash (lines) or hatch (bars), and the values are written on the chart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from newsletter import formats, i18n

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ValueFormat = Literal["integer", "percent", "decimal"]
Label = str | dt.date

#: The theme's colours, in an order where neighbours differ in lightness (grey print): dark
#: teal, light orange, teal, dark orange, light teal, grey.
PALETTE = ("#0b4d43", "#ffb68a", "#00806e", "#e8590c", "#6fd3c1", "#5b6b66", "#a9bab5", "#2a1f17")
#: A second cue for each series, for grey print and colour-blind readers.
HATCHES = ("", "///", "", "\\\\\\", "...", "xx", "", "--")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", "-.", ":", "-", "--", "-.", ":")
INK = "#17322d"
MUTED = "#5b6b66"
GRID = "#dfe7e4"
#: The SVG's text is shown in this font stack (the report page's own, then the font it was measured with).
FONT_STACK = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, 'DejaVu Sans', sans-serif"

#: Default size in CSS pixels; the PNG is drawn at twice that (sharp on high-density screens).
WIDTH, HEIGHT = 720, 380
PNG_SCALE = 2
#: Above this, the PNG is re-encoded with a palette of 256 colours (flat colours lose nothing).
PNG_BUDGET = 120_000


@dataclass(frozen=True)
class Series:
    """One series of values, one per category or date (None: no value there)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    """A chart to draw; build it with `line_chart`, `bar_chart` or `stacked_bar_chart`."""

    kind: Literal["line", "bar", "stacked"]
    title: str
    labels: tuple[Label, ...]
    series: tuple[Series, ...]
    value_format: ValueFormat = "integer"
    x_label: str | None = None
    y_label: str | None = None
    horizontal: bool = False
    width: int = WIDTH
    height: int = HEIGHT
    colors: tuple[str, ...] = PALETTE
    note: str | None = None  # a line under the chart: the source, what a rate is computed on

    def svg(self, *, titled: bool = True) -> str:
        """The chart as an `<svg>` element to put inside HTML (no XML prolog, no fixed size).

        `titled=False` leaves the title out of the drawing (the page shows it as a heading, in
        its own type); it stays the SVG's accessible name.
        """
        return _svg(self, titled=titled)

    def png(self) -> bytes:
        """The chart as a PNG at twice its size, at most about 120 KB."""
        return _png(self)


def _check(labels: Sequence[Label], series: Sequence[Series]) -> None:
    if not series:
        raise ValueError("a chart needs at least one series")
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(f"series {one.label!r} has {len(one.values)} values for {len(labels)} labels")


def line_chart(
    labels: Sequence[Label],
    series: Sequence[Series],
    *,
    title: str,
    value_format: ValueFormat = "integer",
    x_label: str | None = None,
    y_label: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    note: str | None = None,
) -> Chart:
    """Lines over dates or labels (each series named at its last point), e.g. open and click rates per issue."""
    _check(labels, series)
    return Chart("line", title, tuple(labels), tuple(series), value_format, x_label, y_label, False, width, height, note=note)


def bar_chart(
    labels: Sequence[Label],
    series: Sequence[Series],
    *,
    title: str,
    value_format: ValueFormat = "integer",
    horizontal: bool = False,
    x_label: str | None = None,
    y_label: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    note: str | None = None,
) -> Chart:
    """Bars, grouped side by side when there are several series, each with its value written on it."""
    _check(labels, series)
    return Chart("bar", title, tuple(labels), tuple(series), value_format, x_label, y_label, horizontal, width, height, note=note)


def stacked_bar_chart(
    labels: Sequence[Label],
    series: Sequence[Series],
    *,
    title: str,
    value_format: ValueFormat = "percent",
    horizontal: bool = True,
    x_label: str | None = None,
    y_label: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    note: str | None = None,
) -> Chart:
    """Stacked bars, e.g. modal shares per school (fractions that add up to 1 with "percent");
    each segment wide enough carries its value, and a legend names the series."""
    _check(labels, series)
    return Chart("stacked", title, tuple(labels), tuple(series), value_format, x_label, y_label, horizontal, width, height, note=note)


# -- formatting -----------------------------------------------------------------------------------


def format_value(value: float, value_format: ValueFormat, *, tick: bool = False) -> str:
    """A value as the chart writes it: `1 287`, `44 %` (ticks and labels) or `2,5`."""
    if value_format == "percent":
        return formats.percent(value, digits=0)
    if value_format == "decimal":
        return formats.decimal(value, digits=0 if tick and float(value).is_integer() else 1)
    return formats.integer(round(value))


def format_label(label: Label, *, with_year: bool = True) -> str:
    """A category as the axis writes it; a date is a short month (`janv. 2026`, or `janv.` without its year)."""
    if isinstance(label, dt.date):
        from babel.dates import format_date

        return str(format_date(label, "MMM y" if with_year else "MMM", locale="fr_FR" if i18n.language() == "fr" else "en_US"))
    return label


def axis_labels(labels: Sequence[Label]) -> list[str]:
    """The axis' labels: months of a single year go without it (`janv.`…`déc.`, upright, no
    need to tilt them), as the chart's title or page says the period."""
    dates = [label for label in labels if isinstance(label, dt.date)]
    one_year = len(dates) == len(labels) and len({day.year for day in dates}) == 1
    return [format_label(label, with_year=not one_year) for label in labels]


# -- drawing --------------------------------------------------------------------------------------

_STYLE: dict[Any, Any] = {  # matplotlib types rcParams keys as Literals: any key it knows
    "font.family": "DejaVu Sans",  # shipped inside matplotlib: the same glyphs on every machine
    "font.size": 10.5,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "axes.titlecolor": INK,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "legend.frameon": False,
    "hatch.color": "#ffffff",
    "hatch.linewidth": 1.2,
    "svg.fonttype": "none",  # text kept as text, shown in FONT_STACK (see the module's docstring)
    "svg.hashsalt": "newsletter",  # stable ids, hence stable output
    "svg.image_inline": True,
}


def _figure(chart: Chart, *, titled: bool = True) -> Figure:
    import matplotlib

    matplotlib.use("Agg")  # never a GUI backend, even where a display exists
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(chart.width / 100, chart.height / 100), dpi=100, layout="constrained")
        axes = figure.add_subplot()
        if titled:
            axes.set_title(chart.title)
        if chart.kind == "line":
            _draw_lines(axes, chart)
        elif chart.kind == "bar":
            _draw_bars(axes, chart)
        else:
            _draw_stacked(axes, chart)
        if chart.x_label:
            axes.set_xlabel(chart.x_label)
        if chart.y_label:
            axes.set_ylabel(chart.y_label)
        if chart.note:
            # A figure-level label: the constrained layout keeps room for it under the ticks.
            figure.supxlabel(chart.note, x=0.01, ha="left", fontsize=8.5, color=MUTED)
    return figure


def _value_axis(axes: Axes, chart: Chart, *, horizontal: bool) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis = axes.xaxis if horizontal else axes.yaxis
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_value(value, chart.value_format, tick=True)))
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=chart.value_format == "integer"))
    axes.grid(True, axis="x" if horizontal else "y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(length=0)


def _category_ticks(axes: Axes, chart: Chart, *, horizontal: bool) -> None:
    texts = axis_labels(chart.labels)
    positions = range(len(texts))
    if horizontal:
        axes.set_yticks(list(positions), texts)
        axes.invert_yaxis()  # the first category on top, as a table reads
    else:
        rotate = sum(len(text) for text in texts) * 7.5 > chart.width * 0.8
        # On one baseline: top-aligned (matplotlib's default), a label with an accent ("févr.",
        # "août") sits lower than its neighbours once the viewer's font draws it.
        axes.set_xticks(list(positions), texts, rotation=35 if rotate else 0, ha="right" if rotate else "center",
                        rotation_mode="anchor", va="baseline")
        axes.tick_params(axis="x", pad=4 + 0.8 * float(_STYLE["font.size"]))  # room for the ascent above the baseline


def _draw_lines(axes: Axes, chart: Chart) -> None:
    xs = list(range(len(chart.labels)))
    top = 0.0
    for index, one in enumerate(chart.series):
        color = chart.colors[index % len(chart.colors)]
        points = [(x, v) for x, v in zip(xs, one.values, strict=True) if v is not None]
        if not points:
            continue
        px, py = zip(*points, strict=True)
        axes.plot(px, py, color=color, linewidth=2.2, linestyle=DASHES[index % len(DASHES)],
                  marker=MARKERS[index % len(MARKERS)], markersize=6, markerfacecolor=color,
                  markeredgecolor="#ffffff", markeredgewidth=1, label=one.label)
        top = max(top, *py)
        # Direct label: the series' name and last value at the end of its line (no legend to look up).
        colon = "\u00a0: " if i18n.language() == "fr" else ": "  # French puts a space before the colon
        axes.annotate(one.label + colon + format_value(py[-1], chart.value_format), (px[-1], py[-1]), xytext=(8, 0), textcoords="offset points", va="center", ha="left",
                      color=color if index % 2 == 0 else INK, fontsize=9.5, fontweight="bold")
    axes.set_ylim(0, top * 1.15 if top > 0 else 1)
    axes.set_xlim(-0.4, len(xs) - 1 + max(0.4, len(xs) * 0.22))
    _value_axis(axes, chart, horizontal=False)
    _category_ticks(axes, chart, horizontal=False)


def _bar_style(chart: Chart, index: int) -> dict[str, Any]:
    color = chart.colors[index % len(chart.colors)]
    return {"color": color, "hatch": HATCHES[index % len(HATCHES)] or None, "edgecolor": "#ffffff", "linewidth": 0.6,
            "label": chart.series[index].label}


def _text_color(background: str) -> str:
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return INK if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def _draw_bars(axes: Axes, chart: Chart) -> None:
    count = len(chart.series)
    width = 0.8 / count
    top = max((v for one in chart.series for v in one.values if v is not None), default=0.0)
    for index, one in enumerate(chart.series):
        offsets = [i - 0.4 + width * (index + 0.5) for i in range(len(chart.labels))]
        values = [v if v is not None else 0.0 for v in one.values]
        style = _bar_style(chart, index)
        bars = axes.barh(offsets, values, height=width * 0.92, **style) if chart.horizontal else axes.bar(offsets, values, width=width * 0.92, **style)
        texts = [format_value(v, chart.value_format) if v is not None else "" for v in one.values]
        axes.bar_label(bars, texts, padding=3, fontsize=9 if count < 3 else 8, color=INK)
    if chart.horizontal:
        axes.set_xlim(0, top * 1.15 if top > 0 else 1)
    else:
        axes.set_ylim(0, top * 1.15 if top > 0 else 1)
    _value_axis(axes, chart, horizontal=chart.horizontal)
    _category_ticks(axes, chart, horizontal=chart.horizontal)
    if count > 1:
        # Under the axes, as for stacked bars: inside them, a legend covers the bars near the top.
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 if chart.horizontal else -0.1), fontsize=9, ncols=min(4, count))


def _draw_stacked(axes: Axes, chart: Chart) -> None:
    positions = list(range(len(chart.labels)))
    bottoms = [0.0] * len(positions)
    total = max((sum(v or 0.0 for v in values) for values in zip(*(one.values for one in chart.series), strict=True)), default=0.0)
    for index, one in enumerate(chart.series):
        values = [v or 0.0 for v in one.values]
        style = _bar_style(chart, index)
        if chart.horizontal:
            bars = axes.barh(positions, values, left=bottoms, height=0.66, **style)
        else:
            bars = axes.bar(positions, values, bottom=bottoms, width=0.66, **style)
        # A segment too thin to hold its value stays unlabelled; the table under the chart has it.
        texts = [format_value(v, chart.value_format) if total and v / total >= 0.06 else "" for v in values]
        axes.bar_label(bars, texts, label_type="center", fontsize=8.5, fontweight="bold", color=_text_color(style["color"]),
                       bbox={"boxstyle": "round,pad=0.15", "facecolor": style["color"], "edgecolor": "none"} if style["hatch"] else None)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    limit = 1.0 if chart.value_format == "percent" and total <= 1.0001 else total * 1.05 or 1.0
    if chart.horizontal:
        axes.set_xlim(0, limit)
    else:
        axes.set_ylim(0, limit)
    _value_axis(axes, chart, horizontal=chart.horizontal)
    _category_ticks(axes, chart, horizontal=chart.horizontal)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 if chart.horizontal else -0.12), ncols=min(len(chart.series), 4),
                fontsize=9)


# -- output ---------------------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')


def _lay_out(figure: Figure) -> None:
    """Place the axes once, then freeze them: `savefig` would otherwise draw the whole figure
    twice (once, invisibly, to measure it for the constrained layout, then for real)."""
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
        figure.set_layout_engine("none")


def _svg(chart: Chart, *, titled: bool = True) -> str:
    import matplotlib

    figure = _figure(chart, titled=titled)
    buffer = io.StringIO()
    with matplotlib.rc_context(_STYLE):
        _lay_out(figure)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": chart.title})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    # Measured with DejaVu Sans alone (deterministic), shown in the page's sans-serif.
    text = text.replace("font-family: 'DejaVu Sans'", "font-family: " + FONT_STACK)
    # Several charts on one page: prefix every id with a hash of this chart's drawing, so two
    # charts never share an id (matplotlib numbers clip paths and hatches alike in every file).
    prefix = "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] + "-"
    ids = set(_ID.findall(text))
    if ids:
        pattern = re.compile(r'(id="|#)(' + "|".join(re.escape(name) for name in sorted(ids, key=len, reverse=True)) + r')(?=["\)])')
        text = pattern.sub(lambda match: match.group(1) + prefix + match.group(2), text)
    # Drawn at the width of its container; the viewBox keeps the proportions.
    text = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1', text, count=1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{_attr(chart.title)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _png(chart: Chart) -> bytes:
    import matplotlib

    figure = _figure(chart)
    buffer = io.BytesIO()
    with matplotlib.rc_context(_STYLE):
        _lay_out(figure)
        figure.savefig(buffer, format="png", dpi=100 * PNG_SCALE, metadata={"Software": None}, facecolor="#ffffff")
    data = buffer.getvalue()
    if len(data) <= PNG_BUDGET:
        return data
    from PIL import Image  # matplotlib depends on Pillow

    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    smaller = io.BytesIO()
    image.save(smaller, format="PNG", optimize=True)
    return smaller.getvalue()
