"""Through the CLI, against both fakes: push, re-push, test, schedule, reschedule, send now, refusals, dry run."""

from __future__ import annotations

import json

from .conftest import CliFn, Target, Workspace

FUTURE = "2099-12-08 09:30"  # winter: UTC+01:00 in Europe/Paris
LATER = "2099-12-09 10:15"


def _state(workspace: Workspace) -> dict:
    return json.loads(workspace.state.read_text(encoding="utf-8"))


def test_first_push_creates_and_records(cli: CliFn, workspace: Workspace, target: Target) -> None:
    result = cli("send", str(workspace.issue), "--provider", target.name)
    assert result.exit_code == 0, result.output
    assert target.campaign_count() == 1
    (campaign_id,) = target.ids()
    record = _state(workspace)["issues"]["2026-12"][target.name]
    assert (record["id"], record["name"], record["status"]) == (campaign_id, "mobiscol-2026-12", "draft")
    out = result.stdout
    for expected in (f"provider:   {target.name}", f"campaign:   {campaign_id}  mobiscol-2026-12", "subject:    Rues scolaires et vélobus en décembre",
                     "sender:     Mobiscol <lettre@example.org>", "Mobiscol - lettre", "subscribers", "status:     draft"):
        assert expected in out
    placeholder = "{{ unsubscribe }}" if target.name == "brevo" else "[[UNSUB_LINK_FR]]"
    assert placeholder in target.html(campaign_id)
    assert target.deliveries() == 0


