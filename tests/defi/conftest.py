"""The Défi tests read the English messages: the language is set for each test, whatever the default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsletter import i18n


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEWSLETTER_LANG", "en")
    previous = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


@pytest.fixture
def example_workspace(example_workspace: Path) -> Path:
    """The example workspace with `locale = "en"`: the Défi block and report follow the workspace's
    language (tests/cli/test_french_publish_defi_report.py covers the French letter)."""
    config = example_workspace / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('locale = "fr"', 'locale = "en"', 1), encoding="utf-8")
    return example_workspace
