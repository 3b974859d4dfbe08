"""Issue 9 §5: what `newsletter draft` writes is what the source said (links, images, text)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.config import load_settings
from newsletter.draft.pipeline import PREHEADER_PLACEHOLDER, SUBJECT_PLACEHOLDER
from newsletter.issue import load_issue
from newsletter.render import pipeline as render
from tests.support.feedbuilder import Item, rss
from tests.support.feeds import PREVIOUS_ISSUE, FeedServer, Route, write_workspace

DRAFT = ["draft", "--month", "2026-12", "--today", "2026-12-01"]
SITE = "https://ecomobilite.example.org"


def run(config: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "250"})


def workspace(server: FeedServer, tmp_path: Path, *items: Item) -> Path:
    server.add("/spip.php", Route(rss(*items)))
    config = write_workspace(tmp_path, server.url, feeds=[("Écomobilité", "/spip.php?page=backend", "appels")], actor_map=False)
    (tmp_path / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
    return config


def test_spip_links_keep_their_query_as_written(server: FeedServer, tmp_path: Path) -> None:
    config = workspace(
        server, tmp_path,
        Item("Appel à projets écoles", f"{SITE}/spip.php?article412", "Fri, 20 Nov 2026 10:00:00 +0100"),
        Item("Challenge 2027", f"{SITE}/spip.php?article415&lang=fr&utm_source=rss&xtor=RSS-1", "Fri, 20 Nov 2026 11:00:00 +0100"),
    )
    result = run(config, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")
    assert f"]({SITE}/spip.php?article412)" in text
    assert f"]({SITE}/spip.php?article415&lang=fr)" in text
    assert "article412=" not in text and "article415=" not in text and "utm_" not in text


def test_links_in_the_old_form_still_count_as_published_and_proposed(server: FeedServer, tmp_path: Path) -> None:
    # Issues and state/drafts.json written before held `?article417=`: the same pages as `?article417`.
    config = workspace(
        server, tmp_path,
        Item("Déjà publié", f"{SITE}/spip.php?article417", "Fri, 20 Nov 2026 10:00:00 +0100"),
        Item("Supprimé par l'éditeur", f"{SITE}/spip.php?article418&lang=fr", "Fri, 20 Nov 2026 10:00:00 +0100"),
        Item("Nouveau", f"{SITE}/spip.php?article419", "Fri, 20 Nov 2026 10:00:00 +0100"),
    )
    previous = tmp_path / "issues" / "2026-11.md"
    previous.write_text(PREVIOUS_ISSUE + f"\n### [Déjà publié]({SITE}/spip.php?article417=)\n", encoding="utf-8")
    draft = tmp_path / "issues" / "2026-12.md"
    draft.write_text('---\ntitle: "Décembre"\ndate: 2026-12-01\n---\n\n## Édito\n\nMon texte.\n', encoding="utf-8")
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "drafts.json").write_text(
        json.dumps({"2026-12": {"proposed": [f"{SITE}/spip.php?article418=&lang=fr"], "updated_at": "2026-11-25T14:02:00+01:00"}}), encoding="utf-8"
    )
    result = run(config, *DRAFT)
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output
    assert "1 new item appended" in output and "Traceback" not in output
    text = draft.read_text(encoding="utf-8")
    assert "article419" in text and "article417" not in text and "article418" not in text


def test_images_alt_and_addresses(server: FeedServer, tmp_path: Path) -> None:
    config = workspace(
        server, tmp_path,
        Item("Avec alt", f"{SITE}/a", "Fri, 20 Nov 2026 10:00:00 +0100", f'<p><img src="{SITE}/IMG/velo.jpg" alt="Trois enfants &amp; un vélo"> Texte.</p>'),
        Item("Piège", f"{SITE}/2026/piege", "Fri, 20 Nov 2026 10:00:00 +0100", '<img src="x" onerror="alert(1)"><p>Texte du piège.</p>'),
        Item("Non sécurisée", f"{SITE}/c", "Fri, 20 Nov 2026 10:00:00 +0100", '<img src="http://ecomobilite.example.org/IMG/car.jpg" alt="Un car">Texte.'),
        Item("Relative", f"{SITE}/2026/d", "Fri, 20 Nov 2026 10:00:00 +0100", '<img src="/IMG/rel.png">Texte.'),
    )
    result = run(config, *DRAFT)
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output
    assert "1 image left out" in output and "Traceback" not in output
    path = tmp_path / "issues" / "2026-12.md"
    text = path.read_text(encoding="utf-8")
    assert f"![Trois enfants & un vélo]({SITE}/IMG/velo.jpg)" in text
    assert "/2026/x" not in text and "onerror" not in text
    assert "](http://" not in text and "adresse non sécurisée" in text
    assert f"![Relative]({SITE}/IMG/rel.png)" in text  # no alt in the source: the title
    issue = load_issue(path, load_settings(config, environ={}).file.sections)
    by_title = {item.title: item for item in issue.items}
    assert by_title["Piège"].image is None and by_title["Non sécurisée"].image is None
    # what the draft wrote passes check's image rules
    filled = text.replace(SUBJECT_PLACEHOLDER, "Appels à projets et challenge de l'écomobilité")
    filled = filled.replace(PREHEADER_PLACEHOLDER, "L’actualité de l’écomobilité scolaire en décembre")
    path.write_text(filled, encoding="utf-8")
    rendered = render.render_issue_file(load_settings(config, environ={}), path)
    assert not [p for p in rendered.problems if p.code.startswith("img")], rendered.problems


def test_html_heavy_entries_keep_their_boundaries(server: FeedServer, tmp_path: Path) -> None:
    html = (
        "<h3>Au programme</h3><ul><li>Atelier réparation</li><li>Balade à vélo</li><li>Goûter</li></ul>"
        "<p>Inscription gratuite</p><table><tr><td>Lundi</td><td>9 h</td></tr></table>"
    )
    config = workspace(server, tmp_path, Item("Fête du vélo", f"{SITE}/fete", "Fri, 20 Nov 2026 10:00:00 +0100", html))
    result = run(config, *DRAFT)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")
    # French spacing puts a narrow no-break space before each ";"
    assert "Au programme. Atelier réparation\u202f; Balade à vélo\u202f; Goûter. Inscription gratuite. Lundi\u202f; 9 h" in text


def test_text_prepared_on_the_parse_workers_is_what_the_draft_would_write() -> None:
    # Candidate.drafted is computed where the feed is parsed; the draft must read the same text
    # whether it takes it from there or computes it itself.
    import dataclasses
    import datetime as dt

    from newsletter.draft.pipeline import item_context
    from newsletter.sources.normalise import normalise_entry

    entry = {
        "title": "Rue scolaire : *bilan* [2026]!",
        "link": "https://www.example.org/actus/rue-scolaire?id=3",
        "summary": "<p>Des « parents » ravis ; des enfants à pied !</p><ul><li>pédibus</li><li>vélobus</li></ul>",
        "published": "2026-11-20T08:00:00+01:00",
    }
    tz = dt.timezone(dt.timedelta(hours=1))
    candidate = normalise_entry(entry, base="https://www.example.org/", feed_base="https://www.example.org/feed/", source="Réseau", section="veille", tz=tz, fetched_at=dt.datetime(2026, 12, 1, tzinfo=tz), prepare=True)
    assert candidate is not None and candidate.drafted
    prepared = item_context(candidate, locale="fr")
    assert prepared == item_context(dataclasses.replace(candidate, drafted=()), locale="fr")
    assert prepared["title"] == "Rue scolaire\u00a0: \\*bilan\\* \\[2026\\]\u202f!"
