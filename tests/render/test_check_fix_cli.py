"""`newsletter check --fix` as a user runs it: her typography fixed in place, a backup kept, the check then silent."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.french import NBSP, NNBSP
from tests.support.asserts import assert_clean_failure
from tests.support.workspace import CONFIG, make_workspace

runner = CliRunner()
ASSETS = Path(__file__).parent.parent / "assets" / "typography"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_check_fix_fixes_a_dozen_faults_and_the_check_is_then_silent(tmp_path: Path) -> None:
    source = (ASSETS / "faults.md").read_text(encoding="utf-8")
    config, issue = make_workspace(tmp_path / "ws", issue=source)

    code, before = run("--config", str(config), "check", str(issue))
    # Typography is a warning; the one error is the HTML comment the fixture keeps to show
    # that the fixer leaves comments alone.
    assert code == 1, before
    assert "1 error," in before and "(raw-html)" in before
    assert (
        f"{issue}:11: French typography: “Attention:” needs a no-break space before ':'; “ci-dessous;la” needs a narrow "
        "no-break space before ';' and a space after it; “1” needs '1er' rather than '1'; “décembre!” needs a narrow no-break "
        "space before '!'; “« vélobus” needs a no-break space after '«'; “vélobus »” needs a no-break space before '»'; and 1 more. "
        "`newsletter check --fix` fixes this"
    ) in " ".join(before.split())
    assert f"{issue}:3: French typography: “scolaires:” needs a no-break space before ':'" in before

    code, output = run("--config", str(config), "check", "--fix", str(issue))
    assert code == 1, output
    backups = list(issue.parent.glob("2026-12.md.bak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == source
    assert f"Fixed the French typography of {issue} on 6 lines; the file as it was is in {backups[0]}" in " ".join(output.split())
    assert "line 11: “ci-dessous;la” → “ci-dessous[narrow nbsp]; la”" in output
    assert "line 11: “1” → “1er”" in output
    assert "line 3: “scolaires:” → “scolaires[nbsp]:”" in output
    assert "line 25: “XIXème” → “XIXe”" in output
    assert "(typography)" not in output  # the check that follows the fix is silent about it
    assert "1 error, 0 warnings" in output

    fixed = issue.read_text(encoding="utf-8")
    for kept in ("https://ex.org/a?b=1;c=2", "`a: b; c!`", "à 10:30 devant", "contact@mobiscol.org", "code: garde; tout!",
                 "<!-- note : à relire!", "toujours: en commentaire! -->", "velobus-trajets-hiver?x=1:2)", "velobus.png?v=1;2)"):
        assert kept in fixed, kept
    assert f"contact@mobiscol.org{NNBSP}!" in fixed and f"Attention{NBSP}: le programme" in fixed

    code, again = run("--config", str(config), "check", "--fix", str(issue))
    assert code == 1, again
    assert f"French typography of {issue}: nothing to fix." in " ".join(again.split())
    assert len(list(issue.parent.glob("2026-12.md.bak-*"))) == 1  # nothing written, no second backup


def test_check_fix_writes_typographic_apostrophes_when_the_config_asks(tmp_path: Path) -> None:
    source = (ASSETS / "faults.md").read_text(encoding="utf-8")
    config, issue = make_workspace(tmp_path / "ws", issue=source, config=CONFIG + '\n[typography]\napostrophe = "typographic"\n')
    code, before = run("--config", str(config), "check", str(issue))
    assert code == 1, before
    assert "“l'école” needs the apostrophe ’ rather than '" in before
    code, output = run("--config", str(config), "check", "--fix", str(issue))
    assert code == 1, output
    assert "“l'école ;” → “l’école[narrow nbsp];”" in output
    assert "(typography)" not in output
    assert "devant l’école" in issue.read_text(encoding="utf-8")


def test_check_fix_on_a_file_it_cannot_read_fails_cleanly(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue="no front matter\n")
    code, output = run("--config", str(config), "check", "--fix", str(issue))
    assert_clean_failure(output, code, 1, "the file must start with front matter")
    assert issue.read_text(encoding="utf-8") == "no front matter\n"
    assert not list(issue.parent.glob("*.bak-*"))
