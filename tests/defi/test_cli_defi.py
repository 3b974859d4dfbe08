"""`newsletter defi …` through the CLI, on a copy of the example workspace.

Each bad input is imported over a good import: the test asserts the message, the exit code, and
that the stored results are byte for byte what they were (nothing imported, nothing damaged).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app

runner = CliRunner()
GOOD = "comptages/defi-moov-idf-2026.csv"
BAD = "comptages/defi-moov-idf-2026-erreurs.csv"
HEADER = "établissement;UAI;commune;département;niveau;classe;effectif;jour;à pied;vélo;trottinette/roller;transports en commun;covoiturage;voiture;autre"
ROW = "École A;;Saint-Denis;93;élémentaire;CM1;25;{day};10;1;0;2;1;10;0"


def run(workspace: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--config", str(workspace / "newsletter.toml"), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def imported(example_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example workspace with the good example file imported."""
    monkeypatch.chdir(example_workspace)
    code, output = run(example_workspace, "defi", "import", GOOD)
    assert code == 0, output
    return example_workspace


def test_import_then_again_changes_nothing(imported: Path) -> None:
    stored = imported / "defi" / "2026.json"
    before = stored.read_bytes()
    assert before.count(b'"school"') == 72
    code, output = run(imported, "defi", "import", GOOD)
    assert code == 0, output
    assert "already holds these 72 rows" in output and "nothing changed" in output
    assert "Column ignored (not one of the Défi's): 'Horodateur'" in output
    assert stored.read_bytes() == before


def test_the_bad_example_lists_every_bad_row_and_imports_nothing(imported: Path) -> None:
    stored = imported / "defi" / "2026.json"
    before = stored.read_bytes()
    code, output = run(imported, "defi", "import", BAD)
    assert code == 1
    assert "defi-moov-idf-2026-erreurs.csv: 10 problems on 9 rows; nothing was imported" in output
    for expected in [
        "row 4: Département: '27' is not a département of Île-de-France (75, 77, 78, 91, 92, 93, 94, 95)",
        "row 5: Vélo: '2,5' is not a whole number",
        "row 6: the modes add up to 27 pupils, more than the class's 24 (Effectif)",
        "row 7: École élémentaire Les Glycines (Créteil), class CE1, is counted twice on May 19, 2026 (rows 3 and 7)",
        "row 8: Établissement: it is empty; it is required",
        "row 9: Niveau: 'primaire' is not a known level (maternelle, élémentaire, collège, lycée)",
        "row 10: Jour: 'mardi' is neither 'référence' nor a date such as 18/05/2027",
        "row 11: UAI: 0751234A is a UAI of département 75, but the row says 93",
        "row 12: Effectif: 'vingt-six' is not a whole number",
        "row 12: Vélo: '-2' is negative; a number of pupils is 0 or more",
    ]:
        assert f"  - {expected}\n" in output
    assert "Tip: correct these rows in the file, then import it again" in output
    assert stored.read_bytes() == before


def test_a_bad_file_on_a_fresh_workspace_creates_nothing(example_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example_workspace)
    code, _output = run(example_workspace, "defi", "import", BAD)
    assert code == 1
    assert not (example_workspace / "defi").exists()


BAD_INPUTS = [
    pytest.param("missing-column.csv", "établissement;commune;niveau;effectif;jour;à pied\n", 1,
                 ["the header row (row 1) does not name the Défi's columns", "required columns are missing: 'Département', 'Bike'"], id="missing-columns"),
    pytest.param("twice-column.csv", HEADER + ";velo\n" + ROW.format(day="19/05/2026") + ";1\n", 1,
                 ["the columns 'vélo' and 'velo' both mean 'Bike'; keep one"], id="column-twice"),
    pytest.param("only-reference.csv", HEADER + "\n" + ROW.format(day="référence") + "\n", 1,
                 ["no row counts a challenge day"], id="no-challenge-day"),
    pytest.param("two-years.csv", HEADER + "\n" + ROW.format(day="19/05/2026") + "\n" + ROW.format(day="18/05/2027") + "\n", 1,
                 ["the challenge days are in several years (2026, 2027); import one year's file at a time"], id="two-years"),
    pytest.param("whole-and-class.csv", HEADER + "\n" + ROW.format(day="19/05/2026") + "\n" + ROW.format(day="19/05/2026").replace(";CM1;", ";;") + "\n", 1,
                 ["row 3: École A (Saint-Denis) is counted twice on May 19, 2026: as a whole school here, and by class on rows 2"], id="whole-school-and-classes"),
    pytest.param("two-departements.csv", HEADER + "\n" + ROW.format(day="19/05/2026") + "\n" + ROW.format(day="19/05/2026").replace(";93;", ";94;").replace("CM1", "CM2") + "\n", 1,
                 ["row 3: École A is in département 93 on row 2, 94 here"], id="school-in-two-departements"),
    pytest.param("zero.csv", HEADER + "\n" + ROW.format(day="19/05/2026").replace(";10;1;0;2;1;10;0", ";;;;;;;") + "\n", 1,
                 ["row 2: no pupil is counted in any mode"], id="no-count"),
    pytest.param("bad-uai.csv", HEADER + "\n" + ROW.format(day="19/05/2026").replace(";;Saint-Denis", ";93-12;Saint-Denis") + "\n", 1,
                 ["row 2: UAI: '93-12' is not a UAI (7 digits and a letter, e.g. 0931234A)"], id="malformed-uai"),
    pytest.param("empty.csv", "\n\n", 2, ["empty.csv is empty"], id="empty-file"),
    pytest.param("garbled.csv", b"\x81\x8d\x8f;\x90\n", 2, ["neither UTF-8 nor Windows-1252"], id="not-text"),
    pytest.param("notes.pdf", "hello", 2, ["expected a .csv or .xlsx file"], id="wrong-kind"),
    pytest.param("fake.xlsx", "not a workbook", 2, ["is not an Excel workbook that can be read"], id="not-a-workbook"),
]


