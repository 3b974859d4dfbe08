"""The report tests read English: the report follows the workspace's `[newsletter] locale`."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def example_workspace(example_workspace: Path) -> Path:
    config = example_workspace / "newsletter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('locale = "fr"', 'locale = "en"', 1), encoding="utf-8")
    return example_workspace
