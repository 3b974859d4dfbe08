"""The text part (issue 11 §6): folded at 72 columns after UTM tagging, URLs on their own line,
a real signature separator, quotes kept, tables readable, and the footer the HTML has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsletter.choices import Provider
from newsletter.config import load_settings
from newsletter.render.pipeline import RenderResult, render_issue_file
from tests.support.workspace import kitchen_sink_workspace

URL_LINE = re.compile(r"^\s*(\[\d+\] )?(https?://\S+|\[\[[A-Z_]+\]\]|\{\{ \w+ \}\})$")


@pytest.fixture(scope="module", params=[Provider.outbox, Provider.mailjet])
def result(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    config, issue = kitchen_sink_workspace(Path(tmp_path_factory.mktemp("text")) / "ws")
    return render_issue_file(load_settings(config, environ={}), issue, provider=request.param)


def test_lines_fit_72_columns_and_urls_stand_alone(result: RenderResult) -> None:
    lines = result.text.splitlines()
    too_long = [line for line in lines if len(line) > 72 and not URL_LINE.match(line)]
    assert too_long == []
    for line in lines:
        for url in re.findall(r"https?://\S+", line):
            assert URL_LINE.match(line), f"a URL inside a text line: {line!r}"
            assert "utm_medium=email" in url or "desinscription" in url or "opendatacommons" in url, url
    assert "Les horaires des lignes, selon le guide du réseau\u00a0[1] :" in result.text
    assert "\n[1] https://www.example.org/guide-hiver?utm_source=mobiscol" in result.text


def test_signature_quote_table_and_footer(result: RenderResult) -> None:
    lines = result.text.splitlines()
    assert "-- " in lines and "--" not in lines
    footer = result.text[result.text.index("\n-- \n"):]
    assert "> « Le chemin de l'école est le premier espace public que l'enfant\n> parcourt seul. »" in result.text
    assert "Ligne                | Départ | Arrivée à l'école" in result.text
    assert "Pédibus des Acacias  | 8 h 05 | 8 h 25" in result.text
    assert "Site du réseau Mobiscol :\nhttps://mobiscol.org/" in footer
    assert "Nous écrire : contact@example.org" in footer
    assert "Vivacités Île-de-France · Paris, Île-de-France" in footer
    assert "Vous recevez cette lettre car vous êtes inscrit·e à La lettre de\nMobiscol." in footer
    unsubscribe = "[[UNSUB_LINK_FR]]" if result.provider == Provider.mailjet else "https://lettre.example.org/mobiscol/desinscription"
    assert f"Se désinscrire :\n{unsubscribe}\n" in footer
    assert "licence ODbL :\nhttps://opendatacommons.org/licenses/odbl/summary/\n" in footer


def test_a_wide_table_becomes_records() -> None:
    from newsletter.render.markup import markdown_to_text

    table = "| Ligne | Départ | Remarque |\n|---|---|---|\n| Pédibus des Acacias | 8 h 05 | " + "départ devant la boulangerie, " * 3 + "|\n"
    text = markdown_to_text(table)
    assert text.startswith("- Ligne\u00a0: Pédibus des Acacias\n  Départ\u00a0: 8 h 05\n  Remarque\u00a0: départ devant")
    assert max(len(line) for line in text.splitlines()) <= 72
