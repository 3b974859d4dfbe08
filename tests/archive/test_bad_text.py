"""`archive --all` with issue files it cannot publish (a control character in the title, a folder, a dead link): those are left out, the rest is published."""

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


def test_archive_all_skips_a_folder_or_a_dead_link_named_like_an_issue(ws: Path, cli: Cli) -> None:
    (ws / "issues" / "2026-10.md").mkdir()
    (ws / "issues" / "2026-09.md").symlink_to("2026-09.md")  # a link to itself: nothing can read it
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "2026-10.md: it cannot be read" in result.output and "is a folder, not an issue file" in result.output
    assert "2026-09.md: it cannot be read" in result.output
    assert (ws / "site" / "2026-11.html").is_file() and (ws / "site" / "2026-12.html").is_file()
