"""Faults on both fakes: the message, the exit code, and never more than one campaign or delivery."""

from __future__ import annotations

import pytest

from tests.support.providers import FakeBrevo, FakeMailjet

from .conftest import CliFn, Target, Workspace

CREATE = {"brevo": r"/emailCampaigns", "mailjet": r"/campaigndraft"}
SEND = {"brevo": r"/emailCampaigns/\d+/sendNow", "mailjet": r"/campaigndraft/\d+/send"}
GET_ONE = {"brevo": r"/emailCampaigns/\d+", "mailjet": r"/campaigndraft/\d+"}


def _send(cli: CliFn, workspace: Workspace, target: Target, *args: str, env: dict[str, str] | None = None):
    return cli("send", str(workspace.issue), "--provider", target.name, *args, env=env)


def test_401_wrong_key(cli: CliFn, workspace: Workspace, target: Target) -> None:
    env = {"BREVO_API_KEY": "wrong-key"} if target.name == "brevo" else {"MJ_APIKEY_PRIVATE": "wrong-key"}
    before = workspace.snapshot()
    result = _send(cli, workspace, target, env=env)
    assert result.exit_code == 1, result.output
    assert "refused the API key (HTTP 401" in result.output
    assert ("BREVO_API_KEY" if target.name == "brevo" else "MJ_APIKEY_PUBLIC") in result.output
    assert "Traceback" not in result.output and "wrong-key" not in result.output
    assert target.campaign_count() == 0 and workspace.snapshot() == before


def test_402_no_credits(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo) -> None:
    fake_brevo.credits = False
    result = cli("send", str(workspace.issue), "--provider", "brevo", "--now", "--yes")
    assert result.exit_code == 1, result.output
    assert "not enough credits" in result.output
    assert "The campaign mobiscol-2026-12 (id 1) on brevo is draft; nothing was sent" in result.output
    assert len(fake_brevo.campaigns) == 1 and sum(fake_brevo.deliveries.values()) == 0


def test_429_waits_as_brevo_says(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo, no_sleep: list[float]) -> None:
    body = {"code": "too_many_requests", "message": "Too many requests"}
    fake_brevo.inject("GET", r"/account", status=429, body=body, headers={"x-sib-ratelimit-reset": "2", "x-sib-ratelimit-remaining": "0"})
    fake_brevo.inject("POST", r"/emailCampaigns", status=429, body=body, headers={"Retry-After": "3"})
    result = cli("send", str(workspace.issue), "--provider", "brevo")
    assert result.exit_code == 0, result.output
    assert [round(w) for w in no_sleep] == [2, 3]
    assert len(fake_brevo.campaigns) == 1  # a refused create (429) is safe to repeat


def test_429_mailjet_html_backs_off(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet, no_sleep: list[float]) -> None:
    fake_mailjet.rate_limited(times=2)
    result = cli("send", str(workspace.issue), "--provider", "mailjet")
    assert result.exit_code == 0, result.output
    assert len(no_sleep) == 2 and all(w > 0 for w in no_sleep)
    assert len(fake_mailjet.drafts) == 1


def test_429_that_never_ends(cli: CliFn, workspace: Workspace, fake_mailjet: FakeMailjet) -> None:
    fake_mailjet.rate_limited(times=100)
    result = cli("send", str(workspace.issue), "--provider", "mailjet")
    assert result.exit_code == 1 and "rate limited (HTTP 429)" in result.output and "Traceback" not in result.output
    assert len(fake_mailjet.drafts) == 0


def test_429_asking_too_long_a_wait(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo, no_sleep: list[float]) -> None:
    fake_brevo.inject("GET", r"/account", status=429, headers={"x-sib-ratelimit-reset": "3500"})
    result = cli("send", str(workspace.issue), "--provider", "brevo")
    assert result.exit_code == 1 and "rate limiting this account for 3,500 more seconds" in result.output
    assert no_sleep == []


