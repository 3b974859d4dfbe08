"""`archive --all` with an issue whose title holds a control character: that issue is left out, the rest is published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from .conftest import DECEMBER

Cli = Callable[..., Result]


def test_archive_all_skips_an_issue_with_a_control_character(ws: Path, cli: Cli) -> None:
    title = 'title: "La lettre de Mobiscol — décembre 2026"'
    assert title in DECEMBER
    (ws / "issues" / "2026-12.md").write_text(DECEMBER.replace(title, 'title: "La lettre\\v de Mobiscol"'), encoding="utf-8")
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "unexpected internal error" not in result.output
    assert "skipped" in result.output and "2026-12.md" in result.output
    assert "the title contains the invisible character U+000B" in result.output
    assert (ws / "site" / "2026-11.html").is_file()
    assert not (ws / "site" / "2026-12.html").exists()
