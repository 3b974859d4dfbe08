"""Charts: deterministic SVG with ids unique per chart, PNG at 2x under budget, formatted ticks."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest

from newsletter import charts, i18n


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def rates() -> charts.Chart:
    months = [dt.date(2026, m, 1) for m in range(1, 13)]
    return charts.line_chart(
        months,
        [charts.Series("Opens", [0.46, 0.44, 0.47, 0.45, 0.48, 0.43, 0.41, 0.39, 0.47, 0.46, 0.45, 0.49]),
         charts.Series("Clicks", [0.08, 0.07, 0.09, 0.1, 0.08, None, 0.06, 0.05, 0.09, 0.08, 0.1, 0.11])],
        title="Open and click rates", value_format="percent", note="Rates on delivered messages",
    )


def shares() -> charts.Chart:
    return charts.stacked_bar_chart(
        ["School A", "School B"],
        [charts.Series("Walking", [0.5, 0.3]), charts.Series("Cycling", [0.1, 0.4]), charts.Series("Car", [0.4, 0.3])],
        title="Modal shares",
    )


def test_svg_is_stable_valid_and_sized_by_its_container() -> None:
    chart = rates()
    svg = chart.svg()
    assert svg == rates().svg()  # the same chart, the same bytes
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "viewBox" in root.attrib and "width" not in root.attrib
    assert root.attrib["aria-label"] == "Open and click rates"
    assert "<?xml" not in svg
    # Text stays text (selectable, small), shown in the page's sans-serif; DejaVu Sans measured it.
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert "Jan" in texts and "Open and click rates" in texts and "Rates on delivered messages" in texts
    assert set(re.findall(r"font-family: ([^;\"]+)", svg)) == {charts.FONT_STACK}
    assert len(svg) < 25_000  # drawn as paths, the same chart weighed ~50 KB


def test_an_untitled_svg_leaves_the_title_to_the_page() -> None:
    svg = rates().svg(titled=False)
    assert ET.fromstring(svg).attrib["aria-label"] == "Open and click rates"  # still its accessible name
    assert "Open and click rates" not in re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def test_months_of_one_year_go_without_it() -> None:
    assert charts.axis_labels([dt.date(2026, 1, 1), dt.date(2026, 2, 1)]) == ["Jan", "Feb"]
    assert charts.axis_labels([dt.date(2025, 12, 1), dt.date(2026, 1, 1)]) == ["Dec 2025", "Jan 2026"]
    assert charts.axis_labels(["Paris", "Essonne"]) == ["Paris", "Essonne"]


def test_two_charts_share_no_id() -> None:
    ids = [set(re.findall(r'id="([^"]+)"', chart.svg())) for chart in (rates(), shares())]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    svg = rates().svg()
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', svg):
        assert reference in ids[0]  # every reference points at a renamed id


def test_png_is_twice_the_size_and_within_budget() -> None:
    from PIL import Image

    data = rates().png()
    image = Image.open(io.BytesIO(data))
    assert image.size == (charts.WIDTH * 2, charts.HEIGHT * 2)
    assert len(data) <= charts.PNG_BUDGET


def test_values_are_formatted_for_the_reader() -> None:
    i18n.set_language("fr")
    try:
        assert re.fullmatch(r"44[ \u00a0\u202f]%", charts.format_value(0.44, "percent"))  # a (no-break) space before %
        assert charts.format_value(1287, "integer") == "1\u202f287"
        assert charts.format_label(dt.date(2026, 1, 1)) == "janv. 2026"
    finally:
        i18n.set_language("en")
    assert charts.format_value(0.44, "percent") == "44%"
    assert charts.format_value(1287, "integer") == "1,287"


def test_bar_charts_draw_every_kind() -> None:
    grouped = charts.bar_chart(["Paris", "Essonne"], [charts.Series("2025", [120, 30]), charts.Series("2026", [140, None])],
                               title="Actors", horizontal=True)
    vertical = charts.bar_chart(["Jan", "Feb"], [charts.Series("Items", [3, 5])], title="Items")
    for chart in (grouped, vertical, shares()):
        assert ET.fromstring(chart.svg()) is not None
        assert chart.png().startswith(b"\x89PNG")


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="has 1 values for 2 labels"):
        charts.bar_chart(["a", "b"], [charts.Series("x", [1])], title="t")
