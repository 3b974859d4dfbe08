"""The campaign state file: round trip, atomic JSON, corruption and foreign entries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsletter.campaigns import (
    CachedStats,
    load_state,
    mark_status,
    record_campaign,
    record_test,
    set_stats,
    state_path,
)
from newsletter.errors import StateError

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_absent_file_is_empty(tmp_path: Path) -> None:
    state = load_state(tmp_path)
    assert state.records() == [] and state.issues() == []


def test_record_then_mark(tmp_path: Path) -> None:
    record_campaign(tmp_path, issue="2026-12", provider="brevo", campaign_id="7", name="mobiscol-2026-12", status="draft", now=NOW)
    record_test(tmp_path, issue="2026-12", provider="brevo", now=NOW)
    when = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    mark_status(tmp_path, issue="2026-12", provider="brevo", status="scheduled", now=NOW, scheduled_at=when)
    set_stats(tmp_path, issue="2026-12", provider="brevo", stats=CachedStats(read_at="2026-11-30T10:00:00+01:00", links={"https://a.example/": 3}), now=NOW)
    state = load_state(tmp_path)
    rec = state.get("2026-12", "brevo")
    assert rec is not None
    assert (rec.id, rec.status, rec.scheduled_at, rec.last_test_at, rec.stats) == (
        "7", "scheduled", "2026-12-08T09:30:00+01:00", "2026-11-30T10:00:00+01:00", CachedStats(read_at="2026-11-30T10:00:00+01:00", links={"https://a.example/": 3}),
    )
    assert state.issues() == ["2026-12"]
    mark_status(tmp_path, issue="2026-12", provider="brevo", status="sent", now=NOW)
    rec = load_state(tmp_path).get("2026-12", "brevo")
    assert rec is not None and rec.sent_at == "2026-11-30T10:00:00+01:00" and rec.scheduled_at is None
    text = state_path(tmp_path).read_text(encoding="utf-8")
    assert text.startswith("{\n  ") and json.loads(text)["issues"]["2026-12"]["brevo"]["id"] == "7"


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "not JSON"),
        ('{"version": 1, "issues": {"2026-12": {"brevo": {"id": 3}}}}', "corrupt"),
        ('{"version": 9, "issues": {}}', "version 9"),
    ],
)
def test_corrupt_file(tmp_path: Path, content: str, words: str) -> None:
    state_path(tmp_path).write_text(content, encoding="utf-8")
    with pytest.raises(StateError, match=words):
        load_state(tmp_path)


def test_entry_filed_under_another_issue(tmp_path: Path) -> None:
    record_campaign(tmp_path, issue="2026-11", provider="brevo", campaign_id="7", name="mobiscol-2026-11", status="draft", now=NOW)
    data = json.loads(state_path(tmp_path).read_text(encoding="utf-8"))
    data["issues"]["2026-12"] = data["issues"].pop("2026-11")
    state_path(tmp_path).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StateError, match="belongs to issue '2026-11'"):
        load_state(tmp_path)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"stats": {"figures": {"sent": "many"}}}, "issues.2026-12.brevo.stats.figures.sent = 'many': expected a whole number"),
        ({"stats": {"figures": {"sent": 3}}}, "issues.2026-12.brevo.stats.figures.delivered is missing; this key is required"),
        ({"name": None}, "issues.2026-12.brevo.name = None: expected text"),
        ({"id": ["x"]}, "issues.2026-12.brevo.id = ['x']: expected text"),
    ],
)
def test_corrupt_entry_is_described_in_words(tmp_path: Path, change: dict[str, object], words: str) -> None:
    entry = {"issue": "2026-12", "provider": "brevo", "id": "1", "name": "mobiscol-2026-12", "status": "draft",
             "created_at": "2026-11-09T18:00:00+01:00", "updated_at": "2026-11-09T18:00:00+01:00"}
    (tmp_path / "campaigns.json").write_text(json.dumps({"version": 1, "issues": {"2026-12": {"brevo": {**entry, **change}}}}), encoding="utf-8")
    with pytest.raises(StateError) as caught:
        load_state(tmp_path)
    assert words in caught.value.message
    missing = dict(entry)
    del missing["name"]
    (tmp_path / "campaigns.json").write_text(json.dumps({"version": 1, "issues": {"2026-12": {"brevo": missing}}}), encoding="utf-8")
    with pytest.raises(StateError, match=r"issues\.2026-12\.brevo\.name is missing; this key is required"):
        load_state(tmp_path)


def test_a_key_from_a_newer_version_is_accepted_and_kept(tmp_path: Path) -> None:
    """Forward compatible: an older tool reads a newer file, and writing an entry back keeps what it did not know."""
    record_campaign(tmp_path, issue="2026-12", provider="brevo", campaign_id="7", name="mobiscol-2026-12", status="draft", now=NOW)
    data = json.loads(state_path(tmp_path).read_text(encoding="utf-8"))
    data["written_by"] = "newsletter 9.0"
    data["issues"]["2026-12"]["brevo"]["archived_at"] = "2027-01-01T00:00:00+01:00"
    data["issues"]["2026-12"]["brevo"]["stats"] = {"read_at": "2026-12-09T10:00:00+01:00", "figures": None, "by_country": {"FR": 3}}
    state_path(tmp_path).write_text(json.dumps(data), encoding="utf-8")
    record = load_state(tmp_path).get("2026-12", "brevo")
    assert record is not None and record.id == "7" and record.stats is not None and record.stats.read_at == "2026-12-09T10:00:00+01:00"
    mark_status(tmp_path, issue="2026-12", provider="brevo", status="sent", now=NOW)
    entry = json.loads(state_path(tmp_path).read_text(encoding="utf-8"))["issues"]["2026-12"]["brevo"]
    assert entry["status"] == "sent"
    assert entry["archived_at"] == "2027-01-01T00:00:00+01:00" and entry["stats"]["by_country"] == {"FR": 3}


@pytest.mark.parametrize(
    ("before", "shown", "after"),
    [
        ("scheduled", "sent", "sent"),  # a schedule the provider delivered
        ("draft", "scheduled", "scheduled"),
        ("maybe-sent", "draft", "maybe-sent"),  # sending is asynchronous: a draft right after proves nothing
        ("maybe-sent", "scheduled", "sending"),  # Mailjet's Status 1 after a send: "programmed"
        ("maybe-sent", "sent", "sent"),
        ("sent", "draft", "sent"),  # sent is never taken back
        ("sent", "unknown", "sent"),
        ("scheduled", "unknown", "unknown"),
    ],
)
def test_the_state_follows_the_provider(tmp_path: Path, before: str, shown: str, after: str) -> None:
    from newsletter.campaigns import Observation, follow_provider

    record_campaign(tmp_path, issue="2026-12", provider="brevo", campaign_id="7", name="mobiscol-2026-12", status=before, now=NOW)
    if before == "sent":
        mark_status(tmp_path, issue="2026-12", provider="brevo", status="sent", now=NOW)
    sent_at = dt.datetime(2026, 12, 8, 8, 30, tzinfo=dt.UTC)
    changed = follow_provider(tmp_path, [Observation("2026-12", "brevo", shown, sent_at=sent_at)], now=NOW)
    record = load_state(tmp_path).get("2026-12", "brevo")
    assert record is not None and record.status == after
    assert bool(changed) == (before != after)
    if after == "sent" and before != "sent":
        assert record.sent_at == "2026-12-08T09:30:00+01:00"