def test_500_on_a_read_is_retried(cli: CliFn, workspace: Workspace, target: Target, no_sleep: list[float]) -> None:
    target.fake.inject("GET", r"/account" if target.name == "brevo" else r"/sender", status=500, times=2)
    result = _send(cli, workspace, target)
    assert result.exit_code == 0, result.output
    assert len(no_sleep) == 2 and target.campaign_count() == 1


def test_500_that_persists_says_where_the_campaign_is(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert _send(cli, workspace, target).exit_code == 0
    target.fake.inject("GET", GET_ONE[target.name], status=500, times=100)
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 1
    assert "failed after 4 attempts: server error (HTTP 500)" in result.output
    assert "nothing was sent to the lists" in result.output
    assert target.deliveries() == 0 and target.campaign_count() == 1


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 500, "after": True},  # created, then an error
        {"delay": 0.5, "after": True},  # created, answer slower than the timeout
        {"drop": True, "after": True},  # created, connection dropped
    ],
    ids=["500-after-create", "slow-after-create", "dropped-after-create"],
)
def test_lost_create_is_looked_up_not_repeated(cli: CliFn, workspace: Workspace, target: Target, fault: dict) -> None:
    target.fake.inject("POST", CREATE[target.name], **fault)
    result = _send(cli, workspace, target, "--schedule", "2099-12-08 09:30", "--yes")
    assert result.exit_code == 0, result.output
    assert target.campaign_count() == 1
    (campaign_id,) = target.ids()
    assert target.status(campaign_id) == "scheduled"
    assert "looking the campaign up by its name" in result.output
    assert f"campaign:   {campaign_id}" in result.output
    assert target.deliveries() == 0


def test_create_refused_with_500_is_tried_again_after_a_lookup(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.inject("POST", CREATE[target.name], status=500)
    result = _send(cli, workspace, target)
    assert result.exit_code == 0, result.output
    assert target.campaign_count() == 1
    assert target.fake.count("POST", CREATE[target.name]) == 2


def test_create_failing_every_time(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.inject("POST", CREATE[target.name], status=500, times=100)
    result = _send(cli, workspace, target)
    assert result.exit_code == 1
    assert "no campaign named mobiscol-2026-12 exists" in result.output and "No campaign mobiscol-2026-12 was created" in result.output
    assert target.campaign_count() == 0 and target.fake.count("POST", CREATE[target.name]) == 2


def test_send_now_answer_lost_after_sending(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.inject("POST", SEND[target.name], drop=True, after=True)
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 0, result.output
    assert target.deliveries() == 1
    again = _send(cli, workspace, target, "--now", "--yes")
    assert again.exit_code == 1 and "already been sent" in again.output
    assert target.deliveries() == 1 and target.campaign_count() == 1


def test_send_now_slow_answer_after_sending(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.inject("POST", SEND[target.name], delay=0.5, after=True)
    result = _send(cli, workspace, target, "--now", "--yes")
    assert result.exit_code == 0, result.output
    assert target.deliveries() == 1 and target.fake.count("POST", SEND[target.name]) == 1


def test_slow_read_is_retried(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.inject("GET", r"/account" if target.name == "brevo" else r"/sender", delay=0.5, status=200, body={})
    result = _send(cli, workspace, target)
    assert result.exit_code == 0, result.output
    assert target.campaign_count() == 1


def test_server_down(cli: CliFn, tmp_path, target: Target) -> None:
    from .conftest import make_workspace

    ws = make_workspace(tmp_path / "down")  # base URLs point at a closed port
    result = cli("--config", str(ws.root / "newsletter.toml"), "send", str(ws.issue), "--provider", target.name)
    assert result.exit_code == 1 and "cannot connect" in result.output and "Traceback" not in result.output


def test_brevo_test_address_not_a_contact(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo) -> None:
    fake_brevo.test_contacts = {"equipe@example.org"}
    result = cli("send", str(workspace.issue), "--provider", "brevo", "--to", "stranger@example.org")
    assert result.exit_code == 1
    assert "Brevo could not send the test to stranger@example.org: not a contact" in result.output
    assert fake_brevo.tests_sent == [] and len(fake_brevo.campaigns) == 1