@pytest.mark.parametrize(("name", "content", "exit_code", "messages"), BAD_INPUTS)
def test_each_bad_input_is_refused_in_words_and_imports_nothing(imported: Path, name: str, content: str | bytes, exit_code: int, messages: list[str]) -> None:
    stored = imported / "defi" / "2026.json"
    before = stored.read_bytes()
    path = imported / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code, output = run(imported, "defi", "import", name)
    assert code == exit_code, output
    assert output.startswith("Error: ")
    for message in messages:
        assert message in output
    assert stored.read_bytes() == before
    assert sorted(p.name for p in (imported / "defi").iterdir()) == ["2026.json"]


def test_a_missing_file(imported: Path) -> None:
    code, output = run(imported, "defi", "import", "nowhere.csv")
    assert code == 2
    assert "Error: file not found: nowhere.csv" in output


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_template_filled_in_imports(tmp_path: Path, example_workspace: Path, suffix: str) -> None:
    path = tmp_path / f"comptages{suffix}"
    code, output = run(example_workspace, "defi", "template", str(path))
    assert code == 0, output
    rows = [
        ["École A", "0930001A", "Saint-Denis", "93", "élémentaire", "CM1", 25, "référence", 10, 1, 0, 2, 1, 10, 0],
        ["École A", "0930001A", "Saint-Denis", "93", "élémentaire", "CM1", 25, "19/05/2026", 15, 3, 1, 2, 1, 2, 0],
    ]
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path)
        assert workbook.sheetnames == ["Counts", "Instructions"]
        assert "One row per class (or per school) and per counting day" in str(workbook["Instructions"]["A3"].value)
        for values in rows:
            workbook["Counts"].append(values)
        workbook.save(path)
    else:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").startswith("School;UAI;Town;Département;Level;")
        with path.open("a", encoding="utf-8", newline="") as handle:
            handle.writelines(";".join(map(str, values)) + "\r\n" for values in rows)
    code, output = run(example_workspace, "defi", "import", str(path))
    assert code == 0, output
    assert "Imported 2 rows" in output
    assert (example_workspace / "defi" / "2026.json").exists()


