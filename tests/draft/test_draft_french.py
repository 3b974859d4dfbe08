"""`draft`, `sources check` and `draft --help` in French (NEWSLETTER_LANG=fr), against a local server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from tests.support.feeds import FeedServer, Route, serve_realistic, write_workspace

FRENCH = {"NEWSLETTER_LANG": "fr", "COLUMNS": "250"}
ROOT = Path(__file__).resolve().parents[2]


def run_fr(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args], env=FRENCH)
    return result.exit_code, " ".join(result.output.split())


def test_draft_reports_in_french(workspace: Path) -> None:
    code, output = run_fr(workspace, "draft", "--month", "2026-12", "--today", "2026-12-01")
    assert code == 0, output
    assert "Traceback" not in output
    # the failed feed's reason, the statuses and the drop reasons of the summary table
    assert "ce n’est pas un flux lisible" in output  # the broken feed
    assert "déjà dans une lettre" in output and "hors période" in output and "en attente de validation" in output
    assert "already published" not in output and "outside the window" not in output
    # the window's origin: November's issue, whose draft left no record of its fetch
    assert "la date de la lettre précédente 2026-11 (aucune trace du relevé des sources de son brouillon)" in output


def test_sources_check_reports_in_french(server: FeedServer, tmp_path: Path) -> None:
    serve_realistic(server)
    server.add("/site", Route(b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>', content_type="text/html"))
    server.add("/page", Route(b"<html><body>Bienvenue</body></html>", content_type="text/html"))
    config = write_workspace(tmp_path, server.url, feeds=[("Site", "/site", "veille"), ("Page", "/page", "veille")], actor_map=False)
    code, output = run_fr(config, "sources", "check")
    assert code == 1, output
    assert "trouvé sur le site" in output and "/atom.xml" in output
    assert "l’adresse renvoie une page web, pas un flux, et la page ne déclare aucun flux" in output
    assert "flux trouvé à l’adresse" in output and "(mettez cette adresse dans newsletter.toml)" in output
    assert "discovered" not in output and "Traceback" not in output


def test_draft_offline_and_without_sources_in_french(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_workspace(tmp_path, f"http://127.0.0.1:{port}", feeds=[("Fermé", "/feed.xml", "veille")], actor_map=False)
    code, output = run_fr(config, "draft", "--month", "2026-12", "--today", "2026-12-01")
    assert code == 1, output
    assert "connexion impossible" in output
    assert "toutes les sources ont échoué, aucun brouillon n’a donc été écrit" in output
    assert "aucun site n’a pu être joint" in output and "Traceback" not in output
    (tmp_path / "vide").mkdir()
    empty = write_workspace(tmp_path / "vide", "http://127.0.0.1:9", feeds=[], actor_map=False)
    code, output = run_fr(empty, "sources", "check")
    assert code == 0, output
    assert "aucune source n’est configurée dans" in output and "le brouillon n’a donc que les titres des sections" in output


def test_draft_help_in_french() -> None:
    env = {**os.environ, "NEWSLETTER_LANG": "fr", "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "newsletter.cli", "draft", "--help"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "Prépare le brouillon issues/AAAA-MM.md à partir des flux de veille et de la carte des acteurs." in text
    assert "Le mois de la lettre, AAAA-MM, par exemple 2026-12" in text
    assert "Exemple : newsletter draft --month 2026-12" in text  # split() folds the no-break space too
    assert "Draft issues/YYYY-MM.md" not in text
