"""Fixtures of the render tests."""

from __future__ import annotations

import pytest

from tests.support.mjml_node import mjml_cli


@pytest.fixture
def official_mjml() -> str:
    """The official MJML CLI, or the test is skipped with the reason (`pytest -ra` shows it)."""
    found = mjml_cli()
    if found is None:
        pytest.skip("the official MJML compiler is not installed (needs Node.js; run `make mjml-validator`)")
    return found
