"""Fixtures of the draft tests: the local feed and actor-map server (as for tests/sources)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.feeds import FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv
