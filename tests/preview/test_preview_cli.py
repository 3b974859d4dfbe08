"""`newsletter preview` from the command line: the address printed, --open, Ctrl-C, a missing file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.cli import render as cli_render
from tests.support.workspace import make_workspace

runner = CliRunner()


def test_preview_serves_until_ctrl_c(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    opened: list[str] = []
    answers: list[int] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)

    def interrupt() -> None:
        # The server is up while we wait: fetch the page, then press Ctrl-C.
        answers.append(httpx.get(opened[0], timeout=5).status_code)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_render, "wait_for_interrupt", interrupt)
    result = runner.invoke(app, ["--config", str(config), "preview", str(issue), "--port", "0", "--open"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:" in result.output
    assert "Preview stopped." in result.output
    assert "Traceback" not in result.output
    assert opened and opened[0].startswith("http://127.0.0.1:")
    assert answers == [200]
    with pytest.raises(httpx.ConnectError):  # stopped for good
        httpx.get(opened[0], timeout=1)


def test_preview_of_a_missing_issue_fails_cleanly(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["--config", str(config), "preview", str(issue.with_name("2099-01.md")), "--port", "0", "--no-open"])
    assert result.exit_code == 2, result.output
    assert "issue file not found" in result.output
    assert "Traceback" not in result.output


def test_a_render_failure_is_printed_once_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A YAML value shown in the message has brackets: they must reach the terminal as written.
    config, issue = make_workspace(tmp_path / "ws")
    issue.write_text(issue.read_text(encoding="utf-8").replace("number: 37", "number: [x]"), encoding="utf-8")

    def interrupt() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_render, "wait_for_interrupt", interrupt)
    result = runner.invoke(app, ["--config", str(config), "preview", str(issue), "--port", "0", "--no-open"])
    assert result.exit_code == 0, result.output
    assert "Warning: render failed:" in result.output
    assert "['x']" in result.output and "\\[" not in result.output
