"""`newsletter draft` and `newsletter sources check` end to end, against a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.config import load_settings
from newsletter.draft.pipeline import PREHEADER_PLACEHOLDER, SUBJECT_PLACEHOLDER
from newsletter.issue import load_issue
from newsletter.render import pipeline as render
from tests.support.feeds import (
    PREVIOUS_ISSUE,
    FeedServer,
    Route,
    asset,
    serve_realistic,
    write_workspace,
)

DRAFT = ["draft", "--month", "2026-12", "--today", "2026-12-01"]


def run(config: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "250"})


def test_draft_writes_a_parsable_issue(workspace: Path) -> None:
    result = run(workspace, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    path = workspace.parent / "issues" / "2026-12.md"
    assert str(path) in output and "Traceback" not in output
    assert "Cassé" in output and "failed" in output
    assert "already published" in output and "outside the window" in output
    text = path.read_text(encoding="utf-8")
    assert 'title: "La lettre de Mobiscol — décembre 2026"' in text and "number: 37" in text
    assert "À COMPLÉTER" in text
    assert "webinaire-velobus-replay" not in text  # published in November
    assert "velodrome" not in text  # filtered out by the section's keywords
    assert "utm_" not in text and "<script" not in text and "pixel" not in text
    settings = load_settings(workspace, environ={})
    issue = load_issue(path, settings.file.sections)
    titles = [s.title for s in issue.sections]
    assert titles[:5] == ["Édito", "Actus du réseau", "Nouveaux acteurs sur la carte", "Veille et ressources", "Appels à projets et financements"]
    actors = issue.sections[2]
    assert [i.url.rsplit("/", 1)[1] for i in actors.items] == ["2Kq", "2Kr", "2Kw"]
    assert actors.items[0].url.endswith("/carte/map/2Kq")
    assert actors.items[0].meta == "Ivry-sur-Seine (94) · Parents d'élèves, Pédibus, Locale"
    veille = issue.sections[3]
    assert any(i.image and i.image.src.endswith("velobus-premiere-annee.jpg") for i in veille.items)
    # duplicates across feeds: the relayed guide appears once
    assert sum("rues-scolaires-guide-2e-edition" in i.url for i in issue.items) == 1
    snapshot = json.loads((workspace.parent / "state" / "actor-map.json").read_text(encoding="utf-8"))
    assert snapshot["month"] == "2026-12" and "2Ku" in snapshot["current"]


def test_filled_draft_renders_without_errors(workspace: Path) -> None:
    assert run(workspace, *DRAFT).exit_code == 0  # type: ignore[attr-defined]
    path = workspace.parent / "issues" / "2026-12.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(SUBJECT_PLACEHOLDER, "Rues scolaires, vélobus et nouveaux acteurs")
    text = text.replace(PREHEADER_PLACEHOLDER, "L’actualité de l’écomobilité scolaire en décembre")
    path.write_text(text, encoding="utf-8")
    result = render.render_issue_file(load_settings(workspace, environ={}), path)
    errors = [p for p in result.problems if str(p.level).endswith("error")]
    assert not result.has_errors, errors


def test_rerun_after_editing_loses_no_edit(workspace: Path, server: FeedServer) -> None:
    assert run(workspace, *DRAFT).exit_code == 0  # type: ignore[attr-defined]
    path = workspace.parent / "issues" / "2026-12.md"
    edited = path.read_text(encoding="utf-8").replace("## Édito\n", "## Édito\n\nMon édito, écrit à la main.\n")
    path.write_text(edited, encoding="utf-8")
    result = run(workspace, *DRAFT)
    assert result.exit_code == 0 and "unchanged" in result.output  # type: ignore[attr-defined]
    assert path.read_text(encoding="utf-8") == edited
    # a new article appears in a feed: it is appended under "À trier", the rest is untouched
    body = asset("territoires-cyclables-media.xml").replace(
        b"<item>", b"<item><title>Nouveau pedibus</title><link>https://territoires-cyclables.example.org/nouveau-pedibus</link><pubDate>Mon, 30 Nov 2026 07:45:00 +0100</pubDate><description>Un pedibus de plus.</description></item><item>", 1
    )
    server.add("/media.xml", Route(body))
    result = run(workspace, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    merged = path.read_text(encoding="utf-8")
    assert merged.startswith(edited)
    tail = merged[len(edited):]
    assert "## À trier" in tail and "nouveau-pedibus" in tail and tail.count("### ") == 1


def test_force_keeps_a_backup(workspace: Path) -> None:
    assert run(workspace, *DRAFT).exit_code == 0  # type: ignore[attr-defined]
    path = workspace.parent / "issues" / "2026-12.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMes notes.\n", encoding="utf-8")
    result = run(workspace, *DRAFT, "--force")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    backups = list(path.parent.glob("2026-12.md.bak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8").endswith("Mes notes.\n")
    assert "Mes notes." not in path.read_text(encoding="utf-8")


def test_every_source_failing_exits_1_and_writes_nothing(server: FeedServer, tmp_path: Path) -> None:
    config = write_workspace(tmp_path, server.url, feeds=[("Absent", "/nope.xml", "veille")], actor_map=False)
    result = run(config, *DRAFT)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "every source failed" in result.output and "Traceback" not in result.output  # type: ignore[attr-defined]
    assert "newsletter sources check" in result.output  # type: ignore[attr-defined]
    assert list((tmp_path / "issues").iterdir()) == []


def test_no_site_reachable_says_to_check_the_connection(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on: connection refused, like offline
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = write_workspace(tmp_path, closed, feeds=[("Un", "/a.xml", "veille"), ("Deux", "/b.xml", "veille")], actor_map=False)
    result = run(config, *DRAFT)
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert "no site could be reached at all" in result.output and "internet connection" in result.output  # type: ignore[attr-defined]
    assert list((tmp_path / "issues").iterdir()) == []


def test_bad_month_is_a_usage_error(workspace: Path) -> None:
    result = run(workspace, "draft", "--month", "2026-13")
    assert result.exit_code == 2 and "not a month" in result.output  # type: ignore[attr-defined]


def test_ctrl_c_leaves_no_file(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsletter.draft.pipeline as draft

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(draft, "write_atomic", interrupted)
    result = run(workspace, *DRAFT)
    assert result.exit_code == 130  # type: ignore[attr-defined]
    assert sorted(p.name for p in (workspace.parent / "issues").iterdir()) == ["2026-11.md"]


def test_sources_check_lists_status_and_discovered_feed(server: FeedServer, tmp_path: Path) -> None:
    serve_realistic(server)
    server.add("/site", Route(b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>', content_type="text/html"))
    config = write_workspace(tmp_path, server.url, feeds=[("Site", "/site", "veille"), ("Mobiscol", "/wordpress/feed/", "reseau")])
    result = run(config, "sources", "check")
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output  # type: ignore[attr-defined]
    assert "discovered" in output and "/atom.xml" in output
    assert "November 27, 2026" in output and "Carte des acteurs" in output


def test_overall_deadline_fails_only_the_slow_source(server: FeedServer, tmp_path: Path) -> None:
    serve_realistic(server)
    server.add("/slow.xml", Route(asset("observatoire.atom"), delay=1.5))
    config = write_workspace(
        tmp_path, server.url, feeds=[("Lent", "/slow.xml", "veille"), ("Mobiscol", "/wordpress/feed/", "reseau")],
        actor_map=False, fetch="",
    )
    config.write_text(config.read_text(encoding="utf-8").replace("deadline = 8", "deadline = 0.6"), encoding="utf-8")
    result = run(config, *DRAFT)
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output  # type: ignore[attr-defined]
    assert "overall deadline" in output
    assert "rencontre-nationale-2027" in (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")


def _delete_item(text: str, url_part: str) -> str:
    """The file without the `### [...](...url_part...)` item block (up to the next heading)."""
    start = next(i for i in range(len(text)) if text.startswith("### [", i) and url_part in text[i:text.index("\n", i)])
    ends = [i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i != -1]
    return text[:start] + text[min(ends) + 1:]


def test_rerun_does_not_bring_back_deleted_items(workspace: Path, server: FeedServer) -> None:
    assert run(workspace, *DRAFT).exit_code == 0  # type: ignore[attr-defined]
    path = workspace.parent / "issues" / "2026-12.md"
    drafted = path.read_text(encoding="utf-8")
    assert "rues-scolaires-guide-2e-edition" in drafted and "/carte/map/2Kr" in drafted
    edited = _delete_item(_delete_item(drafted, "rues-scolaires-guide-2e-edition"), "/carte/map/2Kr")
    path.write_bytes(edited.encode("utf-8"))
    memory = json.loads((workspace.parent / "state" / "drafts.json").read_text(encoding="utf-8"))
    assert any("rues-scolaires-guide-2e-edition" in url for url in memory["2026-12"]["proposed"])
    result = run(workspace, *DRAFT)
    assert result.exit_code == 0 and "unchanged" in result.output, result.output  # type: ignore[attr-defined]
    assert path.read_bytes() == edited.encode("utf-8")
    # a genuinely new entry still comes, alone, under "À trier"
    body = asset("territoires-cyclables-media.xml").replace(
        b"<item>", b"<item><title>Nouveau pedibus</title><link>https://territoires-cyclables.example.org/nouveau-pedibus</link><pubDate>Mon, 30 Nov 2026 07:45:00 +0100</pubDate><description>Un pedibus de plus.</description></item><item>", 1
    )
    server.add("/media.xml", Route(body))
    result = run(workspace, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    merged = path.read_text(encoding="utf-8")
    assert merged.startswith(edited)
    tail = merged[len(edited):]
    assert "## À trier" in tail and "nouveau-pedibus" in tail and tail.count("### ") == 1
    # --force starts the month's list afresh: the deleted item is proposed again
    assert run(workspace, *DRAFT, "--force").exit_code == 0  # type: ignore[attr-defined]
    assert "rues-scolaires-guide-2e-edition" in path.read_text(encoding="utf-8")


def test_corrupt_draft_memory_is_rebuilt_with_a_warning(workspace: Path) -> None:
    state = workspace.parent / "state"
    state.mkdir(exist_ok=True)
    (state / "drafts.json").write_text("{not json", encoding="utf-8")
    result = run(workspace, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "drafts.json" in result.output and "corrupt" in result.output  # type: ignore[attr-defined]
    assert json.loads((state / "drafts.json").read_text(encoding="utf-8"))["2026-12"]["proposed"]


def test_draft_of_the_example_feeds_has_french_typography(tmp_path: Path) -> None:
    import shutil

    example = Path(__file__).resolve().parents[2] / "examples"
    shutil.copytree(example, tmp_path / "ws")
    config = tmp_path / "ws" / "newsletter.toml"
    result = run(config, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    path = tmp_path / "ws" / "issues" / "2026-12.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(SUBJECT_PLACEHOLDER, "Rues scolaires, vélobus et nouveaux acteurs")
    text = text.replace(PREHEADER_PLACEHOLDER, "L’actualité de l’écomobilité scolaire en décembre")
    path.write_text(text, encoding="utf-8")
    rendered = render.render_issue_file(load_settings(config, environ={}), path)
    typography = [p for p in rendered.problems if p.code == "typography"]
    assert not typography, [(p.line, text.splitlines()[(p.line or 1) - 1]) for p in typography]
    # Updated actors go to the configured `acteurs-maj` section (layout actors), once.
    assert text.count("## Fiches mises à jour sur la carte") == 1
    assert [s.layout.value for s in rendered.issue.sections if s.id == "acteurs-maj"] == ["actors"]
    assert not [p for p in rendered.problems if p.code == "structure"]
    assert not rendered.has_errors, rendered.errors


def test_force_backup_is_named_after_the_given_now(workspace: Path, tmp_path: Path) -> None:
    import datetime as dt

    from newsletter.draft.pipeline import draft_issue

    settings = load_settings(workspace, environ={})
    now = dt.datetime(2026, 12, 1, 9, 30, 5, tzinfo=settings.tz)
    first = draft_issue(settings, today=now.date(), month="2026-12", now=now, cache_dir=tmp_path / "c")
    assert first.action == "created"
    again = draft_issue(settings, today=now.date(), month="2026-12", force=True, now=now, cache_dir=tmp_path / "c")
    assert again.action == "replaced" and again.backup is not None
    assert again.backup.name == "2026-12.md.bak-20261201-093005"
    memory = json.loads((workspace.parent / "state" / "drafts.json").read_text(encoding="utf-8"))
    assert memory["2026-12"]["updated_at"] == "2026-12-01T09:30:05+01:00"


def test_previous_issue_with_an_impossible_date_does_not_stop_the_draft(workspace: Path) -> None:
    previous = workspace.parent / "issues" / "2026-11.md"
    previous.write_text(PREVIOUS_ISSUE.replace("date: 2026-11-10", "date: 2026-11-31", 1), encoding="utf-8")
    before = previous.read_bytes()
    result = run(workspace, *DRAFT)
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output  # type: ignore[attr-defined]
    assert "2026-11.md does not parse" in output and "Traceback" not in output
    assert (workspace.parent / "issues" / "2026-12.md").exists()
    assert previous.read_bytes() == before


def test_two_forced_drafts_in_the_same_second_keep_both_backups(workspace: Path, tmp_path: Path) -> None:
    import datetime as dt

    from newsletter.draft.pipeline import draft_issue

    settings = load_settings(workspace, environ={})
    now = dt.datetime(2026, 12, 1, 9, 30, 5, tzinfo=settings.tz)
    path = workspace.parent / "issues" / "2026-12.md"
    assert draft_issue(settings, today=now.date(), month="2026-12", now=now, cache_dir=tmp_path / "c").action == "created"
    texts = []
    for version in ("first", "second"):
        path.write_text(path.read_text(encoding="utf-8") + f"\nNotes {version}.\n", encoding="utf-8")
        texts.append(path.read_text(encoding="utf-8"))
        again = draft_issue(settings, today=now.date(), month="2026-12", force=True, now=now, cache_dir=tmp_path / "c")
        assert again.action == "replaced" and again.backup is not None
    backups = sorted(path.parent.glob("2026-12.md.bak-*"))
    assert [b.name for b in backups] == ["2026-12.md.bak-20261201-093005", "2026-12.md.bak-20261201-093005-2"]
    assert [b.read_text(encoding="utf-8") for b in backups] == texts
