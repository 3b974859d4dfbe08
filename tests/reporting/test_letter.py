"""The letter's year: figures hand-checked on three campaigns, then the CLI on the example year."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from newsletter.campaigns import CachedStats, CampaignRecord, DigestItem, IssueDigest
from newsletter.providers.base import CampaignStats
from newsletter.reporting.letter import actor_place_and_category, item_source, letter_year
from newsletter.reporting.letter_page import letter_report, summary_text

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def english() -> None:
    from newsletter import i18n

    i18n.set_language("en")
ROOT = Path(__file__).resolve().parents[2]


def record(issue: str, sent_at: str | None, *, delivered: int, opens: int, clicks: int, subscribers: int | None,
           items: list[DigestItem], links: dict[str, int], map_actors: int | None, provider: str = "brevo") -> CampaignRecord:
    figures = CampaignStats(sent=delivered + 5, delivered=delivered, unique_opens=opens, unique_clicks=clicks,
                            hard_bounces=2, soft_bounces=3, unsubscriptions=1, complaints=0)
    return CampaignRecord(issue=issue, provider=provider, id=issue, name=issue, status="sent" if sent_at else "draft",
                          created_at="2026-01-01T00:00:00+01:00", updated_at="2026-01-01T00:00:00+01:00", sent_at=sent_at,
                          stats=CachedStats(read_at="x", figures=figures, links=links), subscribers=subscribers,
                          digest=IssueDigest(subject=f"Subject {issue}", items=items, map_actors=map_actors))


def actor(n: int, meta: str) -> DigestItem:
    return DigestItem(section_id="acteurs", section="Acteurs", title=f"Actor {n}", url=f"https://map.example.org/{n}", meta=meta)


def veille(n: int, source: str) -> DigestItem:
    return DigestItem(section_id="veille", section="Veille", title=f"Read {n}", url=f"https://r.example.org/{n}", meta=f"{source} · 3 mars 2026")


RECORDS = [
    record("2026-01", "2026-01-13T09:30:00+01:00", delivered=1000, opens=450, clicks=90, subscribers=1200,
           items=[actor(1, "Montreuil (93) · Pédibus"), actor(2, "Ivry-sur-Seine (94) · Vélobus, Association"), veille(1, "Fil")],
           links={"https://map.example.org/1?utm_source=newsletter": 30, "https://r.example.org/1": 12, "https://elsewhere.example.org/": 99},
           map_actors=1000),
    record("2026-02", "2026-02-10T09:30:00+01:00", delivered=1100, opens=440, clicks=110, subscribers=1320,
           items=[actor(3, "Montreuil (93) · Pédibus"), veille(2, "Fil"), veille(3, "Obs")],
           links={"https://r.example.org/2": 40, "https://r.example.org/3": 5}, map_actors=1010),
    # Sent on the night of 31 December in UTC, which is January 1st in Paris: outside 2026-01..2026-02? no, inside.
    record("2026-03", "2026-02-28T23:30:00+00:00", delivered=900, opens=300, clicks=50, subscribers=None, items=[], links={}, map_actors=None),
    record("2025-12", "2025-12-09T09:30:00+01:00", delivered=999, opens=999, clicks=999, subscribers=1100, items=[], links={}, map_actors=900),
    record("2026-04", None, delivered=1, opens=1, clicks=1, subscribers=1, items=[], links={}, map_actors=None),  # never sent
]


def year_of_records():
    return letter_year(RECORDS, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), tz=PARIS,
                       actor_sections={"acteurs"}, veille_sections={"veille"})


def test_figures_of_the_period() -> None:
    year = year_of_records()
    assert [row.issue for row in year.issues] == ["2026-01", "2026-02", "2026-03"]  # 2025-12 and the draft left out
    assert year.issues[2].sent_on == dt.date(2026, 3, 1)  # 23:30 UTC is 00:30 in Paris
    assert year.issues[0].open_rate == pytest.approx(0.45)
    assert year.issues[1].click_rate == pytest.approx(0.1)
    # Weighted: (450 + 440 + 300) / (1000 + 1100 + 900) = 1190 / 3000; clicks 250 / 3000.
    assert year.open_rate == pytest.approx(1190 / 3000)
    assert year.click_rate == pytest.approx(250 / 3000)
    assert [(i.title, i.issue, i.clicks) for i in year.top_items] == [("Read 2", "2026-02", 40), ("Actor 1", "2026-01", 30),
                                                                      ("Read 1", "2026-01", 12), ("Read 3", "2026-02", 5)]
    assert year.actors_per_month == ((dt.date(2026, 1, 1), 2), (dt.date(2026, 2, 1), 1), (dt.date(2026, 3, 1), 0))
    assert year.actors_by_departement == (("93", 2), ("94", 1))
    assert year.actors_by_category == (("Pédibus", 2), ("Vélobus", 1))
    assert year.veille_by_source == (("Fil", 2), ("Obs", 1))
    assert year.map_size == ((dt.date(2026, 1, 13), 1000), (dt.date(2026, 2, 10), 1010))


def test_summary_in_words() -> None:
    # 1320 / 1200 - 1 = +10 %; 1190 / 3000 = 39.7 % -> 40 %; 250 / 3000 = 8.3 % -> 8 %.
    assert summary_text(year_of_records()) == (
        "3 letters were sent from January 2026 to March 2026. "
        "The list had 1,320 subscribers in February 2026 (+10% since January 2026). "
        "On average, 40% of the delivered letters were opened and 8% were clicked. "
        "The letter announced 3 new actors of the network. "
        "The map showed 1,010 actors on February 10, 2026."
    )


def test_summary_of_one_letter_and_a_shrinking_list() -> None:
    january, february = RECORDS[0], RECORDS[1].model_copy(update={"subscribers": 1152})
    year = letter_year([january], start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 1), tz=PARIS,
                       actor_sections={"acteurs"}, veille_sections=set())
    assert summary_text(year).startswith("1 letter was sent from January 2026 to January 2026. The list had 1,200 subscribers in January 2026. ")
    year = letter_year([january, february], start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), tz=PARIS,
                       actor_sections={"acteurs"}, veille_sections=set())
    assert "(\u22124% since January 2026)" in summary_text(year)  # 1152 / 1200 - 1, with a real minus sign


def test_every_month_is_counted_even_without_an_actor_or_an_issue() -> None:
    # January and April sent; nothing in February and March; April's issue kept no items.
    april = RECORDS[0].model_copy(update={"issue": "2026-04", "id": "2026-04", "sent_at": "2026-04-14T09:30:00+02:00", "digest": None})
    year = letter_year([RECORDS[0], april], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 1), tz=PARIS,
                       actor_sections={"acteurs"}, veille_sections=set())
    # Up to the last month with an issue sent: the months after it are not zeros yet.
    assert year.actors_per_month == ((dt.date(2026, 1, 1), 2), (dt.date(2026, 2, 1), 0), (dt.date(2026, 3, 1), 0),
                                     (dt.date(2026, 4, 1), None))
    assert year.actors_announced == 2


def test_unwritten_places_and_sources_are_named_and_come_last() -> None:
    items = [actor(1, "Montreuil (93) · Pédibus"), actor(2, "Quelque part"), actor(3, "Quelque part"), actor(4, "Sevran (93)"),
             DigestItem(section_id="veille", section="Veille", title="x", url="https://r.example.org/x", meta="")]
    one = RECORDS[0].model_copy(update={"digest": IssueDigest(subject="s", items=items, map_actors=None)})
    year = letter_year([one], start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 1), tz=PARIS, actor_sections={"acteurs"}, veille_sections={"veille"})
    assert year.actors_by_departement == (("93", 2), (None, 2))
    assert year.veille_by_source == ((None, 1),)
    report = letter_report(year, organisation="o", newsletter_title="t", generated_on=dt.date(2026, 12, 1))
    tables = {table.title: table for table in report.tables()}
    assert list(tables["Actors announced by département"].rows) == [("Seine-Saint-Denis (93)", 2), ("Not written", 2)]


@pytest.mark.parametrize(("meta", "expected"), [
    ("Ivry-sur-Seine (94) · Pédibus, Parents d'élèves", ("94", "Pédibus")),
    ("(2A) · Association", ("2A", "Association")),
    ("Paris", (None, None)),
])
def test_actor_meta_is_read_as_the_draft_writes_it(meta: str, expected: tuple[str | None, str | None]) -> None:
    assert actor_place_and_category(meta) == expected
    assert item_source("Le Fil · 4 novembre 2026") == "Le Fil"


@pytest.fixture
def year_workspace(example_workspace: Path) -> Path:
    (example_workspace / "state").mkdir(exist_ok=True)
    shutil.copy(ROOT / "examples" / "report" / "campaigns-2026.json", example_workspace / "state" / "campaigns.json")
    return example_workspace


def _cells(html: str, caption: str) -> list[list[str]]:
    table = html.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [[html_lib.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_cli_report_html_and_xlsx_hold_the_same_figures(year_workspace: Path) -> None:
    from newsletter import formats
    from newsletter.cli import app

    result = CliRunner().invoke(app, ["--config", str(year_workspace / "newsletter.toml"), "report", "--from", "2026-01", "--to", "2026-12", "--cached"],
                                env={"NEWSLETTER_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    html = (year_workspace / "reports" / "rapport-lettre-2026-01-2026-12.html").read_text(encoding="utf-8")
    book = load_workbook(io.BytesIO((year_workspace / "reports" / "rapport-lettre-2026-01-2026-12.xlsx").read_bytes()))
    assert "Issues sent" in book.sheetnames and "Most clicked items" in book.sheetnames
    sheet = book["Issues sent"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=13)]
    assert len(rows) == 12 and rows[-1][2] == 1287  # December's list size
    html_rows = _cells(html, "Issues sent")
    assert len(html_rows) == 12
    for xlsx_row, html_row in zip(rows, html_rows, strict=True):
        assert html_row[0] == xlsx_row[0]
        assert html_row[2] == formats.integer(xlsx_row[2])  # subscribers
        assert html_row[6] == formats.percent(xlsx_row[6], 1)  # open rate
        assert html_row[8] == formats.percent(xlsx_row[8], 1)  # click rate
    top = [[cell.value for cell in row] for row in book["Most clicked items"].iter_rows(min_row=2, max_row=11)]
    assert [[r[0], str(r[3])] for r in top] == [[r[0], r[3]] for r in _cells(html, "Most clicked items")]
    assert html.count("<svg") == 6
