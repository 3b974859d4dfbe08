"""Shared fixtures: a clean environment, a temporary working folder, golden files, workspaces."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The suite asserts the English source texts; tests of the French catalog ask for French. Set
# before newsletter.cli is imported: help texts are translated when the commands are defined.
os.environ["NEWSLETTER_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current output")
    parser.addoption("--online", action="store_true", help="run tests that need the real network")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--online"):
        return
    skip = pytest.mark.skip(reason="needs the network: run with --online")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No NEWSLETTER_* or API key from the developer's shell; run inside tmp_path.

    The user cache (feed cache, Jinja bytecode) goes to tmp_path too, never to the real
    ~/.cache/newsletter: a test must neither read a developer's cache nor leave files in it.
    """
    for name in list(os.environ):
        if name.startswith("NEWSLETTER_") or name in {"BREVO_API_KEY", "MJ_APIKEY_PUBLIC", "MJ_APIKEY_PRIVATE"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSLETTER_LANG", "en")
    from newsletter.cli.language import choose_language

    choose_language([], {"NEWSLETTER_LANG": "en"}, tmp_path)
    monkeypatch.setenv("TZ", "Europe/Paris")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".user-cache"))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def example_workspace(tmp_path: Path) -> Path:
    """A copy of the bundled example workspace (examples/) in tmp_path/ws."""
    target = tmp_path / "ws"
    shutil.copytree(EXAMPLES, target)
    return target

