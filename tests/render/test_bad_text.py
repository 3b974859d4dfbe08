"""Text that must never reach an inbox as written: control characters and line breaks in the
subject, preheader or title, and template syntax the provider would not replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from tests.support.asserts import assert_clean_failure, snapshot_tree
from tests.support.workspace import BODY, FRONT, make_workspace

runner = CliRunner()

SUBJECT = 'subject: "Rues scolaires et vélobus en décembre"'
PREHEADER = "preheader: \"L'actualité de l'écomobilité scolaire en décembre, en quelques minutes\""
TITLE = 'title: "La lettre de Mobiscol — décembre 2026"'

# (what to replace in FRONT, its replacement as written in YAML, the front matter line, the message)
BAD_FRONT = [
    pytest.param(SUBJECT, 'subject: "Lettre\\nBcc: tous@example.org"', 3, "the subject contains a line break; write it on one line", id="subject-newline"),
    pytest.param(SUBJECT, 'subject: "Lettre\\r\\nBcc: tous@example.org"', 3, "the subject contains a line break", id="subject-crlf"),
    pytest.param(PREHEADER, "preheader: \"L'actualité\\v de l'écomobilité scolaire en décembre, en quelques minutes\"", 4, "the preheader contains the invisible character U+000B", id="preheader-vtab"),
    pytest.param(TITLE, 'title: "La lettre\\0 de Mobiscol"', 2, "the title contains the invisible character U+0000", id="title-nul"),
    pytest.param(SUBJECT, 'subject: "Rues scolaires\\uFFFE et vélobus"', 3, "the subject contains the invisible character U+FFFE", id="subject-noncharacter"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), BAD_FRONT)
def test_control_characters_in_front_matter_are_check_errors(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    assert old in FRONT
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT.replace(old, new) + BODY)
    before = snapshot_tree(tmp_path / "ws")
    result = runner.invoke(app, ["--config", str(config), "check", str(issue)])
    assert_clean_failure(result.output, result.exit_code, 1, f"2026-12.md:{line}: {message}", "(header-chars)", "Fix the errors above before sending")
    assert "unexpected internal error" not in result.output
    assert "does not compile" not in result.output  # not blamed on the template
    assert snapshot_tree(tmp_path / "ws") == before


@pytest.mark.parametrize("syntax", ['[[data:firstname:""]]', "[[var:ville]]", "[[data:prenom]]"])
def test_mailjet_template_syntax_in_text_is_a_leftover(tmp_path: Path, syntax: str) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + BODY.replace("Bonjour à toutes et à tous.", f"Bonjour {syntax}, à toutes et à tous."))
    result = runner.invoke(app, ["--config", str(config), "check", str(issue), "--provider", "mailjet"])
    assert_clean_failure(result.output, result.exit_code, 1, f"leftover template syntax '{syntax}' in the HTML", f"'{syntax}' in the text part", "(template-syntax)")

