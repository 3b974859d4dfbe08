"""The MJML our theme writes passes the official MJML validator at strict level (npm package `mjml`).

mjml-python (MRML) compiles anything and validates nothing (reference/email.md §2), so this
test is the guard. CI installs the validator with `make mjml-validator`; without Node the test
is skipped with the reason shown by `pytest -ra`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from newsletter.config import load_settings
from newsletter.render.pipeline import render_issue_file
from tests.conftest import EXAMPLES
from tests.support.workspace import make_workspace


@pytest.fixture
def validator(official_mjml: str) -> str:
    return official_mjml


def validate(cli: str, mjml: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "issue.mjml"
    source.write_text(mjml, encoding="utf-8")
    return subprocess.run(
        [cli, "--config.validationLevel=strict", "-s", str(source)],
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_example_issue_mjml_is_valid_at_strict_level(validator: str, tmp_path: Path) -> None:
    settings = load_settings(EXAMPLES / "newsletter.toml", environ={})
    result = render_issue_file(settings, EXAMPLES / "issues" / "2026-11.md")
    done = validate(validator, result.mjml, tmp_path)
    assert done.returncode == 0, done.stderr


def test_small_issue_mjml_is_valid_at_strict_level(validator: str, tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    result = render_issue_file(load_settings(config, environ={}), issue)
    done = validate(validator, result.mjml, tmp_path)
    assert done.returncode == 0, done.stderr


def test_validator_catches_an_illegal_attribute(validator: str, tmp_path: Path) -> None:
    bad = '<mjml><mj-body><mj-section><mj-column><mj-text border-radius="4px">x</mj-text></mj-column></mj-section></mj-body></mjml>'
    done = validate(validator, bad, tmp_path)
    assert done.returncode != 0
    assert "border-radius" in done.stderr + done.stdout
