"""`newsletter archive`: pages, index, Atom feed (parsed back by feedparser), bad inputs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import feedparser
from typer.testing import Result

from tests.support.asserts import snapshot_tree

from .conftest import mark_sent

Cli = Callable[..., Result]
WEB = "https://lettre.example.org/mobiscol/"


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_all_issues_pages_index_and_feed(ws: Path, cli: Cli) -> None:
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    site = ws / "site"
    assert sorted(p.name for p in site.iterdir()) == ["2026-11.html", "2026-12.html", "feed.xml", "images", "index.html"]
    assert f"index: {site / 'index.html'}" in result.stdout

    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Les lettres de Mobiscol" in index
    # newest first, with number, French date, subject as a link and preheader
    assert index.index("2026-12.html") < index.index("2026-11.html")
    assert "N° 38" in index and "8 décembre 2026" in index and "N° 36" in index and "10 novembre 2026" in index
    assert '<a href="2026-12.html">Vélobus d&#39;hiver &amp; rues scolaires &lt;en fête&gt;</a>' in index
    assert "L&#39;actualité de l&#39;écomobilité scolaire en décembre" in index
    # links inside the site are relative
    internal = [h for h in hrefs(index) if h.endswith((".html", ".xml")) and "inscription" not in h]
    assert internal and all(not h.startswith(("http", "/")) for h in internal if h != WEB + "index.html")

    page = (site / "2026-11.html").read_text(encoding="utf-8")
    assert "Voir dans le navigateur" not in page
    assert "desinscription" not in page and "Se désinscrire" not in page
    assert "https://lettre.example.org/mobiscol/inscription" in page and "S'inscrire à la lettre" in page
    assert "utm_source=mobiscol" in page  # UTM kept
    assert '<a href="index.html"' in page and 'href="feed.xml"' in page
    assert "{{" not in page and "[[" not in page  # no provider placeholder

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Les lettres de Mobiscol"
    assert [e.link for e in feed.entries] == [WEB + "2026-12.html", WEB + "2026-11.html"]
    assert feed.entries[0].title == "N° 38 · Vélobus d'hiver & rues scolaires <en fête>"
    assert feed.entries[0].summary == "L'actualité de l'écomobilité scolaire en décembre"
    assert feed.entries[0].id == WEB + "2026-12.html"


def test_email_web_link_points_at_the_archive_page(ws: Path, cli: Cli) -> None:
    assert cli("render", str(ws / "issues" / "2026-11.md"), "--out", str(ws / "build")).exit_code in (0, 1)
    email = (ws / "build" / "2026-11.html").read_text(encoding="utf-8")
    assert 'href="https://lettre.example.org/mobiscol/2026-11.html' in email
    assert cli("archive", "--all").exit_code == 0
    assert (ws / "site" / "2026-11.html").is_file()


def test_only_sent_issues_are_published(ws: Path, cli: Cli) -> None:
    mark_sent(ws, "2026-11")
    result = cli("archive", "--out", str(ws / "public"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (ws / "public").iterdir()) == ["2026-11.html", "feed.xml", "images", "index.html"]
    assert "Not published (not sent yet): 2026-12" in result.output
    feed = feedparser.parse((ws / "public" / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 1
    assert feed.entries[0].updated.startswith("2026-12-09T10:00:00")  # when it was sent


def test_nothing_sent_yet_builds_an_empty_archive(ws: Path, cli: Cli) -> None:
    result = cli("archive")
    assert result.exit_code == 0, result.output
    assert "Aucune lettre publiée" in (ws / "site" / "index.html").read_text(encoding="utf-8")
    assert not feedparser.parse((ws / "site" / "feed.xml").read_bytes()).bozo


def test_issue_that_no_longer_parses_is_skipped_with_a_warning(ws: Path, cli: Cli) -> None:
    broken = ws / "issues" / "2026-10.md"
    broken.write_text("---\ntitle: [oops\n---\n\n## Édito\n", encoding="utf-8")
    before = snapshot_tree(ws / "issues")
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    assert "Warning" in result.output and "skipped" in result.output and "2026-10.md" in result.output
    assert "Traceback" not in result.output
    assert not (ws / "site" / "2026-10.html").exists()
    assert (ws / "site" / "2026-11.html").is_file() and (ws / "site" / "2026-12.html").is_file()
    assert snapshot_tree(ws / "issues") == before


def test_web_url_missing(ws: Path, cli: Cli) -> None:
    config = ws / "newsletter.toml"
    config.write_text(re.sub(r"(?m)^web_url = .*$", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    assert "web_url is not set" in result.output and "Voir dans le navigateur" in result.output
    assert "Traceback" not in result.output
    index = (ws / "site" / "index.html").read_text(encoding="utf-8")
    assert "lettre.example.org/mobiscol/20" not in index and '<a href="2026-11.html">' in index
    feed = feedparser.parse((ws / "site" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.id for e in feed.entries][0].startswith("urn:uuid:")
    # ... and the email leaves out its web link
    assert cli("render", str(ws / "issues" / "2026-11.md"), "--out", str(ws / "build")).exit_code in (0, 1)
    assert "Voir dans le navigateur" not in (ws / "build" / "2026-11.html").read_text(encoding="utf-8")


def test_corrupt_state_fails_cleanly(ws: Path, cli: Cli) -> None:
    (ws / "state").mkdir()
    (ws / "state" / "campaigns.json").write_text("{not json", encoding="utf-8")
    result = cli("archive")
    assert result.exit_code == 1
    assert "state file" in result.output and "corrupt" in result.output
    assert "Traceback" not in result.output
    assert not (ws / "site").exists()


def test_demo_ends_with_the_archive(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsletter.cli import app

    target = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", str(target)], env={})
    assert result.exit_code == 0, result.output
    assert (target / "site" / "index.html").is_file() and (target / "site" / "2026-11.html").is_file()
    assert not feedparser.parse((target / "site" / "feed.xml").read_bytes()).bozo


def test_unfinished_draft_is_not_published_even_with_all(ws: Path, cli: Cli) -> None:
    draft = ws / "issues" / "2027-01.md"
    draft.write_text(
        '---\nsubject: "À COMPLÉTER — objet de l\'email"\npreheader: "À COMPLÉTER — la phrase qui suit l\'objet dans la boîte de réception"\n'
        "date: 2027-01-05\nnumber: 39\n---\n\n## Édito\n\nTexte.\n",
        encoding="utf-8",
    )
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    assert "2027-01.md" in result.output and "not published" in result.output and "newsletter check" in result.output
    assert not (ws / "site" / "2027-01.html").exists()
    index = (ws / "site" / "index.html").read_text(encoding="utf-8")
    assert "À COMPLÉTER" not in index
    assert "À COMPLÉTER" not in (ws / "site" / "feed.xml").read_text(encoding="utf-8")
    assert (ws / "site" / "2026-11.html").is_file()


def test_workspace_images_are_published_with_the_site(ws: Path, cli: Cli) -> None:
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    for name in ("velobus.png", "logo-mobiscol.png"):
        assert (ws / "site" / "images" / name).read_bytes() == (ws / "images" / name).read_bytes()
    assert "images/ published" in result.output


def test_a_page_no_longer_published_is_removed_and_other_files_stay(ws: Path, cli: Cli) -> None:
    assert cli("archive", "--all").exit_code == 0
    assert (ws / "site" / "2026-12.html").is_file()
    (ws / "site" / "mentions-legales.html").write_text("<p>Mentions légales</p>", encoding="utf-8")
    mark_sent(ws, "2026-11")
    result = cli("archive")  # only sent issues now: 2026-12 was never sent
    assert result.exit_code == 0, result.output
    assert not (ws / "site" / "2026-12.html").exists()
    assert (ws / "site" / "2026-11.html").is_file()
    assert (ws / "site" / "mentions-legales.html").read_text(encoding="utf-8") == "<p>Mentions légales</p>"