def test_template_never_overwrites(tmp_path: Path, example_workspace: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("à garder", encoding="utf-8")
    code, output = run(example_workspace, "defi", "template", str(path))
    assert code == 2 and "already exists; nothing was changed" in output
    assert path.read_text(encoding="utf-8") == "à garder"


def test_report_writes_html_and_a_workbook_with_the_same_figures(imported: Path) -> None:
    from openpyxl import load_workbook

    code, output = run(imported, "defi", "report")
    assert code == 0, output
    html = (imported / "reports" / "defi-moov-idf-2026.html").read_text(encoding="utf-8")
    workbook = load_workbook(imported / "reports" / "defi-moov-idf-2026.xlsx")
    assert html.count("<svg") == 3
    levels = workbook["Levels"]
    rows = [row for row in levels.iter_rows(values_only=True) if isinstance(row[1], int | str) and row[1] is not None]
    assert list(rows[0][:4]) == ["Level", "Schools", "Classes", "Pupils"]
    assert list(rows[-1][:4]) == ["All levels", 15, 24, 739]
    # The page shows the same figures: 739 pupils, and each level's share as a percentage.
    assert ">739<" in html
    for row in rows[1:]:
        assert isinstance(row[6], float)
        assert f"{row[6] * 100:.1f}%" in html  # "Active + shared", as the English page writes it
    ranking = workbook["Ranking Middle school"]
    assert [cell.value for cell in ranking[2]][:3] == [1, "Collège Simone-Veil", "Paris 19e"]


def test_report_without_results_says_what_to_do(example_workspace: Path) -> None:
    code, output = run(example_workspace, "defi", "report")
    assert code == 2
    assert "no Défi results" in output and "newsletter defi import FILE" in output


def test_section_is_written_checked_and_rendered_with_its_chart(imported: Path) -> None:
    from PIL import Image

    issue = imported / "issues" / "2026-11.md"
    code, output = run(imported, "defi", "section", "issues/2026-11.md")
    assert code == 0, output
    text = issue.read_text(encoding="utf-8")
    url = "https://lettre.example.org/mobiscol/images/defi-moov-idf-2026.png"
    assert f"]({url})" in text
    assert "- **Middle school**: 1. Collège Simone-Veil (Paris 19e, 100%)" in text
    assert "La prochaine édition du Défi Moov'IDF" in text  # the editor's text is kept
    with Image.open(imported / "images" / "defi-moov-idf-2026.png") as image:
        assert image.size == (1200, 660)
    assert (imported / "images" / "defi-moov-idf-2026.png").stat().st_size <= 120_000
    code, output = run(imported, "check", "issues/2026-11.md")
    assert code == 0, output
    code, output = run(imported, "render", "issues/2026-11.md")
    assert code == 0, output
    html = (imported / "build" / "2026-11.html").read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="' + re.escape(url) + '"', html)
    assert "Collège Simone-Veil" in (imported / "build" / "2026-11.txt").read_text(encoding="utf-8")
    # Again: the same block, the same file.
    code, output = run(imported, "defi", "section", "issues/2026-11.md")
    assert code == 0 and "Replaced the Défi 2026 block" in output
    assert issue.read_text(encoding="utf-8") == text


def test_an_edited_block_is_kept_unless_forced(imported: Path) -> None:
    issue = imported / "issues" / "2026-11.md"
    assert run(imported, "defi", "section", "issues/2026-11.md")[0] == 0
    edited = issue.read_text(encoding="utf-8").replace("Congratulations to every class that took part", "Bravo à toutes les classes")
    issue.write_text(edited, encoding="utf-8")
    code, output = run(imported, "defi", "section", "issues/2026-11.md")
    assert code == 2
    assert "was edited since `newsletter defi section` wrote it; nothing was changed" in output and "--force" in output
    assert issue.read_text(encoding="utf-8") == edited
    code, output = run(imported, "defi", "section", "issues/2026-11.md", "--force")
    assert code == 0, output
    assert "Bravo" not in issue.read_text(encoding="utf-8")


def test_the_section_is_added_in_the_configured_order(imported: Path) -> None:
    issue = imported / "issues" / "2026-11.md"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text[: text.index("## Défi Moov'IDF")], encoding="utf-8")
    # Configure the Défi before the calls for projects: the new section goes in between.
    config = imported / "newsletter.toml"
    toml = config.read_text(encoding="utf-8")
    defi = '[[sections]]\nid = "defi"\ntitle = "Défi Moov\'IDF"\nlayout = "text"\nhighlight = true\n\n'
    assert defi in toml
    toml = toml.replace(defi, "").replace('[[sections]]\nid = "appels"', defi + '[[sections]]\nid = "appels"')
    config.write_text(toml, encoding="utf-8")
    code, output = run(imported, "defi", "section", "issues/2026-11.md")
    assert code == 0, output
    assert "Added the Défi 2026 section" in output
    new = issue.read_text(encoding="utf-8")
    assert new.index("## Agenda") < new.index("## Défi Moov'IDF") < new.index("Results of the Défi Moov'IDF 2026") < new.index("## Appels à projets")
    assert run(imported, "check", "issues/2026-11.md")[0] == 0


def test_a_workspace_without_a_defi_section_is_told_how_to_add_one(imported: Path) -> None:
    config = imported / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('id = "defi"', 'id = "challenge"'), encoding="utf-8")
    before = (imported / "issues" / "2026-11.md").read_bytes()
    code, output = run(imported, "defi", "section", "issues/2026-11.md")
    assert code == 2
    assert "has no section with id 'defi'" in output and '[[sections]] id = "defi"' in output
    assert (imported / "issues" / "2026-11.md").read_bytes() == before
    assert not (imported / "images" / "defi-moov-idf-2026.png").exists()


def test_defi_help_lists_its_commands() -> None:
    result = runner.invoke(app, ["defi", "--help"])
    assert result.exit_code == 0
    for name in ("template", "import", "report", "section"):
        assert name in result.output
