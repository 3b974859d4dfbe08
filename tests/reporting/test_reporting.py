"""Report files: the HTML page (self-contained, French numbers, inline charts) and the workbook."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from newsletter import charts, i18n
from newsletter.config import load_settings
from newsletter.reporting import (
    Column,
    Figure,
    KeyFigure,
    Paragraph,
    Report,
    Section,
    Table,
    safe_file_name,
    write_report,
)
from newsletter.reporting.xlsx import sheet_name


def sample() -> Report:
    table = Table(
        "Issues sent: figures [2026]",
        [Column("Issue"), Column("Date", "date"), Column("Delivered", "integer"), Column("Open rate", "percent")],
        [("2026-01", dt.date(2026, 1, 8), 1234, 0.4567), ("2026-02", dt.date(2026, 2, 5), 1250, None)],
        note="Rates on delivered messages.",
    )
    chart = charts.bar_chart(["2026-01", "2026-02"], [charts.Series("Delivered", [1234, 1250])], title="Delivered")
    return Report(
        title="The letter's year", summary="2 letters <b>sent</b>.", organisation="Mobiscol",
        key_figures=[KeyFigure("1,250", "subscribers")],
        sections=[Section("Issues", [Paragraph("Text & more"), table, Figure(chart, "Caption")]),
                  Section("Same name", [Table("Issues sent: figures [2026]", [Column("A")], [("x",)])])],
        footer="Made by newsletter", language="en",
    )


def test_write_report_writes_html_and_xlsx(example_workspace: Path) -> None:
    i18n.set_language("fr")
    try:
        settings = load_settings(example_workspace / "newsletter.toml")
        files = write_report(settings, sample(), out_dir=example_workspace / "reports", stem="Rapport 2026/01")
    finally:
        i18n.set_language("en")
    assert files.html.name == "rapport-2026-01.html" and files.xlsx.name == "rapport-2026-01.xlsx"
    html = files.html.read_text(encoding="utf-8")
    assert "2 letters &lt;b&gt;sent&lt;/b&gt;." in html and "Text &amp; more" in html  # escaped
    assert "1\u202f234" in html and re.search(r"45,7[ \u00a0\u202f]%", html) and "8 janvier 2026" in html and "—" in html
    assert html.count("<svg") == 1 and "<script" not in html and "http" not in html.split("<body>")[1].split("<svg")[0]
    # In print, sections flow (no page left half empty) and no chart or short table is cut.
    assert "@media print" in html and "break-before: page" not in html and ".table-wrap.short" in html
    assert '<div class="table-wrap short">' in html

    book = load_workbook(io.BytesIO(files.xlsx.read_bytes()))
    assert book.sheetnames == ["Issues sent- figures -2026-", "Issues sent- figures -2026- (2)"]
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Issue", "Date", "Delivered", "Open rate"]
    assert sheet["A1"].font.bold
    assert sheet["C2"].value == 1234 and sheet["C2"].number_format == "#,##0"
    assert sheet["D2"].value == pytest.approx(0.4567) and sheet["D2"].number_format == "0.0 %"
    assert sheet["B2"].value == dt.datetime(2026, 1, 8)
    assert sheet["D3"].value is None
    assert sheet["A5"].value == "Rates on delivered messages."


@pytest.mark.parametrize(("title", "expected"), [
    ("a" * 40, "a" * 31),
    ("Veille: sources / mois?", "Veille- sources - mois-"),
    ("", "Sheet"),
])
def test_sheet_names_are_valid(title: str, expected: str) -> None:
    assert sheet_name(title) == expected


def test_sheet_names_are_unique_ignoring_case() -> None:
    assert sheet_name("Issues", ["issues"]) == "Issues (2)"
    assert len(sheet_name("b" * 40, ["b" * 31])) == 31


@pytest.mark.parametrize(("stem", "expected"), [
    ("Rapport 2026/01–12", "rapport-2026-01-12"),
    ('a<b>:c"d|e?f*g', "a-b-c-d-e-f-g"),
    ("CON", "_con"),
    ("Défi é.", "defi-e"),
])
def test_file_names_are_safe_on_windows(stem: str, expected: str) -> None:
    assert safe_file_name(stem) == expected
