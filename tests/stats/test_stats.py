"""`newsletter stats` against the fake Brevo and Mailjet: figures, links, formats, cache, bad inputs."""

from __future__ import annotations

import csv
import io
import json
import re

from typer.testing import CliRunner, Result

from .conftest import ENV_KEYS, CliFn, Workspace
from .fakes_stats import StatsBrevo, StatsMailjet, brevo_global, mailjet_counters

UTM = "?utm_source=newsletter&utm_medium=email&utm_campaign=2026-12"


def test_listing_both_providers_table(ws: Workspace, cli: CliFn, brevo: StatsBrevo, mailjet: StatsMailjet) -> None:
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global()))
    ws.record("mailjet", mailjet.add_sent_draft("mobiscol-2026-12", counters=mailjet_counters()))
    result = cli("stats")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2026-12" in out and "brevo" in out and "mailjet" in out
    assert "45.0%" in out  # Brevo: 540 unique opens / 1200 delivered
    assert "42.1%" in out  # Mailjet: 400 / 950 delivered
    assert "rates on delivered" in out
    # one call each: no link statistics in the listing
    assert brevo.count("GET", r"/emailCampaigns/\d+") == 1
    assert mailjet.count("GET", r"/statistics/link-click") == 0
    stored = json.loads(ws.state.read_text(encoding="utf-8"))["issues"]["2026-12"]
    assert stored["brevo"]["stats"]["figures"]["unique_opens"] == 540
    assert stored["mailjet"]["stats"]["figures"]["delivered"] == 950
    assert stored["brevo"]["stats"]["read_at"].startswith("20")


