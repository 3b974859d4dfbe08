"""The outbox provider's files, the number of calls per operation, the verbose notes, the prompt."""

from __future__ import annotations

import datetime as dt
import email
import json
from email import policy

import pytest
import typer

from newsletter.cli.output import Output
from newsletter.providers.base import MailingList
from newsletter.providers.mailjet import with_preheader
from newsletter.send import Confirmation

from .conftest import CliFn, Target, Workspace

# The fewest calls each operation makes (README, "Sending"); a change here is a change of cost.
EXPECTED_CALLS = {
    "brevo": {"first push": 5, "re-push": 5, "test": 6, "schedule": 5, "reschedule": 5, "send now": 6},
    "mailjet": {"first push": 5, "re-push": 5, "test": 6, "schedule": 6, "reschedule": 7, "send now": 6},
}


def test_call_counts(cli: CliFn, workspace: Workspace, target: Target) -> None:
    counts = {}
    steps = [
        ("first push", []), ("re-push", []), ("test", ["--test"]), ("schedule", ["--schedule", "2099-12-08 09:30", "--yes"]),
        ("reschedule", ["--schedule", "2099-12-09 09:30", "--yes"]),
    ]
    for label, args in steps:
        target.fake.reset_calls()
        result = cli("send", str(workspace.issue), "--provider", target.name, *args)
        assert result.exit_code == 0, result.output
        counts[label] = len(target.fake.calls)
    workspace.state.unlink()
    if target.name == "brevo":
        target.fake.campaigns.clear()  # type: ignore[union-attr]
    else:
        target.fake.drafts.clear()  # type: ignore[union-attr]
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    target.fake.reset_calls()
    assert cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes").exit_code == 0
    counts["send now"] = len(target.fake.calls)
    assert counts == EXPECTED_CALLS[target.name]


def test_brevo_says_the_text_part_is_not_uploaded(cli: CliFn, workspace: Workspace) -> None:
    result = cli("-v", "send", str(workspace.issue), "--provider", "brevo")
    assert result.exit_code == 0, result.output
    assert "campaigns take no text part" in result.output
    quiet = cli("send", str(workspace.issue), "--provider", "brevo")
    assert "text part" not in quiet.output


def test_mailjet_preheader_goes_into_the_html() -> None:
    html = "<html><body><p>x</p></body></html>"
    out = with_preheader(html, "Le résumé")
    assert out.index("Le résumé") > out.index("<body>") and "display:none" in out
    assert with_preheader(out, "Le résumé") == out


def test_outbox_writes_a_parseable_message(cli: CliFn, workspace: Workspace) -> None:
    result = cli("send", str(workspace.issue), "--provider", "outbox")
    assert result.exit_code == 0, result.output
    folder = workspace.root / "outbox" / "2026-12"
    message = email.message_from_bytes((folder / "message.eml").read_bytes(), policy=policy.default)
    assert message["Subject"] == "Rues scolaires et vélobus en décembre"
    assert message["From"] == "Mobiscol <lettre@example.org>"
    assert message["Reply-To"] == "contact@example.org"
    assert message["List-Unsubscribe"] == "<https://lettre.example.org/desinscription>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058
    assert message["Message-ID"] == "<mobiscol-2026-12@example.org>"
    assert message["Date"] and message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert "vélobus" in plain.get_content() and "https://lettre.example.org/desinscription" in plain.get_content()
    assert "<!DOCTYPE html>" in html.get_content() or "<!doctype html>" in html.get_content().lower()
    campaign = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
    assert (campaign["id"], campaign["name"], campaign["status"]) == ("2026-12", "mobiscol-2026-12", "draft")


