"""The archive's pages on the web (issue 11 §5, §6): web visits tagged utm_medium=web, no UTM on
the licence link, readable colours in light and dark mode, a way back that clears the edge."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import css_inline
import pytest
from typer.testing import Result

from tests.support.contrast import failures, text_runs

Cli = Callable[..., Result]


@pytest.fixture
def site(ws: Path, cli: Cli) -> Path:
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    return ws / "site"


def test_pages_say_utm_medium_web_and_the_licence_link_has_no_utm(site: Path) -> None:
    page = (site / "2026-11.html").read_text(encoding="utf-8")
    tagged = [h for h in re.findall(r'href="([^"]*)"', page) if "utm_" in h]
    assert len(tagged) > 20
    for href in tagged:
        assert parse_qs(urlsplit(href.replace("&amp;", "&")).query)["utm_medium"] == ["web"], href
    assert 'href="https://opendatacommons.org/licenses/odbl/summary/"' in page


def test_the_email_keeps_utm_medium_email(ws: Path, cli: Cli) -> None:
    cli("render", str(ws / "issues" / "2026-11.md"), "--out", str(ws / "build"))
    email = (ws / "build" / "2026-11.html").read_text(encoding="utf-8")
    assert "utm_medium=email" in email and "utm_medium=web" not in email
    assert 'href="https://opendatacommons.org/licenses/odbl/summary/"' in email


def test_the_way_back_to_the_index_clears_the_edge(site: Path) -> None:
    page = (site / "2026-11.html").read_text(encoding="utf-8")
    nav = re.search(r'<div class="archive-nav" style="([^"]*)"', page)
    assert nav and re.search(r"padding:\s*\d+px (1[2-9]|[2-9]\d)px", nav.group(1)), nav


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", ["index.html", "2026-11.html"])
def test_archive_pages_reach_aa(site: Path, name: str, dark: bool) -> None:
    page = (site / name).read_text(encoding="utf-8")
    if name == "index.html":  # its CSS is in a <style>: inline it the way a browser applies it
        page = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False).inline(page)
    runs = text_runs(page, dark=dark)
    assert any("S'inscrire" in r.text for r in runs) or name != "index.html"
    assert any("Toutes les lettres" in r.text for r in runs) or name == "index.html"
    assert failures(runs) == []
