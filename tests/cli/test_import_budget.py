"""`newsletter --help` and `newsletter render` import only what they use.

Each runs in a fresh interpreter under `python -X importtime`, whose report lists every module
imported; a module a path does not need costs start-up time on every run (pydantic ~100 ms,
rich's Console ~30 ms, Babel's locale data ~15 ms).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NOT_FOR_HELP = ["pydantic", "httpx", "jinja2", "mjml", "markdown_it", "babel", "feedparser", "css_inline", "yaml", "rich.console", "rich.markup", "platformdirs"]
NOT_FOR_RENDER = ["pydantic", "httpx", "feedparser", "babel", "yaml", "rich.console", "rich.markup", "platformdirs", "newsletter.linkcheck", "newsletter.sources"]


def imported_modules(*args: str, cwd: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "newsletter.cli", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:") and "|" in line}


def loaded(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


def test_help_imports_no_heavy_module(tmp_path: Path) -> None:
    modules = imported_modules("--help", cwd=tmp_path)
    assert "typer" in modules and "newsletter.cli.render" in modules  # the report was read
    offenders = {name: loaded(modules, name) for name in NOT_FOR_HELP if loaded(modules, name)}
    assert not offenders, offenders


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "ws")
    return tmp_path / "ws"


def test_render_imports_only_what_it_uses(workspace: Path) -> None:
    modules = imported_modules("-q", "render", "issues/2026-11.md", cwd=workspace)
    assert (workspace / "build" / "2026-11.html").exists()
    assert {"jinja2", "mjml", "css_inline", "markdown_it"} <= modules  # the report was read
    offenders = {name: loaded(modules, name) for name in NOT_FOR_RENDER if loaded(modules, name)}
    assert not offenders, offenders


def test_no_command_has_its_annotations_as_strings() -> None:
    """Typer compiles a string annotation twice per run (`from __future__ import annotations` in a
    module of commands cost every command about 25 ms, `--help` included)."""
    from newsletter.cli import app

    callbacks = [command.callback for command in app.registered_commands]
    for group in app.registered_groups:
        sub = group.typer_instance
        assert sub is not None
        callbacks += [command.callback for command in sub.registered_commands]
        if sub.registered_callback is not None:
            callbacks.append(sub.registered_callback.callback)
    if app.registered_callback is not None:
        callbacks.append(app.registered_callback.callback)
    assert len(callbacks) > 15
    stringly = [f"{callback.__module__}.{callback.__name__}" for callback in callbacks if callback and any(isinstance(a, str) for a in callback.__annotations__.values())]
    assert stringly == []
