"""`newsletter preview` against hostile requests: another site's name in Host (DNS rebinding),
image names no file can have, and a port number out of range."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from newsletter.cli import render as cli_render
from tests.support.asserts import assert_clean_failure, snapshot_tree
from tests.support.workspace import make_workspace

runner = CliRunner()


def preview_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, requests: list[tuple[str, dict[str, str]]]) -> tuple[list[httpx.Response], str]:
    """Run `preview` from the CLI, send `requests` (path, headers) while it serves, then press Ctrl-C."""
    config, issue = make_workspace(tmp_path / "ws")
    (tmp_path / "ws" / "images").mkdir()
    (tmp_path / "ws" / "images" / "rue.png").write_bytes(b"\x89PNG\r\n\x1a\n-fake-")
    opened: list[str] = []
    answers: list[httpx.Response] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)

    def interrupt() -> None:
        base = opened[0].rstrip("/")
        answers.extend(httpx.get(base + path, headers=headers, timeout=5) for path, headers in requests)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_render, "wait_for_interrupt", interrupt)
    result = runner.invoke(app, ["--config", str(config), "preview", str(issue), "--port", "0", "--open"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "Exception occurred during processing of request" not in result.output
    return answers, result.output


@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8025", "127.0.0.1.nip.io", ""])
def test_requests_naming_another_host_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    paths = ["/", "/email.html", "/email.txt", "/panel", "/images/rue.png"]
    welcome = [("/email.txt", {}), ("/email.txt", {"Host": "localhost"}), ("/images/rue.png", {"Host": "LOCALHOST:8025"})]
    answers, _ = preview_answers(tmp_path, monkeypatch, [(path, {"Host": host}) for path in paths] + welcome)
    for path, answer in zip(paths, answers, strict=False):
        assert answer.status_code == 403, (path, answer.text)
        assert "this preview only answers at http://127.0.0.1:" in answer.text
        assert "scolaire" not in answer.text
    # The bound address (httpx sends it as Host) and localhost, with or without the port, are answered.
    assert [a.status_code for a in answers[len(paths):]] == [200, 200, 200]
    assert "scolaire" in answers[len(paths)].text


@pytest.mark.parametrize("name", ["%00", "rue.png%00.txt", "a" * 300, "a/" * 600 + "b"], ids=["nul", "nul-inside", "long-part", "long-path"])
def test_impossible_image_names_are_a_400(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    answers, _ = preview_answers(tmp_path, monkeypatch, [(f"/images/{name}", {}), ("/images/rue.png", {})])
    assert answers[0].status_code == 400, answers[0].text
    assert answers[0].text == "bad request: not an image name"
    assert answers[1].status_code == 200  # the server is still up


def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    before = snapshot_tree(tmp_path / "ws")
    result = runner.invoke(app, ["--config", str(config), "preview", str(issue), "--port", "99999", "--no-open"])
    assert_clean_failure(result.output, result.exit_code, 2, "--port 99999 is not a port number: give 0 to 65535")
    assert "unexpected internal error" not in result.output
    assert snapshot_tree(tmp_path / "ws") == before
