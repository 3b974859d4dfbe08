"""Issue 10's promise, command by command: with the default language, every help, error and
prompt the user reads is French, and NEWSLETTER_LANG=en gives the same in English."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.cli.prompts import parse_answer
from tests.conftest import ROOT
from tests.support.workspace import make_workspace

# Words that only an English text would hold (the help's own option names and paths are left out).
ENGLISH = re.compile(r"\b(the|Show|Example|Usage|Options:|Commands:|default|Missing|Error|Warning|file|folder|issue)\b")

# Every command's --help, read in one process started in the language asked for: help texts are
# translated when the commands are defined, so the language must be chosen before the import.
HELP_SCRIPT = """
import json, typer
import pytest
from typer.testing import CliRunner
from newsletter.cli import app
root = typer.main.get_command(app)
names = [[]]
for name, command in root.commands.items():
    sub = getattr(command, "commands", None)
    names.extend([[name, child] for child in sub] if sub else [[name]])
runner = CliRunner()
print(json.dumps({" ".join(n) or "newsletter": runner.invoke(app, [*n, "--help"], prog_name="newsletter").output for n in names}))
"""


def _helps(language: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLETTER_")} | {"NEWSLETTER_LANG": language, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-c", HELP_SCRIPT], env=env, capture_output=True, text=True, timeout=60, check=True)
    helps: dict[str, str] = json.loads(done.stdout)
    return helps


def _prose(help_text: str) -> str:
    """The words of a help page without command lines, option names, paths and placeholders."""
    text = re.sub(r"`[^`]*`|newsletter [a-z][^\n]*|--?[a-z][a-z-]*|\[[^\]]*\]|\S+/\S*|\S+\.(md|toml|csv|xlsx|html|json)", " ", help_text)
    return text


def test_every_help_is_french_by_default_and_english_on_request() -> None:
    french = _helps("fr")
    assert len(french) >= 15
    for name, text in french.items():
        assert text.startswith("Utilisation :"), (name, text[:80])
        assert not ENGLISH.findall(_prose(text)), (name, ENGLISH.findall(_prose(text)), text)
        # Click's own placeholders for an option's type, and strptime formats, are English jargon.
        assert not re.findall(r"\b(?:TEXT|INTEGER|FLOAT)\b|%Y", text), (name, text)
    english = _helps("en")
    assert set(english) == set(french)
    for name, text in english.items():
        assert text.startswith("Usage:"), name
        assert "Utilisation" not in text and "Afficher" not in text, name
    commands = [name for name in french if name != "newsletter" and name != "demo"]
    assert all("Exemple" in french[name] for name in commands), [name for name in commands if "Exemple" not in french[name]]


def test_errors_of_click_and_of_the_tool_are_french(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    runner = CliRunner()
    french = {"NEWSLETTER_LANG": "fr"}
    unknown = runner.invoke(app, ["render", "--nope"], env=french)
    assert unknown.exit_code == 2 and "Option inconnue" in unknown.output and "Essayez" in unknown.output
    missing = runner.invoke(app, ["--config", str(config), "render", str(tmp_path / "absent.md")], env=french)
    assert missing.exit_code == 2
    assert "Erreur :" in missing.output and "introuvable" in missing.output and "not found" not in missing.output
    english = runner.invoke(app, ["--config", str(config), "render", str(tmp_path / "absent.md")], env={"NEWSLETTER_LANG": "en"})
    assert "Error:" in english.output and "not found" in english.output


def test_the_workspace_locale_chooses_the_language_when_the_environment_does_not(tmp_path: Path) -> None:
    config, _issue = make_workspace(tmp_path / "ws")
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^locale = "fr"$', 'locale = "en"', text) if 'locale = "fr"' in text else text.replace("[newsletter]\n", '[newsletter]\nlocale = "en"\n', 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLETTER_")} | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "newsletter.cli", "render", "absent.md"], cwd=config.parent, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "Error:" in done.stderr, done.stderr
    done = subprocess.run([sys.executable, "-m", "newsletter.cli", "render", "absent.md"], cwd=config.parent, env=env | {"NEWSLETTER_LANG": "fr"}, capture_output=True, text=True, timeout=60, check=False)
    assert "Erreur :" in done.stderr, done.stderr


def test_prompts_take_french_and_english_answers() -> None:
    assert [parse_answer(word, default=False) for word in ("o", "Oui", "y", "YES", "n", "non", "No", "")] == [True, True, True, True, False, False, False, False]
    assert parse_answer("peut-être", default=False) is None
    assert parse_answer("", default=True) is True


def test_a_mistyped_since_date_is_answered_in_words_without_a_strptime_format(tmp_path: Path) -> None:
    config, _issue = make_workspace(tmp_path / "ws")
    runner = CliRunner()
    for language, words in (("fr", "n’est pas une date"), ("en", "is not a date")):
        result = runner.invoke(app, ["--config", str(config), "draft", "--since", "8/11/2026"], env={"NEWSLETTER_LANG": language})
        assert result.exit_code == 2, result.output
        assert words in result.output and "2026-11-08" in result.output and "%Y" not in result.output, result.output
        assert "Traceback" not in result.output


def test_the_letters_content_follows_the_workspace_not_the_terminal(example_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An English terminal working on a French letter: the Défi block written into the letter is
    # French (the letter's [newsletter] locale); only the terminal's own lines are English.
    monkeypatch.chdir(example_workspace)
    runner = CliRunner()
    english = {"NEWSLETTER_LANG": "en"}
    config = str(example_workspace / "newsletter.toml")
    assert runner.invoke(app, ["--config", config, "defi", "import", "comptages/defi-moov-idf-2026.csv"], env=english).exit_code == 0
    issue = example_workspace / "issues" / "2026-11.md"
    result = runner.invoke(app, ["--config", config, "defi", "section", str(issue)], env=english)
    assert result.exit_code == 0, result.output
    assert "Wrote the Défi 2026 results" in result.output
    text = issue.read_text(encoding="utf-8")
    assert "Bravo à toutes les classes qui ont participé" in text and "Congratulations" not in text
    report = runner.invoke(app, ["--config", config, "defi", "report"], env=english)
    assert report.exit_code == 0, report.output
    assert '<html lang="fr">' in (example_workspace / "reports" / "defi-moov-idf-2026.html").read_text(encoding="utf-8")
