"""Bad inputs: each one refused with a clear message and exit code, nothing changed anywhere."""

from __future__ import annotations

import datetime as dt
import json
import traceback

import pytest

from newsletter.message import parse_schedule
from tests.support.providers import BREVO_KEY, MJ_PRIVATE, MJ_PUBLIC, FakeBrevo, FakeMailjet

from .conftest import CliFn, Target, Workspace

PARIS = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))


def _refused(result, code: int, *words: str) -> None:
    assert result.exit_code == code, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("provider, variable", [("brevo", "BREVO_API_KEY"), ("mailjet", "MJ_APIKEY_PUBLIC")])
def test_no_api_key(cli: CliFn, workspace: Workspace, provider: str, variable: str) -> None:
    before = workspace.snapshot()
    result = cli("send", str(workspace.issue), "--provider", provider, keys=False)
    _refused(result, 2, f"the environment variable {variable} is not set", "--provider outbox")
    assert workspace.snapshot() == before


@pytest.mark.parametrize("bad", [" xkeysib-with-space", "xkeysib-abc\n", "xkeysib abc"])
@pytest.mark.parametrize("provider, variable", [("brevo", "BREVO_API_KEY"), ("mailjet", "MJ_APIKEY_PRIVATE")])
def test_key_with_spaces_or_newline(cli: CliFn, workspace: Workspace, target: Target, provider: str, variable: str, bad: str) -> None:
    result = cli("send", str(workspace.issue), "--provider", provider, env={variable: bad})
    _refused(result, 2, f"the API key in {variable} contains spaces, a line break")
    assert bad.strip() not in result.output
    assert target.fake.calls == []


def test_unknown_provider(cli: CliFn, workspace: Workspace) -> None:
    result = cli("send", str(workspace.issue), "--provider", "sendgrid")
    _refused(result, 2, "sendgrid")


def test_unknown_list(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo, fake_mailjet: FakeMailjet) -> None:
    config = workspace.root / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("list_ids = [2]", "list_ids = [2, 99]").replace("contacts_list_id = 10", "contacts_list_id = 99"), encoding="utf-8")
    _refused(cli("send", str(workspace.issue), "--provider", "brevo"), 1, "Brevo has no contact list with id 99", "list_ids")
    _refused(cli("send", str(workspace.issue), "--provider", "mailjet"), 1, "Mailjet has no contact list with id 99", "contacts_list_id")
    assert fake_brevo.campaigns == {} and fake_mailjet.drafts == {}


def test_empty_list(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo, fake_mailjet: FakeMailjet) -> None:
    config = workspace.root / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("list_ids = [2]", "list_ids = [7]").replace("contacts_list_id = 10", "contacts_list_id = 13"), encoding="utf-8")
    _refused(cli("send", str(workspace.issue), "--provider", "brevo"), 1, "has no subscribers")
    _refused(cli("send", str(workspace.issue), "--provider", "mailjet"), 1, "has 0 subscribers")
    assert fake_brevo.campaigns == {} and fake_mailjet.drafts == {}


@pytest.mark.parametrize("sender, words", [("pending@example.org", "is not verified"), ("nobody@example.org", "is not a sender of this")])
def test_sender_not_verified_or_unknown(cli: CliFn, workspace: Workspace, target: Target, sender: str, words: str) -> None:
    config = workspace.root / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('sender_email = "lettre@example.org"', f'sender_email = "{sender}"'), encoding="utf-8")
    result = cli("send", str(workspace.issue), "--provider", target.name)
    _refused(result, 1, sender, words)
    assert target.campaign_count() == 0


@pytest.mark.parametrize("address", ["not-an-email", "a@b", "two@example.org,three@example.org", "x y@example.org"])
def test_malformed_test_address(cli: CliFn, workspace: Workspace, target: Target, address: str) -> None:
    result = cli("send", str(workspace.issue), "--provider", target.name, "--to", address)
    _refused(result, 2, "is not an email address")
    assert target.fake.calls == []


@pytest.mark.parametrize(
    "when, words",
    [
        ("2020-01-01 09:30", "is in the past"),
        ("demain 9h", "is not a date and time I can read"),
        ("2026-13-45 09:30", "is not a date and time I can read"),
        ("2099-03-29 02:30", "does not exist in Europe/Paris"),  # last Sunday of March 2099: 02:00 -> 03:00
    ],
)
def test_bad_schedule(cli: CliFn, workspace: Workspace, target: Target, when: str, words: str) -> None:
    before = workspace.snapshot()
    result = cli("send", str(workspace.issue), "--provider", target.name, "--schedule", when, "--yes")
    _refused(result, 2, words)
    assert target.fake.calls == [] and workspace.snapshot() == before


def test_schedule_parsing_keeps_the_offset() -> None:
    tz = __import__("zoneinfo").ZoneInfo("Europe/Paris")
    assert parse_schedule("2027-07-01 09:30", tz=tz, now=PARIS).isoformat() == "2027-07-01T09:30:00+02:00"
    assert parse_schedule("2027-01-04T09:30", tz=tz, now=PARIS).isoformat() == "2027-01-04T09:30:00+01:00"
    # The repeated hour in October exists twice: the first one is taken, with its offset.
    assert parse_schedule("2027-10-31 02:30", tz=tz, now=PARIS).utcoffset() == dt.timedelta(hours=2)