def test_repush_updates_the_same_campaign(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    (campaign_id,) = target.ids()
    workspace.set_edito("Un édito tout neuf pour la relecture de décembre, avec des rues scolaires.")
    result = cli("send", str(workspace.issue), "--provider", target.name)
    assert result.exit_code == 0, result.output
    assert target.ids() == [campaign_id]
    assert "Un édito tout neuf" in target.html(campaign_id)
    if target.name == "mailjet":
        content = target.fake.contents[int(campaign_id)]  # type: ignore[union-attr]
        assert "Un édito tout neuf" in content["Text-part"]
        assert "L'actualité de l'écomobilité scolaire" in content["Html-part"] or "L&#x27;actualit" in content["Html-part"]


def test_lost_state_finds_the_campaign_by_name(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    workspace.state.unlink()
    result = cli("send", str(workspace.issue), "--provider", target.name)
    assert result.exit_code == 0, result.output
    assert target.campaign_count() == 1
    assert _state(workspace)["issues"]["2026-12"][target.name]["id"] == target.ids()[0]


def test_campaign_deleted_on_provider_is_recreated_once(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    (old,) = target.ids()
    if target.name == "brevo":
        target.fake.campaigns.clear()  # type: ignore[union-attr]
    else:
        target.fake.drafts[int(old)]["Status"] = -2  # type: ignore[union-attr]
    result = cli("send", str(workspace.issue), "--provider", target.name)
    assert result.exit_code == 0, result.output
    assert target.campaign_count() == 1 and target.ids() != [old]


def test_test_send_to_configured_and_given_addresses(cli: CliFn, workspace: Workspace, target: Target) -> None:
    result = cli("send", str(workspace.issue), "--provider", target.name, "--test")
    assert result.exit_code == 0, result.output
    (campaign_id,) = target.ids()
    assert target.tests_sent() == [(int(campaign_id), ["equipe@example.org"])]
    result = cli("send", str(workspace.issue), "--provider", target.name, "--to", "a@example.org", "--to", "b@example.org")
    assert result.exit_code == 0, result.output
    assert target.tests_sent()[-1] == (int(campaign_id), ["a@example.org", "b@example.org"])
    assert target.campaign_count() == 1 and target.deliveries() == 0
    assert _state(workspace)["issues"]["2026-12"][target.name]["last_test_at"]


def test_schedule_then_reschedule(cli: CliFn, workspace: Workspace, target: Target) -> None:
    result = cli("send", str(workspace.issue), "--provider", target.name, "--schedule", FUTURE, "--yes")
    assert result.exit_code == 0, result.output
    (campaign_id,) = target.ids()
    assert target.status(campaign_id) == "scheduled"
    assert "December 8, 2099 at 09:30 (UTC+0100)" in result.output  # the confirmation shows the offset
    subscribers = {"brevo": "1,250 subscribers", "mailjet": "980 subscribers"}[target.name]
    assert subscribers in result.output  # the confirmation repeats the list's subscriber count
    # Each provider stores the time its own way; both are 09:30 in Paris.
    expected_at = {"brevo": "2099-12-08T08:30:00.000Z", "mailjet": "2099-12-08T09:30:00+01:00"}[target.name]
    assert target.scheduled_at(campaign_id) == expected_at
    record = _state(workspace)["issues"]["2026-12"][target.name]
    assert (record["status"], record["scheduled_at"]) == ("scheduled", "2099-12-08T09:30:00+01:00")

    result = cli("send", str(workspace.issue), "--provider", target.name, "--schedule", LATER, "--yes")
    assert result.exit_code == 0, result.output
    assert "moving from: December 8, 2099 at 09:30" in result.output
    assert target.ids() == [campaign_id]
    assert target.scheduled_at(campaign_id) in ("2099-12-09T09:15:00.000Z", "2099-12-09T10:15:00+01:00")
    assert _state(workspace)["issues"]["2026-12"][target.name]["scheduled_at"] == "2099-12-09T10:15:00+01:00"
    assert target.deliveries() == 0


def test_send_now_then_never_again(cli: CliFn, workspace: Workspace, target: Target) -> None:
    result = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    assert result.exit_code == 0, result.output
    assert "time:        NOW" in result.output
    (campaign_id,) = target.ids()
    assert target.deliveries() == 1 and target.status(campaign_id) == "sent"
    record = _state(workspace)["issues"]["2026-12"][target.name]
    assert record["status"] == "sent" and record["sent_at"]
    before = workspace.snapshot()
    for args in (["--now", "--yes"], ["--schedule", FUTURE, "--yes"], ["--test"], []):
        again = cli("send", str(workspace.issue), "--provider", target.name, *args)
        assert again.exit_code == 1, again.output
        assert "already been sent" in again.output and "never sent twice" in again.output
        assert "Traceback" not in again.output
    assert target.deliveries() == 1 and target.campaign_count() == 1
    assert workspace.snapshot() == before


def test_sent_campaign_refused_even_without_state(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes").exit_code == 0
    workspace.state.unlink()
    again = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    assert again.exit_code == 1 and "already been sent" in again.output
    assert target.deliveries() == 1 and target.campaign_count() == 1


def test_now_on_a_scheduled_campaign_is_refused(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name, "--schedule", FUTURE, "--yes").exit_code == 0
    result = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    assert result.exit_code == 1 and "already scheduled" in result.output
    assert target.deliveries() == 0


def test_push_keeps_a_schedule_and_says_so(cli: CliFn, workspace: Workspace, target: Target) -> None:
    assert cli("send", str(workspace.issue), "--provider", target.name, "--schedule", FUTURE, "--yes").exit_code == 0
    (campaign_id,) = target.ids()
    workspace.set_edito("Correction d'une coquille après la programmation de la lettre de décembre.")
    result = cli("send", str(workspace.issue), "--provider", target.name)
    assert result.exit_code == 0, result.output
    assert "still scheduled" in result.output
    assert target.status(campaign_id) == "scheduled" and "coquille" in target.html(campaign_id)


def test_dry_run_touches_nothing(cli: CliFn, workspace: Workspace, target: Target) -> None:
    before = workspace.snapshot()
    for args in ([], ["--test"], ["--schedule", FUTURE], ["--now"]):
        result = cli("send", str(workspace.issue), "--provider", target.name, "--dry-run", *args)
        assert result.exit_code == 0, result.output
        assert "Dry run: would create campaign mobiscol-2026-12" in result.output
    assert "Dry run: would send it to the lists now" in result.output
    assert target.campaign_count() == 0 and target.tests_sent() == []
    assert all(call.method == "GET" for call in target.fake.calls)
    assert workspace.snapshot() == before
    # After a real push, a dry run names the campaign it would update.
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    before = workspace.snapshot()
    target.fake.reset_calls()
    result = cli("send", str(workspace.issue), "--provider", target.name, "--dry-run", "--now")
    assert result.exit_code == 0 and f"Dry run: would update campaign {target.ids()[0]}" in result.output
    assert all(call.method == "GET" for call in target.fake.calls)
    assert workspace.snapshot() == before and target.deliveries() == 0


def test_confirmation_required_without_a_terminal(cli: CliFn, workspace: Workspace, target: Target) -> None:
    for args in (["--now"], ["--schedule", FUTURE]):
        result = cli("send", str(workspace.issue), "--provider", target.name, *args)
        assert result.exit_code == 2, result.output
        assert "no terminal" in result.output and "--yes" in result.output and "Traceback" not in result.output
    assert target.campaign_count() == 0 and target.deliveries() == 0


def test_one_action_at_a_time(cli: CliFn, workspace: Workspace) -> None:
    result = cli("send", str(workspace.issue), "--test", "--now")
    assert result.exit_code == 2 and "choose one of" in result.output


def test_sending_keeps_the_list_size_and_the_items_for_the_report(cli: CliFn, workspace: Workspace, target: Target) -> None:
    count_key = "totalSubscribers" if target.name == "brevo" else "SubscriberCount"
    assert cli("send", str(workspace.issue), "--provider", target.name).exit_code == 0
    assert _state(workspace)["issues"]["2026-12"][target.name].get("subscribers") is None  # a push mails no one
    target.fake.lists[0][count_key] = 1287
    assert cli("send", str(workspace.issue), "--provider", target.name, "--schedule", FUTURE, "--yes").exit_code == 0
    assert _state(workspace)["issues"]["2026-12"][target.name]["subscribers"] == 1287
    target.fake.lists[0][count_key] = 1290  # subscribers joined before the new schedule
    result = cli("send", str(workspace.issue), "--provider", target.name, "--schedule", LATER, "--yes")
    assert result.exit_code == 0, result.output
    record = _state(workspace)["issues"]["2026-12"][target.name]
    assert record["subscribers"] == 1290
    digest = record["digest"]
    assert digest["subject"] == "Rues scolaires et vélobus en décembre"
    assert digest["items"] and {"section_id", "section", "title", "url", "meta"} <= set(digest["items"][0])


def test_sending_now_keeps_the_list_size(cli: CliFn, workspace: Workspace, target: Target) -> None:
    target.fake.lists[0]["totalSubscribers" if target.name == "brevo" else "SubscriberCount"] = 1264
    result = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    assert result.exit_code == 0, result.output
    record = _state(workspace)["issues"]["2026-12"][target.name]
    assert (record["status"], record["subscribers"]) == ("sent", 1264)
    assert record["digest"]["items"]


def test_the_checks_warnings_come_before_the_question(cli: CliFn, workspace: Workspace, target: Target) -> None:
    workspace.set_edito("Bonjour! Un formulaire à compléter avant le 15 est en ligne.")
    result = cli("send", str(workspace.issue), "--provider", target.name, "--schedule", FUTURE, "--yes")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    warned = output.index("Warning: the check found 3 warnings on the issue:")
    assert warned < output.index("About to schedule")
    assert "- line 11: French typography: “Bonjour!” needs a narrow no-break space before '!'" in output
    assert "- line 11: 'à compléter' is in the issue: if it is the draft's placeholder, fill it in or delete it" in output
    assert "- [newsletter] web_url is not set" in output
    assert output.count("French typography") == 1  # shown once, before the question, not again in the report


def test_a_push_reports_the_checks_warnings(cli: CliFn, workspace: Workspace, target: Target) -> None:
    workspace.set_edito("Bonjour! Un édito pour la relecture de décembre.")
    result = cli("send", str(workspace.issue), "--provider", target.name)
    assert result.exit_code == 0, result.output
    assert "Warning: line 11: French typography: “Bonjour!” needs a narrow no-break space before '!'" in " ".join(result.output.split())


def test_the_drafts_triage_section_is_never_sent(cli: CliFn, workspace: Workspace, target: Target) -> None:
    workspace.set_edito("Bonjour.\n\n## À trier\n\n### [Un reste](https://www.example.org/reste)")
    result = cli("send", str(workspace.issue), "--provider", target.name, "--now", "--yes")
    assert result.exit_code == 1, result.output
    assert "line 13: the draft's section '## À trier' is still in the issue, and send would publish it" in " ".join(result.output.split())
    assert target.campaign_count() == 0


def test_the_confirmation_and_report_in_french(cli: CliFn, workspace: Workspace, target: Target) -> None:
    # What the French user reads before mail goes out: her words, French numbers, the date in words.
    result = cli("send", str(workspace.issue), "--provider", target.name, "--schedule", FUTURE, "--yes", env={"NEWSLETTER_LANG": "fr"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"Programmation sur {target.name}\u00a0:" in out
    assert "8 décembre 2099 à 09:30 (UTC+0100)" in out and "December" not in out
    subscribers = {"brevo": "1\u202f250 abonnés", "mailjet": "980 abonnés"}[target.name]
    assert subscribers in out
    assert "heure\u00a0:" in out and "objet\u00a0:" in out  # the confirmation's labels
    assert "statut\u00a0:" in out and "programmée pour le 8 décembre 2099 à 09:30 (UTC+0100)" in out  # the status in words
    assert target.deliveries() == 0
