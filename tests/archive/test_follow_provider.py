"""`newsletter archive` asks the provider about scheduled campaigns (issue 9, §1): a delivered one is
published and recorded as sent, a scheduled one keeps its page, and without the provider nothing is removed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsletter.campaigns import mark_status, record_campaign
from newsletter.providers.retry import RetryPolicy
from tests.stats.fakes_stats import StatsBrevo
from tests.support.providers import BREVO_KEY

from .conftest import NOW

Cli = Callable[..., Result]


@pytest.fixture
def brevo() -> Iterator[StatsBrevo]:
    fake = StatsBrevo()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def scheduled(ws: Path, brevo: StatsBrevo) -> int:
    """Issue 2026-12 scheduled on the fake Brevo (queued there, `scheduled` in the state)."""
    config = ws / "newsletter.toml"
    config.write_text(re.sub(r'base_url = "https://api\.brevo\.com/v3"', f'base_url = "{brevo.url}"', config.read_text(encoding="utf-8")), encoding="utf-8")
    campaign_id = brevo.add_sent_campaign("mobiscol-2026-12")
    brevo.campaigns[campaign_id].update(status="queued", scheduledAt="2026-12-08T08:30:00.000Z")
    del brevo.campaigns[campaign_id]["sentDate"]
    record_campaign(ws / "state", issue="2026-12", provider="brevo", campaign_id=str(campaign_id), name="mobiscol-2026-12", status="draft", now=NOW)
    mark_status(ws / "state", issue="2026-12", provider="brevo", status="scheduled", now=NOW)
    return campaign_id


@pytest.fixture
def run(ws: Path) -> Cli:
    def invoke(*args: str, key: bool = True) -> Result:
        from newsletter.cli import app

        env = {"BREVO_API_KEY": BREVO_KEY} if key else {}
        return CliRunner().invoke(app, ["--config", str(ws / "newsletter.toml"), *args], env=env, obj=RetryPolicy(sleep=lambda _: None))

    return invoke


def _status(ws: Path) -> dict:
    return json.loads((ws / "state" / "campaigns.json").read_text(encoding="utf-8"))["issues"]["2026-12"]["brevo"]


def test_scheduled_page_is_kept_then_published_once_the_provider_sent_it(ws: Path, run: Cli, brevo: StatsBrevo, scheduled: int) -> None:
    assert run("archive", "--all").exit_code == 0  # the page the email's "Voir dans le navigateur" link points at
    page = ws / "site" / "2026-12.html"
    assert page.is_file()

    still = run("archive")
    assert still.exit_code == 0, still.output
    assert page.is_file(), "the page of a scheduled issue must never be removed"
    assert "Scheduled or being sent, not listed yet: 2026-12" in still.output
    assert "2026-12.html" not in (ws / "site" / "index.html").read_text(encoding="utf-8")
    assert _status(ws)["status"] == "scheduled"

    brevo.deliver_scheduled()
    brevo.campaigns[scheduled]["sentDate"] = "2026-12-08T08:30:00.000Z"
    sent = run("archive")
    assert sent.exit_code == 0, sent.output
    assert "2026-12" not in " ".join(sent.output.split()).partition("not sent yet")[2]
    assert page.is_file() and "2026-12.html" in (ws / "site" / "index.html").read_text(encoding="utf-8")
    record = _status(ws)
    assert (record["status"], record["sent_at"]) == ("sent", "2026-12-08T09:30:00+01:00")
    assert "Traceback" not in sent.output
    manifest = json.loads((ws / "state" / "archive.json").read_text(encoding="utf-8"))
    assert "2026-12" in next(iter(manifest["sites"].values()))


def test_without_the_key_scheduled_pages_are_kept_and_said_unconfirmed(ws: Path, run: Cli, brevo: StatsBrevo, scheduled: int) -> None:
    assert run("archive", "--all").exit_code == 0
    brevo.deliver_scheduled()
    result = run("archive", key=False)
    assert result.exit_code == 0, result.output
    message = " ".join(result.output.split())
    assert "could not confirm whether 2026-12 was sent (brevo: no API key for Brevo" in message
    assert "its page, if any, is kept as it was" in message and "Traceback" not in message
    assert (ws / "site" / "2026-12.html").is_file()
    assert _status(ws)["status"] == "scheduled" and brevo.count("GET") == 0


def test_offline_scheduled_pages_are_kept(ws: Path, run: Cli, brevo: StatsBrevo, scheduled: int) -> None:
    assert run("archive", "--all").exit_code == 0
    brevo.inject("GET", r"/emailCampaigns/\d+", status=503, times=100)
    result = run("archive")
    assert result.exit_code == 0, result.output
    assert "could not confirm whether 2026-12 was sent" in " ".join(result.output.split())
    assert (ws / "site" / "2026-12.html").is_file() and _status(ws)["status"] == "scheduled"
