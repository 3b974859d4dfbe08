"""`newsletter archive` again: only the pages whose inputs changed are rendered again."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from newsletter.archive import ArchiveReport, build_archive
from newsletter.config import load_settings
from newsletter.workspace import default_theme_dir

from .conftest import NOW, mark_sent


def build(ws: Path, *, include_all: bool = True) -> ArchiveReport:
    settings = load_settings(ws / "newsletter.toml", environ={})
    return build_archive(settings, include_all=include_all, now=NOW)


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and time: an atomic rewrite (a new file renamed over) changes the inode."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.iterdir() if p.is_file()}


def test_a_rerun_renders_nothing_and_rewrites_nothing(ws: Path) -> None:
    first = build(ws)
    assert sorted(first.rebuilt) == ["2026-11", "2026-12"]
    site = ws / "site"
    before = stamps(site)
    again = build(ws)
    assert again.rebuilt == ()
    assert stamps(site) == before  # pages, index and feed untouched
    assert [e.stem for e in again.entries] == [e.stem for e in first.entries]
    assert again.entries == first.entries


def test_an_edited_issue_is_the_only_page_rebuilt(ws: Path) -> None:
    build(ws)
    site = ws / "site"
    before = stamps(site)
    issue = ws / "issues" / "2026-12.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("Bonjour !", "Bonjour à toutes et à tous !"), encoding="utf-8")
    report = build(ws)
    assert report.rebuilt == ("2026-12",)
    after = stamps(site)
    assert after["2026-11.html"] == before["2026-11.html"]
    assert after["2026-12.html"] != before["2026-12.html"]
    assert "Bonjour à toutes et à tous" in (site / "2026-12.html").read_text(encoding="utf-8")
    assert after["index.html"] == before["index.html"]  # the index shows no édito: same text, not rewritten


def test_a_changed_subject_rewrites_the_index_and_feed(ws: Path) -> None:
    build(ws)
    issue = ws / "issues" / "2026-12.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("Vélobus d'hiver", "Pédibus d'hiver"), encoding="utf-8")
    report = build(ws)
    assert report.rebuilt == ("2026-12",)
    assert "Pédibus d&#39;hiver" in (ws / "site" / "index.html").read_text(encoding="utf-8")
    assert "Pédibus d&#39;hiver" in (ws / "site" / "feed.xml").read_text(encoding="utf-8")


def test_a_changed_theme_file_rebuilds_every_page(ws: Path) -> None:
    build(ws)
    templates = ws / "templates"
    templates.mkdir(exist_ok=True)
    override = templates / "inline.css"
    shutil.copy(default_theme_dir() / "inline.css", override)
    override.write_text(override.read_text(encoding="utf-8") + "\n.archive-test { color: #123456; }\n", encoding="utf-8")
    report = build(ws)
    assert sorted(report.rebuilt) == ["2026-11", "2026-12"]


def test_a_changed_config_rebuilds_every_page(ws: Path) -> None:
    build(ws)
    config = ws / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('name = "Mobiscol"', 'name = "Mobiscol IDF"', 1), encoding="utf-8")
    report = build(ws)
    assert sorted(report.rebuilt) == ["2026-11", "2026-12"]
    assert "Toutes les lettres de Mobiscol IDF" in (ws / "site" / "2026-11.html").read_text(encoding="utf-8")


def test_a_page_deleted_or_edited_by_hand_is_written_again(ws: Path) -> None:
    build(ws)
    site = ws / "site"
    (site / "2026-11.html").unlink()
    (site / "2026-12.html").write_text("<p>edited</p>", encoding="utf-8")
    report = build(ws)
    assert sorted(report.rebuilt) == ["2026-11", "2026-12"]
    assert "Toutes les lettres" in (site / "2026-12.html").read_text(encoding="utf-8")


def test_sending_an_issue_rebuilds_its_page_and_its_feed_date(ws: Path) -> None:
    mark_sent(ws, "2026-11")
    build(ws, include_all=False)
    mark_sent(ws, "2026-12")
    report = build(ws, include_all=False)
    assert report.rebuilt == ("2026-12",)
    assert [e.stem for e in report.entries] == ["2026-12", "2026-11"]


def test_a_corrupt_manifest_rebuilds_everything(ws: Path) -> None:
    build(ws)
    manifest = ws / "state" / "archive.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["version"] == 1
    manifest.write_text("{not json", encoding="utf-8")
    assert sorted(build(ws).rebuilt) == ["2026-11", "2026-12"]
    assert build(ws).rebuilt == ()


def test_an_issue_skipped_stays_skipped_until_it_changes(ws: Path) -> None:
    broken = ws / "issues" / "2027-01.md"
    broken.write_text("---\nsubject: [unclosed\n---\n", encoding="utf-8")
    first = build(ws)
    assert [p.name for p, _ in first.skipped] == ["2027-01.md"]
    again = build(ws)
    assert again.rebuilt == () and again.skipped == first.skipped


def test_the_command_says_how_many_pages_were_rebuilt(ws: Path, cli: Callable[..., Result]) -> None:
    first = cli("archive", "--all")
    assert first.exit_code == 0, first.output
    assert "2 issue pages in " in first.output and "unchanged" not in first.output
    again = cli("archive", "--all")
    assert again.exit_code == 0, again.output
    assert "2 issue pages in " in again.output and "(0 rebuilt, 2 unchanged)" in again.output
