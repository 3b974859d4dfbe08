"""Global behaviour of the CLI: version, help, init, demo, config precedence, README drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from newsletter import __version__
from newsletter.choices import Provider
from newsletter.cli import app
from newsletter.config import load_settings
from tests.conftest import ROOT
from tests.support.workspace import make_workspace

runner = CliRunner()


def command_names() -> list[str]:
    """Every command of the app, with sub-apps as 'group command'."""
    click_app = typer.main.get_command(app)
    names: list[str] = []
    for name, command in click_app.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names.extend(f"{name} {child}" for child in sub)
        else:
            names.append(name)
    return sorted(names)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"newsletter {__version__}"


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = command_names()
    assert {"render", "check", "preview", "init", "demo"} <= set(names)
    for name in names:
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output
        assert "Example" in result.output, f"`newsletter {name} --help` shows no example"
        assert f"newsletter {name}" in readme, f"`newsletter {name}` is not in the README"


def test_init_creates_a_workspace_that_renders_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "ma-lettre"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "newsletter.toml").exists() and (target / "issues").is_dir()
    settings = load_settings(target / "newsletter.toml", environ={})
    assert settings.provider == Provider.outbox
    config_before = (target / "newsletter.toml").read_bytes()
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2
    assert "already exists; nothing was changed" in again.output
    assert "Traceback" not in again.output
    assert (target / "newsletter.toml").read_bytes() == config_before


def test_provider_precedence_flag_over_env_over_file(tmp_path: Path) -> None:
    config, _ = make_workspace(tmp_path / "ws")  # file says brevo
    assert load_settings(config, environ={}).provider == Provider.brevo
    assert load_settings(config, environ={"NEWSLETTER_PROVIDER": "mailjet"}).provider == Provider.mailjet
    assert load_settings(config, provider=Provider.outbox, environ={"NEWSLETTER_PROVIDER": "mailjet"}).provider == Provider.outbox


def test_config_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("NEWSLETTER_CONFIG", str(config))
    result = runner.invoke(app, ["render", str(issue)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ws" / "build" / "2026-12.html").exists()


def test_bad_provider_in_environment_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("NEWSLETTER_PROVIDER", "sendgrid")
    result = runner.invoke(app, ["--config", str(config), "render", str(issue)])
    assert result.exit_code == 2
    assert "sendgrid" in result.output and "Traceback" not in result.output


def test_demo_runs_the_whole_job_offline(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = runner.invoke(app, ["demo", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "build" / "2026-11.html").exists()
    assert f"Everything is in {target}" in result.output
    html = (target / "build" / "2026-11.html").read_text(encoding="utf-8")
    assert re.search(r"<!doctype html>", html, re.IGNORECASE)


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("à garder", encoding="utf-8")
    result = runner.invoke(app, ["demo", str(target)])
    assert result.exit_code == 2
    assert "is not empty" in result.output
    assert (target / "notes.txt").read_text(encoding="utf-8") == "à garder"
