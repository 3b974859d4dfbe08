"""Dark mode really works (issue 11 §4): actor cards keep their tint, every block has dark
colours, Outlook.com gets its [data-ogsc]/[data-ogsb] twins, Outlook and iOS their overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsletter.config import load_settings
from newsletter.render.palette import theme_palette
from newsletter.render.pipeline import RenderResult, render_issue_file
from tests.support.contrast import dark_css, text_runs
from tests.support.workspace import kitchen_sink_workspace

PALETTE = theme_palette("#00806e", "#e8590c")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    config, issue = kitchen_sink_workspace(Path(tmp_path_factory.mktemp("dark")) / "ws")
    return render_issue_file(load_settings(config, environ={}), issue)


def _run(result: RenderResult, text: str, *, dark: bool) -> tuple[str, str]:
    found = [r for r in text_runs(result.html, dark=dark) if text in r.text]
    assert found, text
    return found[0].colour, found[0].background


def test_actor_cards_keep_their_tint_in_dark_mode(result: RenderResult) -> None:
    assert _run(result, "Pédibus de l'école des Acacias", dark=False)[1] == PALETTE.light.tint
    assert _run(result, "Pédibus de l'école des Acacias", dark=True)[1] == PALETTE.dark.tint
    assert _run(result, "Rezé (44)", dark=True)[1] == PALETTE.dark.tint


def test_quote_heading_table_and_rule_have_dark_colours(result: RenderResult) -> None:
    assert _run(result, "premier espace public", dark=True)[0] == PALETTE.dark.quote
    assert _run(result, "Ce que change l'hiver", dark=True)[0] == PALETTE.dark.heading
    assert _run(result, "Arrivée à l'école", dark=True) == (PALETTE.dark.text, PALETTE.dark.table_head)
    assert _run(result, "Vélobus des Tilleuls", dark=True)[0] == PALETTE.dark.text
    css = dark_css(result.html)
    assert re.search(r"\.nl-prose hr[^{]*\{\s*border-color: " + PALETTE.dark.line, css)
    assert re.search(r"\.nl-prose blockquote[^{]*\{\s*border-color: " + PALETTE.dark.quote_border, css)


def test_every_dark_rule_has_its_outlook_com_twin(result: RenderResult) -> None:
    css = dark_css(result.html)
    rules = re.findall(r"([^{}]+)\{([^{}]+)\}", css)
    assert len(rules) > 10
    for selectors, declarations in rules:
        if "nl-logo" in selectors:
            continue
        mark = "[data-ogsb]" if "background" in declarations else "[data-ogsc]"
        twin = ", ".join(f"{mark} {s.strip()}" for s in selectors.split(","))
        assert twin + " {" + declarations + "}" in result.html, twin


def test_outlook_font_and_apple_overrides(result: RenderResult) -> None:
    mso = re.search(r"<!--\[if mso\]><style>(.*?)</style><!\[endif\]-->", result.html, re.DOTALL)
    assert mso and '"Segoe UI", sans-serif' in mso.group(1)
    assert '<meta name="x-apple-disable-message-reformatting">' in result.html
    assert re.search(r'<meta name="format-detection" content="telephone=no, date=no, address=no', result.html)
    assert re.search(r"a\[x-apple-data-detectors\] \{ color: inherit !important; text-decoration: none !important;", result.html)
