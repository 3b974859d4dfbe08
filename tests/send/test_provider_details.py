"""Provider details aligned with the documentation (issue 9, §8): Mailjet's methods and domain senders, Brevo's suspended campaigns."""

from __future__ import annotations

import json

from tests.support.providers import FakeBrevo, FakeMailjet

from .conftest import CliFn, Workspace

FUTURE = "2099-12-08 09:30"
LATER = "2099-12-09 10:15"


def _record(workspace: Workspace, provider: str) -> dict:
    return json.loads(workspace.state.read_text(encoding="utf-8"))["issues"]["2026-12"][provider]


def test_mailjet_content_is_written_with_post_both_parts(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    for _ in range(2):  # a create, then an update
        result = cli("send", str(workspace.issue), "--provider", "mailjet")
        assert result.exit_code == 0, result.output
    (draft_id,) = fake_mailjet.drafts
    assert fake_mailjet.count("POST", rf"/campaigndraft/{draft_id}/detailcontent") == 2
    assert fake_mailjet.count("PUT", r"/campaigndraft/\d+/detailcontent") == 0
    content = fake_mailjet.contents[draft_id]
    assert "vélobus" in content["Text-part"] and "<html" in content["Html-part"].lower()


def test_mailjet_moves_a_schedule_with_delete_then_post(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    assert cli("send", str(workspace.issue), "--provider", "mailjet", "--schedule", FUTURE, "--yes").exit_code == 0
    fake_mailjet.reset_calls()
    result = cli("send", str(workspace.issue), "--provider", "mailjet", "--schedule", LATER, "--yes")
    assert result.exit_code == 0, result.output
    (draft_id,) = fake_mailjet.drafts
    schedule_calls = [c.method for c in fake_mailjet.calls if c.path == f"/campaigndraft/{draft_id}/schedule"]
    assert schedule_calls == ["DELETE", "POST"]
    assert fake_mailjet.schedules[draft_id] == "2099-12-09T10:15:00+01:00" and fake_mailjet.drafts[draft_id]["Status"] == 1
    assert _record(workspace, "mailjet")["scheduled_at"] == "2099-12-09T10:15:00+01:00"


def test_mailjet_domain_sender_is_accepted(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    fake_mailjet.domain_sender("example.org")
    result = cli("send", str(workspace.issue), "--provider", "mailjet", "--now", "--yes")
    assert result.exit_code == 0, result.output
    assert sum(fake_mailjet.deliveries.values()) == 1


def test_mailjet_inactive_domain_sender_is_refused(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    fake_mailjet.domain_sender("example.org", status="Inactive")
    result = cli("send", str(workspace.issue), "--provider", "mailjet")
    assert result.exit_code == 1
    assert "the sender lettre@example.org is not verified (not Active) on Mailjet" in result.output and "Traceback" not in result.output
    assert fake_mailjet.drafts == {}


def test_mailjet_schedule_whose_answer_is_lost_is_read_back(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    fake_mailjet.inject("POST", r"/campaigndraft/\d+/schedule", drop=True, after=True)
    result = cli("send", str(workspace.issue), "--provider", "mailjet", "--schedule", FUTURE, "--yes")
    assert result.exit_code == 0, result.output
    assert "nothing was sent" not in result.output and "is draft" not in result.output and "Traceback" not in result.output
    (draft_id,) = fake_mailjet.drafts
    assert fake_mailjet.drafts[draft_id]["Status"] == 1 and fake_mailjet.count("POST", r"/campaigndraft/\d+/schedule") == 1
    record = _record(workspace, "mailjet")
    assert (record["status"], record["scheduled_at"]) == ("scheduled", "2099-12-08T09:30:00+01:00")


def test_mailjet_schedule_refused_after_a_lost_answer_says_draft(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    fake_mailjet.inject("POST", r"/campaigndraft/\d+/schedule", status=500)  # answered before acting: still a draft
    result = cli("send", str(workspace.issue), "--provider", "mailjet", "--schedule", FUTURE, "--yes")
    assert result.exit_code == 1
    assert "is draft; nothing was sent" in result.output and "Traceback" not in result.output
    assert _record(workspace, "mailjet")["status"] == "draft"
    assert sum(fake_mailjet.deliveries.values()) == 0


def test_brevo_suspended_campaign_is_set_back_to_draft_before_sending(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo) -> None:
    assert cli("send", str(workspace.issue), "--provider", "brevo", "--schedule", FUTURE, "--yes").exit_code == 0
    (campaign_id,) = fake_brevo.campaigns
    fake_brevo.campaigns[campaign_id]["status"] = "suspended"  # the schedule was cancelled in Brevo's interface
    result = cli("send", str(workspace.issue), "--provider", "brevo", "--now", "--yes")
    assert result.exit_code == 0, result.output
    assert fake_brevo.deliveries == {campaign_id: 1}
    status_calls = [c.body for c in fake_brevo.calls if c.method == "PUT" and c.path == f"/emailCampaigns/{campaign_id}/status"]
    assert status_calls == [{"status": "draft"}]
    assert _record(workspace, "brevo")["status"] == "sent"
