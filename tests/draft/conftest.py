"""Fixtures of the draft tests: the local feed and actor-map server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