def test_outbox_records_tests_schedule_and_sending(cli: CliFn, workspace: Workspace) -> None:
    folder = workspace.root / "outbox" / "2026-12"
    assert cli("send", str(workspace.issue), "--provider", "outbox", "--test").exit_code == 0
    assert cli("send", str(workspace.issue), "--provider", "outbox", "--schedule", "2099-12-08 09:30", "--yes").exit_code == 0
    campaign = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
    assert campaign["tests"][0]["to"] == ["equipe@example.org"]
    assert (campaign["status"], campaign["scheduled_at"]) == ("scheduled", "2099-12-08T09:30:00+01:00")
    workspace.state.unlink()  # found again from its folder
    result = cli("send", str(workspace.issue), "--provider", "outbox", "--schedule", "2099-12-10 08:00", "--yes")
    assert result.exit_code == 0, result.output
    assert json.loads((folder / "campaign.json").read_text(encoding="utf-8"))["scheduled_at"] == "2099-12-10T08:00:00+01:00"
    (workspace.root / "outbox" / "2026-12" / "campaign.json").write_text(json.dumps(dict(campaign, status="draft")), encoding="utf-8")
    assert cli("send", str(workspace.issue), "--provider", "outbox", "--now", "--yes").exit_code == 0
    again = cli("send", str(workspace.issue), "--provider", "outbox", "--now", "--yes")
    assert again.exit_code == 1 and "already been sent" in again.output


def test_outbox_hand_edited_or_vanished_files_fail_clearly(cli: CliFn, workspace: Workspace) -> None:
    folder = workspace.root / "outbox" / "2026-12"
    assert cli("send", str(workspace.issue), "--provider", "outbox").exit_code == 0
    campaign = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
    (folder / "campaign.json").write_text(json.dumps(dict(campaign, status="envoyée")), encoding="utf-8")
    before = (folder / "campaign.json").read_bytes()
    result = cli("send", str(workspace.issue), "--provider", "outbox", "--now", "--yes")
    assert result.exit_code == 1, result.output
    assert "unknown status 'envoyée'" in result.output and "undo your edit" in result.output
    assert "Traceback" not in result.output
    assert (folder / "campaign.json").read_bytes() == before


def test_outbox_dry_run_says_nothing_is_mailed(cli: CliFn, workspace: Workspace) -> None:
    assert cli("send", str(workspace.issue), "--provider", "outbox").exit_code == 0
    result = cli("send", str(workspace.issue), "--provider", "outbox", "--now", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: would mark it sent in the outbox (nothing is mailed)" in result.output
    assert "to the lists" not in result.output


def test_confirmation_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsletter.cli.send import confirm_prompt

    asked: list[str] = []
    monkeypatch.setattr(typer, "prompt", lambda text, **kw: asked.append(text) or "n")
    output = Output()
    when = dt.datetime(2099, 12, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    question = Confirmation("brevo", "Sujet", [MailingList("2", "Lettre", 1250)], when)
    assert confirm_prompt(output, yes=False, interactive=True)(question) is False and asked
    assert confirm_prompt(output, yes=True, interactive=False)(question) is True


def test_demo_ends_with_a_send_to_the_outbox(tmp_path) -> None:
    from typer.testing import CliRunner

    from newsletter.cli import app

    target = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", str(target)])
    assert result.exit_code == 0, result.output
    folder = target / "outbox" / "2026-11"
    message = email.message_from_bytes((folder / "message.eml").read_bytes(), policy=policy.default)
    assert message["Date"] == "Mon, 09 Nov 2026 18:00:00 +0100"  # pinned clock: stable output
    assert message.get_body(preferencelist=("plain",)) is not None and message.get_body(preferencelist=("html",)) is not None
    assert "campaign:   2026-11  mobiscol-2026-11" in result.output
    state = json.loads((target / "state" / "campaigns.json").read_text(encoding="utf-8"))
    assert state["issues"]["2026-11"]["outbox"]["created_at"] == "2026-11-09T18:00:00+01:00"


def test_one_click_unsubscribe_only_with_an_https_address() -> None:
    import datetime as dt

    from newsletter.providers.outbox import build_eml
    from tests.providers.test_payloads import MESSAGE

    now = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)
    https = email.message_from_bytes(build_eml(MESSAGE, now=now, unsubscribe="<https://x.example.org/u>"), policy=policy.default)
    assert https["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto = email.message_from_bytes(build_eml(MESSAGE, now=now, unsubscribe="<mailto:c@example.org?subject=unsubscribe>"), policy=policy.default)
    assert mailto["List-Unsubscribe-Post"] is None
