"""Issue 10 §4, "small things that confuse": each one through the CLI, on real files and local servers."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app


def invoke(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "250", "NEWSLETTER_LANG": "en"})


def out(result: object) -> str:
    return result.output  # type: ignore[attr-defined,no-any-return]


def code(result: object) -> int:
    return result.exit_code  # type: ignore[attr-defined,no-any-return]


def test_draft_without_any_source_says_so_and_how_to_add_one(tmp_path: Path) -> None:
    assert code(invoke("init", str(tmp_path / "ws"))) == 0
    result = invoke("--config", str(tmp_path / "ws" / "newsletter.toml"), "draft", "--month", "2026-12", "--today", "2026-12-01")
    assert code(result) == 0, out(result)
    assert "no source is configured" in out(result)
    assert "[[feeds]]" in out(result) and "[actor_map]" in out(result)
    assert (tmp_path / "ws" / "issues" / "2026-12.md").is_file()