def test_one_issue_brevo_links_mapped_to_items_json(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    links = {
        "https://www.example.org/velobus-ivry" + UTM: {"nbClick": 70},  # one shape of the spec
        "https://www.example.org/pedibus-lyon/?ref=rss&utm_source=newsletter&utm_medium=email&utm_campaign=2026-12": 40,  # the other
        "https://www.example.org/rues-scolaires" + UTM: 12,
        "https://lettre.example.org/desinscription": 6,
        "https://elsewhere.example.net/": 2,
    }
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global(), links=links))
    result = cli("stats", str(ws.issue()), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rates_computed_on"] == "delivered"
    (row,) = data["issues"]
    assert row["open_rate"] == 0.45 and row["click_rate"] == round(130 / 1200, 4)
    assert row["hard_bounces"] == 30 and row["soft_bounces"] == 20 and row["unsubscriptions"] == 6 and row["complaints"] == 1
    by_item = {link["item"]: link for link in row["links"]}
    assert by_item["Un vélobus à Ivry-sur-Seine"]["clicks"] == 70
    assert by_item["Un vélobus à Ivry-sur-Seine"]["section"] == "Veille"
    assert by_item["Le pédibus de Lyon fête ses 10 ans"]["clicks"] == 40
    assert by_item["rues scolaires"]["clicks"] == 12  # a link of the édito's text
    assert by_item["(unsubscribe link)"]["clicks"] == 6
    assert by_item[None]["url"] == "https://elsewhere.example.net/"
    assert [link["clicks"] for link in row["links"]] == [70, 40, 12, 6, 2]


def test_clicks_match_items_whatever_the_url_spelling(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    # The provider may report a link with another host case, without `www.`, with or without the
    # trailing slash, with a fragment: the clicks still belong to the item (urls.url_key).
    links = {
        "https://WWW.Example.org/velobus-ivry/" + UTM: 70,
        "https://example.org/pedibus-lyon?ref=rss&utm_source=newsletter#top": 40,
        "http://www.example.org/rues-scolaires/" + UTM + "#section": 12,
    }
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global(), links=links))
    result = cli("stats", str(ws.issue()), "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["issues"]
    by_item = {link["item"]: link["clicks"] for link in row["links"]}
    assert by_item == {"Un vélobus à Ivry-sur-Seine": 70, "Le pédibus de Lyon fête ses 10 ans": 40, "rues scolaires": 12}


def test_one_issue_mailjet_csv_to_file(ws: Workspace, cli: CliFn, mailjet: StatsMailjet) -> None:
    clicks = [
        {"URL": "https://www.example.org/velobus-ivry" + UTM, "PositionIndex": 1, "ClickedMessagesCount": 33, "ClickedEventsCount": 50},
        {"URL": "https://www.example.org/pedibus-lyon/?ref=rss&utm_campaign=2026-12", "PositionIndex": 2, "ClickedMessagesCount": 9, "ClickedEventsCount": 9},
    ]
    ws.record("mailjet", mailjet.add_sent_draft("mobiscol-2026-12", counters=mailjet_counters(), links=clicks))
    target = ws.root / "rapport.csv"
    result = cli("stats", str(ws.issue()), "--format", "csv", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark a spreadsheet needs to read UTF-8
    summary, links = raw.decode("utf-8-sig").split("\n\n")
    (row,) = csv.DictReader(io.StringIO(summary))
    assert row["Provider"] == "mailjet" and row["Sent"] == "980" and row["Delivered"] == "950"
    assert row["Open rate"] == "42.1%" and row["Complaints"] == "2"
    link_rows = list(csv.DictReader(io.StringIO(links)))
    assert [(r["Item"], r["Clicks"]) for r in link_rows] == [("Un vélobus à Ivry-sur-Seine", "33"), ("Le pédibus de Lyon fête ses 10 ans", "9")]
    # statcounters is keyed by the sent campaign id, not the draft id
    (call,) = [c for c in mailjet.calls if c.path == "/statcounters"]
    assert call.query["SourceId"] == "9001" and call.query["CounterResolution"] == "Lifetime"


def test_cached_works_offline(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global(), links={"https://www.example.org/velobus-ivry" + UTM: 5}))
    assert cli("stats", str(ws.issue())).exit_code == 0
    brevo.stop()  # offline from now on
    result = cli("stats", "--cached", "--format", "json", keys=False)
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["issues"]
    assert row["source"] == "cached" and row["unique_opens"] == 540 and row["read_at"]
    result = cli("stats", str(ws.issue()), "--cached")
    assert result.exit_code == 0, result.output
    assert "(cached)" in result.stdout and "Un vélobus à Ivry-sur-Seine" in result.stdout


def test_cached_without_figures_says_so(ws: Workspace, cli: CliFn) -> None:
    ws.record("brevo", 41)
    result = cli("stats", "--cached", keys=False)
    assert result.exit_code == 0, result.output
    assert "no figures read yet" in result.output


def test_end_to_end_after_send(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    sent = cli("send", str(ws.issue()), "--now", "--yes")
    assert sent.exit_code == 0, sent.output
    (campaign_id,) = brevo.campaigns
    brevo.global_stats[campaign_id] = brevo_global(sent=1250, delivered=1250, opens=500)
    result = cli("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["issues"]
    assert row["campaign_id"] == str(campaign_id) and row["open_rate"] == 0.4


# -- bad inputs ---------------------------------------------------------------------------------


def test_issue_without_campaign(ws: Workspace, cli: CliFn) -> None:
    before = ws.snapshot()
    result = cli("stats", str(ws.issue()))
    assert result.exit_code == 1
    assert "issue 2026-12 has no campaign yet" in result.output
    assert "newsletter send issues/2026-12.md" in result.output
    assert "Traceback" not in result.output
    assert ws.snapshot() == before


def test_no_campaign_at_all_lists_nothing(ws: Workspace, cli: CliFn) -> None:
    result = cli("stats")
    assert result.exit_code == 0, result.output
    assert "No issue has a campaign yet" in result.output


def test_deleted_campaign_brevo_404(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    ws.record("brevo", 77)  # Brevo no longer has it
    before = ws.snapshot()
    result = cli("stats")
    assert result.exit_code == 1
    assert "campaign 77 no longer exists on brevo" in result.output
    assert "Traceback" not in result.output
    assert ws.snapshot() == before


def test_deleted_campaign_mailjet_404_keeps_cached_figures(ws: Workspace, cli: CliFn, mailjet: StatsMailjet) -> None:
    draft = mailjet.add_sent_draft("mobiscol-2026-12", counters=mailjet_counters())
    ws.record("mailjet", draft)
    assert cli("stats").exit_code == 0
    del mailjet.drafts[draft]
    before = ws.snapshot()
    result = cli("stats", str(ws.issue()))
    assert result.exit_code == 1
    assert f"campaign {draft} no longer exists on mailjet" in result.output
    assert "showing the figures read on " in result.output and "42.1%" in result.stdout
    assert "Traceback" not in result.output
    assert ws.snapshot() == before


def test_statistics_not_yet_available_brevo(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=None))
    before = ws.snapshot()
    result = cli("stats", str(ws.issue()))
    assert result.exit_code == 0, result.output
    assert "no statistics yet" in result.output and "try again later" in result.output
    assert "Traceback" not in result.output
    assert ws.snapshot() == before


def test_statistics_not_yet_available_mailjet(ws: Workspace, cli: CliFn, mailjet: StatsMailjet) -> None:
    ws.record("mailjet", mailjet.add_sent_draft("mobiscol-2026-12", counters=None))
    before = ws.snapshot()
    result = cli("stats")
    assert result.exit_code == 0, result.output
    assert "mailjet has no statistics yet" in result.output
    assert "Traceback" not in result.output
    assert ws.snapshot() == before


def test_scheduled_campaign_is_not_sent_yet(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    campaign_id = brevo.add_sent_campaign("mobiscol-2026-12")
    brevo.campaigns[campaign_id]["status"] = "queued"
    ws.record("brevo", campaign_id, status="scheduled")
    result = cli("stats")
    assert result.exit_code == 0, result.output
    assert "is not sent yet (status queued)" in result.output


def test_outbox_has_no_statistics(ws: Workspace, cli: CliFn) -> None:
    ws.record("outbox", "20261208-0930")
    result = cli("stats")
    assert result.exit_code == 0, result.output
    assert "the outbox keeps no statistics" in result.output


def test_out_needs_csv_or_json(ws: Workspace, cli: CliFn) -> None:
    result = cli("stats", "--out", "x.txt")
    assert result.exit_code == 2
    assert "--out needs --format csv or --format json" in result.output
    assert not (ws.root / "x.txt").exists()


def test_missing_key_is_a_config_error(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global()))
    before = ws.snapshot()
    result = cli("stats", keys=False)
    assert result.exit_code == 2
    assert "BREVO_API_KEY" in result.output and "Traceback" not in result.output
    assert ws.snapshot() == before


def test_many_campaigns_read_in_parallel_keep_their_order(ws: Workspace, cli: CliFn, brevo: StatsBrevo, mailjet: StatsMailjet,
                                                           no_sleep: list[float]) -> None:
    stems = [f"2026-{month:02d}" for month in range(1, 13)]
    for month, stem in enumerate(stems, start=1):
        if stem == "2026-05":
            ws.record("brevo", 999, stem=stem)  # deleted on Brevo
        else:
            ws.record("brevo", brevo.add_sent_campaign(f"mobiscol-{stem}", stats=brevo_global(opens=month * 10)), stem=stem)
        ws.record("mailjet", mailjet.add_sent_draft(f"mobiscol-{stem}", counters=mailjet_counters(opens=month)), stem=stem)
    # Every answer is slow, so several requests are in flight at once; one of them is refused once.
    brevo.inject("GET", r"/emailCampaigns/\d+", status=429, headers={"x-sib-ratelimit-reset": "2"})
    for fake in (brevo, mailjet):
        fake.inject("GET", r".*", delay=0.05, after=True, times=1000)
    result = cli("stats", "--format", "json")
    assert result.exit_code == 1, result.output  # the deleted campaign fails its row only
    rows = json.loads(result.stdout)["issues"]
    assert [(row["issue"], row["provider"]) for row in rows] == [(stem, p) for stem in stems for p in ("brevo", "mailjet")]
    assert [row["unique_opens"] for row in rows if row["provider"] == "brevo"] == [m * 10 if m != 5 else None for m in range(1, 13)]
    assert [row["unique_opens"] for row in rows if row["provider"] == "mailjet"] == list(range(1, 13))
    assert "campaign 999 no longer exists on brevo" in result.output
    assert [round(w) for w in no_sleep] == [2]  # the 429 waited what Brevo asked, through the injected policy
    stored = json.loads(ws.state.read_text(encoding="utf-8"))["issues"]
    assert stored["2026-12"]["mailjet"]["stats"]["figures"]["unique_opens"] == 12
    assert stored["2026-05"]["brevo"]["stats"] is None


def test_sequential_and_parallel_give_the_same_report(ws: Workspace, brevo: StatsBrevo, mailjet: StatsMailjet) -> None:
    import datetime as dt

    from newsletter.config import load_settings
    from newsletter.providers.retry import RetryPolicy
    from newsletter.stats import collect_stats, stats_json

    for stem in ("2026-10", "2026-11", "2026-12"):
        ws.record("brevo", brevo.add_sent_campaign(f"mobiscol-{stem}", stats=brevo_global()), stem=stem)
        ws.record("mailjet", mailjet.add_sent_draft(f"mobiscol-{stem}", counters=mailjet_counters()), stem=stem)
    settings = load_settings(ws.root / "newsletter.toml", environ=ENV_KEYS)
    clock = lambda: dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC)  # noqa: E731
    reports = [stats_json(collect_stats(settings, now=clock, policy=RetryPolicy(sleep=lambda s: None), concurrency=n)) for n in (1, 6)]
    assert reports[0] == reports[1]
    assert brevo.count("GET", r"/emailCampaigns/\d+") == 6


def test_stats_records_a_schedule_the_provider_has_sent(ws: Workspace, cli: CliFn, brevo: StatsBrevo, mailjet: StatsMailjet) -> None:
    """The state said scheduled; the provider has delivered it since: stats records sent, with the provider's time."""
    brevo_id = brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global())
    brevo.campaigns[brevo_id]["sentDate"] = "2026-12-08T08:30:00.000Z"
    mailjet_id = mailjet.add_sent_draft("mobiscol-2026-12", counters=None)  # sent, figures not counted yet
    mailjet.drafts[mailjet_id]["DeliveredAt"] = "2026-12-08T08:30:05Z"
    ws.record("brevo", brevo_id, status="scheduled")
    ws.record("mailjet", mailjet_id, status="scheduled")
    result = cli("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    rows = {row["provider"]: row for row in json.loads(result.stdout)["issues"]}
    assert rows["brevo"]["status"] == rows["mailjet"]["status"] == "sent"
    stored = json.loads(ws.state.read_text(encoding="utf-8"))["issues"]["2026-12"]
    assert (stored["brevo"]["status"], stored["brevo"]["sent_at"]) == ("sent", "2026-12-08T09:30:00+01:00")
    assert (stored["mailjet"]["status"], stored["mailjet"]["sent_at"]) == ("sent", "2026-12-08T09:30:05+01:00")


def test_brevo_campaign_older_than_six_months_says_its_figures_expired(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    # Brevo keeps statistics for six months (reference/brevo.md, addendum): an old campaign reads 0.
    campaign_id = brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global(sent=0, delivered=0, opens=0, clicks=0, hard=0, soft=0, unsub=0, complaints=0))
    brevo.campaigns[campaign_id]["sentDate"] = "2020-01-07T08:30:00.000Z"
    ws.record("brevo", campaign_id)
    result = cli("stats")
    assert result.exit_code == 0, result.output
    message = " ".join(result.output.split())
    assert "brevo keeps statistics for 6 months only: campaign 1 was sent on January 7, 2020, so its figures now read 0" in message
    assert "not sent yet" not in message and "try again later" not in message and "Traceback" not in message


def _cli_fr(ws: Workspace, *args: str) -> Result:
    """The CLI as the French user runs it (NEWSLETTER_LANG=fr); the suite's other tests run in English."""
    from newsletter.cli import app
    from newsletter.providers.retry import RetryPolicy

    env = {**ENV_KEYS, "NEWSLETTER_LANG": "fr"}
    return CliRunner().invoke(app, ["--config", str(ws.root / "newsletter.toml"), *args], env=env, obj=RetryPolicy(sleep=lambda _s: None))


def test_csv_in_french_for_a_french_spreadsheet(ws: Workspace, brevo: StatsBrevo) -> None:
    # 540 unique opens / 1200 delivered: a French Excel reads '45,0 %' as a percentage, ';' as the separator.
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global()))
    target = ws.root / "rapport.csv"
    result = _cli_fr(ws, "stats", "--format", "csv", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert f"Écrit\u00a0: {target}" in result.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8 accents
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    assert row["Lettre"] == "2026-12" and row["Prestataire"] == "brevo"
    assert row["Délivrés"] == "1200" and row["Ouvertures uniques"] == "540"
    assert row["Taux d’ouverture"] == "45,0 %" and row["Désinscriptions"] == "6"
    assert row["Statut"] == "envoyée" and row["Source"] == "lus à l’instant"  # words, not the state's values
    # JSON stays machine-readable whatever the language: fractions and English keys.
    data = json.loads(_cli_fr(ws, "stats", "--format", "json", "--cached").stdout)
    assert data["issues"][0]["open_rate"] == 0.45


def test_csv_in_english_on_request(ws: Workspace, cli: CliFn, brevo: StatsBrevo) -> None:
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global()))
    result = cli("stats", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")  # redirected to a file, the spreadsheet needs the byte-order mark
    (row,) = csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff")))
    assert row["Issue"] == "2026-12" and row["Delivered"] == "1200" and row["Open rate"] == "45.0%"


def test_table_in_french_with_french_numbers(ws: Workspace, brevo: StatsBrevo) -> None:
    ws.record("brevo", brevo.add_sent_campaign("mobiscol-2026-12", stats=brevo_global()))
    result = _cli_fr(ws, "stats")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Statistiques des campagnes (taux calculés sur les messages délivrés)" in out
    assert "d’ouverture" in out and "Désinscr." in out and "45,0\u00a0%" in out
    assert "1\u202f250" in out  # 1250 sent, grouped the French way
    assert re.search(r"\b\d\d/\d\d/20\d\d\b", out)  # when the figures were read, the day first