def test_issue_whose_checks_fail(cli: CliFn, workspace: Workspace, target: Target) -> None:
    workspace.set_edito("Une image sans texte alternatif : ![](https://example.org/photo.png)")
    result = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    _refused(result, 1, "has 1 error; nothing was sent", "alt")
    assert target.fake.calls == []


def test_missing_issue(cli: CliFn, workspace: Workspace) -> None:
    result = cli("send", str(workspace.root / "issues" / "2031-01.md"))
    assert result.exit_code in (1, 2) and "Traceback" not in result.output


@pytest.mark.parametrize(
    "content, words",
    [
        ("{ broken", "is corrupt (not JSON"),
        ('{"version": 1, "issues": {"2026-12": {"brevo": {"issue": "2026-11", "provider": "brevo", "id": "1", "name": "mobiscol-2026-11", "status": "draft", "created_at": "x", "updated_at": "x"}}}}', "belongs to issue '2026-11'"),
        ('{"version": 1, "issues": {"2026-12": {"brevo": {"issue": "2026-12", "provider": "brevo", "id": "1", "name": "mobiscol-2026-11", "status": "draft", "created_at": "x", "updated_at": "x"}}}}', "records campaign 'mobiscol-2026-11'"),
    ],
    ids=["corrupt", "filed-under-another-issue", "another-issue's-campaign"],
)
def test_bad_state_file(cli: CliFn, workspace: Workspace, fake_brevo: FakeBrevo, content: str, words: str) -> None:
    workspace.state.parent.mkdir(parents=True, exist_ok=True)
    workspace.state.write_text(content, encoding="utf-8")
    before = workspace.snapshot()
    result = cli("send", str(workspace.issue), "--provider", "brevo", "--now", "--yes")
    _refused(result, 1, words, "delete that entry")
    assert fake_brevo.campaigns == {} and workspace.snapshot() == before


SECRETS = (BREVO_KEY, MJ_PUBLIC, MJ_PRIVATE)


def _all_text(workspace: Workspace) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in workspace.root.rglob("*") if p.is_file())


@pytest.mark.parametrize("debug", [[], ["--debug", "-vv"]], ids=["plain", "debug"])
def test_api_keys_never_shown(cli: CliFn, workspace: Workspace, target: Target, debug: list[str]) -> None:
    results = [cli(*debug, "send", str(workspace.issue), "--provider", target.name, "--test")]
    target.fake.inject("POST", r".*", status=500, times=100)  # failures: unknown outcome, retries
    target.fake.inject("GET", r".*", status=401, times=1)
    results.append(cli(*debug, "send", str(workspace.issue), "--provider", target.name, "--now", "--yes"))
    results.append(cli(*debug, "send", str(workspace.issue), "--provider", target.name, "--now", "--yes"))
    results.append(cli(*debug, "send", str(workspace.issue), "--provider", target.name, env={"BREVO_API_KEY": BREVO_KEY + "\n", "MJ_APIKEY_PRIVATE": MJ_PRIVATE + " "}))
    assert any(r.exit_code != 0 for r in results)
    for result in results:
        text = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            text += "".join(traceback.format_exception(result.exception))
            text += repr(result.exception.args)
        for secret in SECRETS:
            assert secret not in text
            assert secret.strip() not in text
    stored = _all_text(workspace)
    for secret in SECRETS:
        assert secret not in stored
    assert json.loads(workspace.state.read_text(encoding="utf-8"))


def test_keys_travel_only_in_auth_headers(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name, "--test").exit_code == 0
    for call in target.fake.calls:
        dumped = json.dumps([call.path, call.query, call.body])
        assert not any(secret in dumped for secret in SECRETS)


def test_a_state_entry_naming_another_campaign_is_refused(cli: CliFn, workspace: Workspace, target: Target) -> None:
    # The state's id points at a campaign of another newsletter (a state file copied from
    # another workspace or account): it must be neither updated, nor tested, nor sent.
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    campaigns = target.fake.campaigns if target.name == "brevo" else target.fake.drafts  # type: ignore[attr-defined]
    (campaign,) = campaigns.values()
    campaign["name" if target.name == "brevo" else "Title"] = "autre-lettre-2026-12"
    before, calls = workspace.snapshot(), len(target.fake.calls)
    for action in (["--test"], ["--now", "--yes"], []):
        result = cli("send", str(workspace.issue), "--provider", target.name, *action)
        _refused(result, 1, "named 'autre-lettre-2026-12', not 'mobiscol-2026-12'", "nothing was changed or sent", "delete the entry of issue 2026-12")
    assert workspace.snapshot() == before
    assert [c.method for c in target.fake.calls[calls:]].count("GET") == len(target.fake.calls[calls:])  # reads only
    assert sum(target.fake.deliveries.values()) == 0
