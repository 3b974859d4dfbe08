"""`newsletter check ISSUE --links` against a real local server: broken links reported once, with their line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter import linkcheck
from newsletter.cli import app
from tests.linkcheck.conftest import LinkServer
from tests.support.asserts import snapshot_tree
from tests.support.workspace import FRONT, make_workspace, workspace_config

runner = CliRunner()


def config_for(server: LinkServer) -> str:
    return workspace_config(web_url=server.url("/archive/"), website_url=server.url("/site"), unsubscribe_url=server.url("/desinscription"))


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkcheck, "DEFAULT_TIMEOUT", 0.3)


def test_broken_links_reported_once_with_their_line(tmp_path: Path, link_server: LinkServer) -> None:
    u = link_server.url
    issue_text = FRONT + f"""
## Édito
Bonjour. Lisez [le guide des rues scolaires]({u('/ok')}) et [la page disparue]({u('/missing')}).

Voir aussi [le serveur en panne]({u('/error')}) et [le site sans HEAD]({u('/no-head')}).

Puis [la boucle de redirections]({u('/loop-a')}) et [le site trop lent]({u('/slow')}).

Écrivez-nous par [courriel](mailto:contact@example.org) ou par [téléphone](tel:+33100000000).

## Veille
### [Une rue scolaire à Lyon]({u('/missing')})
*Rue de l'Avenir · 12 novembre 2026*
Un retour d'expérience.
"""
    config, issue = make_workspace(tmp_path / "ws", config=config_for(link_server), issue=issue_text)
    before = snapshot_tree(tmp_path / "ws")

    result = runner.invoke(app, ["--config", str(config), "check", str(issue), "--links"])
    output = result.output

    assert result.exit_code == 1, output
    assert "Traceback" not in output
    expected = {
        "/missing": "answered 404 Not Found",
        "/error": "answered 500 Internal Server Error",
        "/loop-a": "redirects too many times",
        "/slow": "did not answer within 0.3 s",
    }
    for path, message in expected.items():
        line = line_of(issue_text, u(path))
        assert f"2026-12.md:{line}: {u(path)} {message}" in output, output
        assert output.count(f"{u(path)} {message}") == 1, output
    for good in ("/ok", "/no-head"):
        assert f"{u(good)} answered" not in output
    assert output.count("(link-broken)") == 4, output
    # /missing appears twice in the issue and is fetched once; mailto:/tel: never.
    assert link_server.paths("HEAD").count("/missing") == 1
    assert ("GET", "/no-head") in [(m, p) for m, p, _ in link_server.requests]
    assert snapshot_tree(tmp_path / "ws") == before


def test_good_links_exit_zero_theme_links_checked_utm_stripped(tmp_path: Path, link_server: LinkServer) -> None:
    u = link_server.url
    issue_text = FRONT + f"""
## Édito
Bonjour. Lisez [le guide des rues scolaires]({u('/ok')}) et [le site sans HEAD]({u('/no-head')}).

Voir aussi [le lien temporaire]({u('/temporary')}) et [le guide partenaire]({u('/ok-too?utm_source=partenaire&lang=fr')}).

## Veille
### [Une rue scolaire à Lyon]({u('/old-home')})
*Rue de l'Avenir · 12 novembre 2026*
Un retour d'expérience.
"""
    config, issue = make_workspace(tmp_path / "ws", config=config_for(link_server), issue=issue_text)

    result = runner.invoke(app, ["--config", str(config), "check", str(issue), "--links"])
    output = result.output

    assert result.exit_code == 0, output
    assert "Traceback" not in output
    assert "(link-broken)" not in output
    moved_line = line_of(issue_text, u("/old-home"))
    assert f"2026-12.md:{moved_line}: {u('/old-home')} moved permanently to {u('/new-home')}" in output
    requested = link_server.paths()
    assert "/site" in requested  # a link of the theme (website_url)
    assert not any("utm_" in path for path in requested), requested
    assert "/ok-too?lang=fr" in requested
    assert not any(path.startswith("/archive/") for path in requested)  # the web version is published later
    assert all(agent.startswith("newsletter/") for _, _, agent in link_server.requests)


def test_check_without_links_fetches_nothing(tmp_path: Path, link_server: LinkServer) -> None:
    issue_text = FRONT + f"\n## Édito\nBonjour. Lisez [la page disparue]({link_server.url('/missing')}).\n"
    config, issue = make_workspace(tmp_path / "ws", config=config_for(link_server), issue=issue_text)
    result = runner.invoke(app, ["--config", str(config), "check", str(issue)])
    assert result.exit_code == 0, result.output
    assert link_server.requests == []
