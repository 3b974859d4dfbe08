"""Issue 9 §4: nothing lost between two issues (the window, the previous issue, deleted items)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from newsletter.campaigns import mark_status, record_campaign
from newsletter.cli import app
from tests.support.feedbuilder import Item, rss
from tests.support.feeds import PREVIOUS_ISSUE, FeedServer, Route, serve_realistic, write_workspace

TZ = ZoneInfo("Europe/Paris")
SITE = "https://veille.example.org"


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.output


def mark_sent(state_dir: Path, issue: str, when: dt.datetime) -> None:
    record_campaign(state_dir, issue=issue, provider="outbox", campaign_id=f"outbox-{issue}", name=f"mobiscol-{issue}", status="draft", now=when)
    mark_status(state_dir, issue=issue, provider="outbox", status="sent", now=when)


def delete_item(text: str, url_part: str) -> str:
    """The file without the `### [...](...url_part...)` item block (up to the next heading)."""
    start = next(i for i in range(len(text)) if text.startswith("### [", i) and url_part in text[i:text.index("\n", i)])
    ends = [i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i != -1]
    return text[:start] + text[min(ends) + 1:]


def test_next_draft_starts_when_the_previous_draft_fetched_and_deleted_items_stay_out(server: FeedServer, tmp_path: Path) -> None:
    guide = Item("Guide des rues scolaires", f"{SITE}/guide", "Fri, 20 Nov 2026 10:00:00 +0100")
    undated = Item("Boîte à outils sans date", f"{SITE}/boite-a-outils")
    server.add("/veille.xml", Route(rss(guide, undated)))
    config = write_workspace(tmp_path, server.url, feeds=[("Veille", "/veille.xml", "appels")], actor_map=False)
    (tmp_path / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
    mark_sent(tmp_path / "state", "2026-11", dt.datetime(2026, 11, 10, 9, 30, tzinfo=TZ))

    # Drafted on 25 November; the editor deletes the undated entry; sent on 8 December, dated the 8th.
    code, output = run(config, "draft", "--month", "2026-12", "--today", "2026-11-25")
    assert code == 0, output
    december = tmp_path / "issues" / "2026-12.md"
    text = december.read_text(encoding="utf-8")
    assert "/guide" in text and "/boite-a-outils" in text
    text = delete_item(text, "/boite-a-outils")
    december.write_text(re.sub(r"^date: .*$", "date: 2026-12-08", text, count=1, flags=re.M), encoding="utf-8")
    memory = json.loads((tmp_path / "state" / "drafts.json").read_text(encoding="utf-8"))
    fetched = memory["2026-12"]["fetched_at"]
    assert fetched.startswith("2026-11-25T") and memory["2026-12"]["sources"] == {"Veille": fetched}
    mark_sent(tmp_path / "state", "2026-12", dt.datetime(2026, 12, 8, 9, 30, tzinfo=TZ))

    # Published after the draft's fetch but before the send, and after the send.
    gap = Item("Webinaire du 27 novembre", f"{SITE}/webinaire", "Fri, 27 Nov 2026 10:00:00 +0100")
    later = Item("Appel à projets de décembre", f"{SITE}/appel-decembre", "Sun, 20 Dec 2026 10:00:00 +0100")
    server.add("/veille.xml", Route(rss(later, gap, guide, undated)))
    code, output = run(config, "draft", "--month", "2027-01", "--today", "2027-01-05")
    assert code == 0, output
    assert "Traceback" not in output
    moment = dt.datetime.fromisoformat(fetched)
    assert f"Window from {moment:%B} {moment.day}, {moment.year} at {moment:%H:%M}: when the December 2026 draft (the previous issue 2026-12, sent on December 8, 2026) fetched its sources" in " ".join(output.split())
    january = (tmp_path / "issues" / "2027-01.md").read_text(encoding="utf-8")
    assert "/webinaire" in january and "/appel-decembre" in january
    assert "/guide" not in january  # published in December
    assert "/boite-a-outils" not in january  # deleted from the December draft: never comes back
    assert "number: 38" in january
    assert "1 deleted from an earlier draft" in output


@pytest.mark.parametrize("state", ["sent campaigns", "no campaign state"])
def test_an_unsent_accidental_draft_is_not_the_previous_issue(server: FeedServer, tmp_path: Path, state: str) -> None:
    serve_realistic(server)
    config = write_workspace(tmp_path, server.url)
    october = PREVIOUS_ISSUE.replace("novembre", "octobre").replace("date: 2026-11-10", "date: 2026-10-08").replace("number: 36", "number: 35")
    (tmp_path / "issues" / "2026-10.md").write_text(october, encoding="utf-8")
    if state == "sent campaigns":
        mark_sent(tmp_path / "state", "2026-10", dt.datetime(2026, 10, 8, 9, 30, tzinfo=TZ))
    # `draft` without --month on 28 November: a November file nobody meant to send.
    code, output = run(config, "draft", "--today", "2026-11-28")
    assert code == 0, output
    accidental = (tmp_path / "issues" / "2026-11.md").read_text(encoding="utf-8")
    assert "rues-scolaires-guide-2e-edition" in accidental and "/carte/map/2Kq" in accidental

    code, output = run(config, "draft", "--month", "2026-12", "--today", "2026-12-01")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "issues/2026-11.md is taken as never sent" in flat and "Traceback" not in flat
    assert "Window from October 8, 2026: the date of the previous issue 2026-10" in flat
    text = (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")
    assert "number: 36" in text
    assert "rues-scolaires-guide-2e-edition" in text  # only in the unsent file: still to announce
    assert "webinaire-velobus-replay" not in text  # in October's sent issue
    for actor in ("2Kq", "2Kr", "2Kw"):  # announced to nobody: still new
        assert f"/carte/map/{actor})" in text
    snapshot = json.loads((tmp_path / "state" / "actor-map.json").read_text(encoding="utf-8"))
    assert snapshot["month"] == "2026-12" and snapshot["baseline"] is None


def test_first_run_of_the_map_puts_an_old_actor_changed_in_the_window_with_the_updated_ones(server: FeedServer, tmp_path: Path) -> None:
    from tests.support.feeds import asset

    serve_realistic(server)
    elements = json.loads(asset("map-elements.json"))
    old = next(e for e in elements["data"] if e["id"] == "2Kq")
    elements["data"].append(old | {"id": "2Kz", "name": "Pédibus historique", "createdAt": "2023-02-01T10:00:00+01:00", "updatedAt": "2026-11-21T10:00:00+01:00"})
    server.add("/carte/api/elements.json", Route(json.dumps(elements).encode("utf-8"), content_type="application/json"))
    config = write_workspace(tmp_path, server.url)
    (tmp_path / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
    code, output = run(config, "draft", "--month", "2026-12", "--today", "2026-12-01")
    assert code == 0, output
    text = (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")
    new, _, updated = text.partition("## Fiches mises à jour sur la carte")
    assert "/carte/map/2Kq)" in new  # submitted on 28 October, validated in the window: new
    assert "/carte/map/2Kz)" not in new and "/carte/map/2Kz)" in updated
