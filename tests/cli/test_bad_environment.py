"""What the user's environment can get wrong: an API key pasted with a non-ASCII character, a
newsletter.toml saved with a byte order mark (Windows Notepad)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from tests.send.conftest import make_workspace as make_send_workspace
from tests.support.asserts import assert_clean_failure, snapshot_tree
from tests.support.workspace import make_workspace

runner = CliRunner()


@pytest.mark.parametrize(
    ("provider", "env", "variable"),
    [
        ("brevo", {"BREVO_API_KEY": "xkeysib-clé-0123"}, "BREVO_API_KEY"),
        ("mailjet", {"MJ_APIKEY_PUBLIC": "public0123", "MJ_APIKEY_PRIVATE": "privé€0123"}, "MJ_APIKEY_PRIVATE"),
    ],
)
def test_a_non_ascii_api_key_is_a_config_error(tmp_path: Path, provider: str, env: dict[str, str], variable: str) -> None:
    ws = make_send_workspace(tmp_path / "ws", provider=provider)  # nothing listens there: no call is made
    before = snapshot_tree(ws.root)
    result = runner.invoke(app, ["--config", str(ws.root / "newsletter.toml"), "send", str(ws.issue), "--test"], env=env)
    assert_clean_failure(
        result.output, result.exit_code, 2,
        f"the API key in {variable} contains a non-ASCII character", f"set {variable} again",
    )
    assert "unexpected internal error" not in result.output
    for value in env.values():
        assert value not in result.output
    assert snapshot_tree(ws.root) == before


def test_a_config_saved_with_a_bom_is_read(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())
    result = runner.invoke(app, ["--config", str(config), "check", str(issue)])
    assert result.exit_code == 0, result.output
    assert "all checks passed" in result.output
