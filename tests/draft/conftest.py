"""Fixtures of the draft tests: the local feed and actor-map server (as for tests/sources)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.feeds import PREVIOUS_ISSUE, FeedServer, serve_realistic, write_workspace


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def workspace(server: FeedServer, tmp_path: Path) -> Path:
    """The realistic feeds and map served locally, a workspace reading them, November's issue."""
    serve_realistic(server)
    config = write_workspace(tmp_path, server.url)
    (tmp_path / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
    return config
