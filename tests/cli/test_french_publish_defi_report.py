"""`publish`, `defi` and `report` speak French when asked: messages, the Défi's template, help texts.

The suite runs in English; these tests ask for French (NEWSLETTER_LANG=fr) and read the compiled
catalog, so they fail when a string of these commands is left untranslated or the .mo is stale.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
FRENCH = {"NEWSLETTER_LANG": "fr"}
HEADERS = ["Établissement", "UAI", "Commune", "Département", "Niveau", "Classe", "Effectif", "Jour", "À pied", "Vélo",
           "Trottinette/roller", "Transports en commun", "Covoiturage", "Voiture", "Autre"]
ROWS = [
    ["École A", None, "Saint-Denis", "93", "Élémentaire", "CM1", 25, "référence", 10, 1, 0, 2, 1, 10, 0],
    ["École A", None, "Saint-Denis", "93", "Élémentaire", "CM1", 25, "18/05/2027", 15, 4, 2, 1, 1, 2, 0],
    ["Collège B", None, "Montreuil", "93", "Collège", "", 300, "référence", 150, 20, 10, 40, 10, 60, 5],
    ["Collège B", None, "Montreuil", "93", "Collège", "", 300, "18/05/2027", 170, 40, 20, 30, 10, 20, 5],
]


def french(workspace: Path, *args: str) -> Result:
    from newsletter.cli import app

    result = CliRunner().invoke(app, ["--config", str(workspace / "newsletter.toml"), *args], env=FRENCH)
    assert "Traceback" not in result.output
    return result


def test_a_french_xlsx_template_has_the_french_headers_and_imports_back(example_workspace: Path) -> None:
    template = example_workspace / "comptages-2027.xlsx"
    assert french(example_workspace, "defi", "template", str(template)).exit_code == 0
    book = load_workbook(template)
    assert book.sheetnames == ["Comptages", "Mode d’emploi"]
    assert [cell.value for cell in book["Comptages"][1]] == HEADERS
    assert book["Mode d’emploi"]["A1"].value == "Défi Moov’IDF\u00a0: comment remplir ce fichier"
    for row in ROWS:
        book["Comptages"].append(row)
    book.save(template)
    imported = french(example_workspace, "defi", "import", str(template))
    assert imported.exit_code == 0, imported.output
    stored = (example_workspace / "defi" / "2027.json").read_text(encoding="utf-8")
    assert '"level": "college"' in stored and '"level": "elementaire"' in stored


def test_a_french_csv_template_imports_back(example_workspace: Path) -> None:
    template = example_workspace / "comptages.csv"
    assert french(example_workspace, "defi", "template", str(template)).exit_code == 0
    header = template.read_bytes().decode("utf-8-sig").strip()
    assert header.split(";") == HEADERS
    lines = [";".join("" if value is None else str(value) for value in row) for row in ROWS]
    template.write_text(header + "\r\n" + "\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    result = french(example_workspace, "defi", "import", str(template))
    assert result.exit_code == 0, result.output


def test_defi_problems_are_worded_in_french(example_workspace: Path) -> None:
    book = Workbook()
    book.active.append(HEADERS)
    book.active.append(["École A", None, "Saint-Denis", "93", "Élémentaire", "CM1", "vingt", "18/05/2027", 10, 1, 0, 2, 1, 10, 0])
    path = example_workspace / "erreurs.xlsx"
    book.save(path)
    result = french(example_workspace, "defi", "import", str(path))
    assert result.exit_code != 0
    assert "erreurs.xlsx\u00a0: 1 problème sur 1 ligne\u202f; rien n’a été importé" in result.output
    assert "ligne 2, Effectif\u00a0: «\u00a0vingt\u00a0» n’est pas un nombre entier" in result.output


def test_publish_without_a_site_says_so_in_french(example_workspace: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    config = example_workspace / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[publish]\ntarget = "file://{www}/"\n', encoding="utf-8")
    shutil.rmtree(example_workspace / "site", ignore_errors=True)
    result = french(example_workspace, "publish", "--dry-run")
    assert result.exit_code != 0
    assert "il n’y a pas de site à publier dans" in result.output
    assert "lancez d’abord `newsletter archive`" in result.output


def test_report_in_french_summary_headings_and_sheets(example_workspace: Path) -> None:
    (example_workspace / "state").mkdir(exist_ok=True)
    shutil.copy(ROOT / "examples" / "report" / "campaigns-2026.json", example_workspace / "state" / "campaigns.json")
    bad = french(example_workspace, "report", "--from", "2026-13")
    assert bad.exit_code != 0 and "--from 2026-13 n’est pas un mois" in bad.output and "AAAA-MM, par exemple 2026-01" in bad.output
    result = french(example_workspace, "report", "--from", "2026-01", "--to", "2026-12", "--cached")
    assert result.exit_code == 0, result.output
    assert "Fichier écrit\u00a0:" in result.output
    html = (example_workspace / "reports" / "rapport-lettre-2026-01-2026-12.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    page = html.replace("&#39;", "'")
    assert "12 lettres ont été envoyées de janvier 2026 à décembre 2026." in page
    assert "La liste comptait 1\u202f287 abonnés en décembre 2026 (+9\u00a0% depuis janvier 2026)." in page
    assert "En moyenne, 45\u00a0% des lettres délivrées ont été ouvertes" in page
    assert "<caption>Articles les plus cliqués</caption>" in html and "<caption>Lettres envoyées</caption>" in html
    book = load_workbook(io.BytesIO((example_workspace / "reports" / "rapport-lettre-2026-01-2026-12.xlsx").read_bytes()))
    assert "Lettres envoyées" in book.sheetnames
    assert [cell.value for cell in book["Lettres envoyées"][1]][:3] == ["Lettre", "Envoyée le", "Abonnés"]


@pytest.mark.parametrize(("command", "expected"), [
    (["publish"], "Mettre en ligne le site construit par `newsletter archive`"),
    (["defi"], "Les résultats du Défi Moov’IDF"),
    (["defi", "import"], "Rien n’est importé tant qu’une ligne a un problème"),
    (["report"], "--from AAAA-MM"),
])
def test_help_is_in_french(command: list[str], expected: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSLETTER_LANG": "fr", "NO_COLOR": "1", "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "newsletter.cli", *command, "--help"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert expected in " ".join(result.stdout.split()), result.stdout
