"""`newsletter check`, `check --fix` and `render --help` as the French user reads them.

The session runs in English (tests/conftest.py); these tests ask for French the way she does,
with NEWSLETTER_LANG=fr, and look for the check's sentences with their French typography: a
no-break space before ':' and inside « », a narrow one before ';' and '?'.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.french import NBSP, NNBSP
from tests.support.workspace import CONFIG, make_workspace

ROOT = Path(__file__).resolve().parents[2]
ASSETS = Path(__file__).parent.parent / "assets" / "typography"
DEFI = '\n[[sections]]\nid = "defi"\ntitle = "Défi Moov\'IDF"\nlayout = "text"\n'
FRENCH = {"NEWSLETTER_LANG": "fr", "COLUMNS": "1000"}  # wide: rich never folds a problem's line


def check_in_french(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=FRENCH)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def q(text: str) -> str:
    """«\u00a0text\u00a0», as the French catalog quotes."""
    return f"«{NBSP}{text}{NBSP}»"


def test_check_reports_the_slips_in_french(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=(ASSETS / "slips.md").read_text(encoding="utf-8"), config=CONFIG + DEFI)
    code, output = check_in_french("--config", str(config), "check", str(issue))
    assert code == 1, output
    at = f"{issue}:"
    expected = [
        f"{at}12: {q('[le replay] (https://www.example.org/replay)')} a une espace entre {q(']')} et {q('(')}{NBSP}: "
        f"l’e-mail affiche ce texte brut au lieu d’un lien{NNBSP}; écrivez [le replay](https://www.example.org/replay) (link-space)",
        f"{at}17: {q('##Agenda')} n’est pas un titre{NBSP}: les signes {q('#')} doivent être suivis d’une espace, sinon la section "
        f"disparaît et ses éléments passent dans la précédente{NNBSP}; écrivez ## Agenda (heading-space)",
        f"{at}21: {q('À COMPLÉTER')} est encore dans la lettre{NBSP}: complétez ce passage ou supprimez-le (draft-marker)",
        f"{at}27: la section {q('Veile')} n’est pas dans la configuration{NNBSP}; elle est mise en page comme du texte simple "
        f"(ajoutez-la à [[sections]] ou renommez-la){NNBSP}; vouliez-vous dire {q('Veille')}{NNBSP}? (structure)",
        f"{at}37: la section du brouillon {q('## À trier')} est encore dans la lettre, et l’envoi la publierait{NBSP}: "
        "déplacez les éléments que vous gardez dans leurs sections, puis supprimez-la (triage)",
    ]
    for line in expected:
        assert line in output, line
    for english in ("the email shows", "is not a heading", "is still in the issue", "is not in the configuration"):
        assert english not in output


def test_check_fix_speaks_french_and_the_check_names_each_fault(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=(ASSETS / "faults.md").read_text(encoding="utf-8"))

    code, before = check_in_french("--config", str(config), "check", str(issue))
    assert code == 1, before  # the HTML comment of the fixture is an error; typography only warns
    assert (
        f"{issue}:11: Typographie française{NBSP}: {q('Attention:')} demande une espace insécable avant {q(':')}{NNBSP}; "
        f"{q('ci-dessous;la')} demande une espace fine insécable avant {q(';')} et une espace après{NNBSP}; "
        f"{q('1')} demande {q('1er')} plutôt que {q('1')}{NNBSP}; "
    ) in before
    assert f"{NNBSP}; et 1 autre. `newsletter check --fix` corrige cela (typography)" in before
    assert "French typography" not in before and " needs " not in before

    code, output = check_in_french("--config", str(config), "check", "--fix", str(issue))
    assert code == 1, output
    backup = next(issue.parent.glob("2026-12.md.bak-*"))
    assert (
        f"Typographie française de {issue} corrigée sur 6{NBSP}lignes{NNBSP}; le fichier tel qu’il était est dans {backup}"
    ) in output
    assert f"  ligne 11{NBSP}: {q('ci-dessous;la')} → {q('ci-dessous[espace fine insécable]; la')}" in output
    assert f"  ligne 3{NBSP}: {q('scolaires:')} → {q('scolaires[espace insécable]:')}" in output
    assert "(typography)" not in output  # the check that follows finds nothing left to fix

    code, again = check_in_french("--config", str(config), "check", "--fix", str(issue))
    assert f"Typographie française de {issue}{NBSP}: rien à corriger." in again


def test_render_help_is_in_french_in_a_new_process(tmp_path: Path) -> None:
    """Help texts are translated when the commands are defined: only a new process shows them in French."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLETTER_")} | {
        "PYTHONPATH": str(ROOT), "NEWSLETTER_LANG": "fr", "COLUMNS": "200",
    }
    helps = {}
    for command in ("render", "check"):
        done = subprocess.run(
            [sys.executable, "-m", "newsletter.cli", command, "--help"],
            capture_output=True, text=True, timeout=30, env=env, cwd=tmp_path, check=False,
        )
        assert done.returncode == 0, done.stderr
        helps[command] = " ".join(done.stdout.split())  # rich folds and frames the help: compare the words
    assert "Produit une lettre dans build/<lettre>.html, .txt et .mjml, et la vérifie." in helps["render"]
    assert "Exemple : newsletter render issues/2026-12.md --open" in helps["render"]
    assert "Dossier de sortie (par défaut : build/ de l’espace de travail)." in helps["render"]
    assert "Ouvrir le HTML dans le navigateur." in helps["render"]
    assert "Render an issue" not in helps["render"] and "Output folder" not in helps["render"]
    assert "Vérifie une lettre selon les règles de l’e-mail, sans écrire de fichier" in helps["check"]
    assert "Corriger d’abord la typographie française dans le fichier de la lettre" in helps["check"]
