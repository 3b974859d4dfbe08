"""The Défi tests read the English messages: the language is set for each test, whatever the default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsletter import i18n


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEWSLETTER_LANG", "en")
    previous = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)
