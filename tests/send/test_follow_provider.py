"""The campaign state follows the provider (issue 9, §1): a delivered schedule, asynchronous sends,
lost answers, Ctrl-C and a failed state write never lead to a second send, and say what happened."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from newsletter.errors import OutputError

from .conftest import CliFn, Target, Workspace

SEND = {"brevo": r"/emailCampaigns/\d+/sendNow", "mailjet": r"/campaigndraft/\d+/send"}
FUTURE = "2099-12-08 09:30"


def _record(workspace: Workspace, provider: str) -> dict:
    return json.loads(workspace.state.read_text(encoding="utf-8"))["issues"]["2026-12"][provider]


def _backdate_send_request(workspace: Workspace, provider: str, minutes: int) -> None:
    """Let time pass: the send request recorded in the state was made `minutes` ago."""
    data = json.loads(workspace.state.read_text(encoding="utf-8"))
    record = data["issues"]["2026-12"][provider]
    asked = dt.datetime.fromisoformat(record["send_requested_at"]) - dt.timedelta(minutes=minutes)
    record["send_requested_at"] = asked.isoformat(timespec="seconds")
    workspace.state.write_text(json.dumps(data), encoding="utf-8")


def _send(cli: CliFn, workspace: Workspace, target: Target, *args: str):
    return cli("send", str(workspace.issue), "--provider", target.name, *args)


def _clean(result) -> None:
    assert "Traceback" not in result.output and "unexpected internal error" not in result.output


def test_send_now_after_the_provider_delivered_the_schedule_records_it(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert _send(cli, workspace, target, "--schedule", FUTURE, "--yes").exit_code == 0
    target.fake.deliver_scheduled()
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 1 and "already been sent" in result.output
    _clean(result)
    record = _record(workspace, target.name)
    assert record["status"] == "sent" and record["sent_at"].endswith("+01:00")
    assert target.deliveries() == 1


def test_lost_answer_while_the_provider_still_shows_a_draft(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.send_lag = "draft" if target.name == "brevo" else 0  # type: ignore[assignment]
    target.fake.inject("POST", SEND[target.name], drop=True, after=True)
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 1
    assert "the list may have been mailed" in result.output and "maybe-sent" in result.output
    assert "nothing was sent" not in result.output and "send again" not in result.output and "was not sent" not in result.output
    _clean(result)
    assert _record(workspace, target.name)["status"] == "maybe-sent"

    again = _send(cli, workspace, target, "--now", "--yes")  # the provider still shows a draft
    assert again.exit_code == 1 and "the list may have been mailed" in again.output
    _clean(again)
    assert target.deliveries() == 1 and target.fake.count("POST", SEND[target.name]) == 1
    assert _record(workspace, target.name)["status"] == "maybe-sent"

    target.fake.settle()  # the provider has finished sending
    last = _send(cli, workspace, target, "--now", "--yes")
    assert last.exit_code == 1 and "already been sent" in last.output
    assert target.deliveries() == 1
    record = _record(workspace, target.name)
    assert record["status"] == "sent" and record["sent_at"]


def test_send_refused_with_a_500_is_sent_again_only_after_the_grace_period(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.inject("POST", SEND[target.name], status=500)  # answered before acting: nothing was sent
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 1 and "the list may have been mailed" in result.output
    _clean(result)
    early = _send(cli, workspace, target, "--now", "--yes")
    assert early.exit_code == 1 and "may have been mailed" in early.output
    assert target.deliveries() == 0 and target.fake.count("POST", SEND[target.name]) == 1

    _backdate_send_request(workspace, target.name, minutes=31)
    late = _send(cli, workspace, target, "--now", "--yes")
    assert late.exit_code == 0, late.output
    assert "still shows an untouched draft 30 minutes later: that send did not happen" in late.output
    assert target.deliveries() == 1 and target.campaign_count() == 1
    assert _record(workspace, target.name)["status"] == "sent"


def test_ctrl_c_while_the_send_is_in_flight(cli: CliFn, workspace: Workspace, target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsletter.providers.retry import ApiClient

    real_call = ApiClient.call

    def interrupted(self: ApiClient, method: str, path: str, **kwargs):  # the request went out, the answer never came back
        response = real_call(self, method, path, **kwargs)
        if method == "POST" and path.endswith(("/sendNow", "/send")):
            raise KeyboardInterrupt
        return response

    monkeypatch.setattr(ApiClient, "call", interrupted)
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 130
    assert "interrupted while the send request" in result.output and "the list may have been mailed" in result.output
    assert "nothing was left half-written" not in result.output
    _clean(result)
    assert _record(workspace, target.name)["status"] == "maybe-sent"
    monkeypatch.setattr(ApiClient, "call", real_call)
    again = _send(cli, workspace, target, "--now", "--yes")
    assert again.exit_code == 1 and "already been sent" in again.output
    assert target.deliveries() == 1 and _record(workspace, target.name)["status"] == "sent"


def test_state_write_failing_after_the_send_says_the_list_was_mailed(cli: CliFn, workspace: Workspace, target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsletter.campaigns

    real_write = newsletter.campaigns.write_atomic

    def disk_full(path, data, **kwargs):
        if '"status": "sent"' in str(data):
            raise OutputError(f"cannot write {path}: No space left on device")
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(newsletter.campaigns, "write_atomic", disk_full)
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 1
    assert "the list was mailed" in result.output and "No space left on device" in result.output
    assert "nothing was sent" not in result.output
    _clean(result)
    assert _record(workspace, target.name)["status"] == "maybe-sent"
    monkeypatch.setattr(newsletter.campaigns, "write_atomic", real_write)
    again = _send(cli, workspace, target, "--now", "--yes")
    assert again.exit_code == 1 and "already been sent" in again.output
    assert target.deliveries() == 1 and _record(workspace, target.name)["status"] == "sent"


def test_provider_refusing_the_send_clears_the_request(cli: CliFn, workspace: Workspace, fake_brevo) -> None:
    fake_brevo.credits = False
    result = cli("send", str(workspace.issue), "--provider", "brevo", "--now", "--yes")
    assert result.exit_code == 1 and "is draft; nothing was sent" in result.output
    record = _record(workspace, "brevo")
    assert (record["status"], record["send_requested_at"]) == ("draft", None)
    fake_brevo.credits = True
    assert cli("send", str(workspace.issue), "--provider", "brevo", "--now", "--yes").exit_code == 0
    assert sum(fake_brevo.deliveries.values()) == 1


def test_a_sent_campaign_gone_from_the_provider_is_never_sent_again(cli: CliFn, workspace: Workspace, target: Target) -> None:
    # Deleted in the provider's interface after the send: a new campaign would mail the list twice.
    assert cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes").exit_code == 0
    campaigns = target.fake.campaigns if target.name == "brevo" else target.fake.drafts  # type: ignore[attr-defined]
    campaigns.clear()
    before = workspace.snapshot()
    result = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    assert result.exit_code == 1, result.output
    assert "no longer has it" in result.output and "nothing was created or sent" in result.output
    assert "delete the entry of issue 2026-12" in result.output and "Traceback" not in result.output
    assert campaigns == {} and sum(target.fake.deliveries.values()) == 1
    assert workspace.snapshot() == before
