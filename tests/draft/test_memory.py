"""The draft memory (state/drafts.json): read through its model, corrupt files rebuilt with a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsletter.draft.memory import MonthMemory, extend_month, load_draft_memory, save_draft_memory

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def test_round_trip_and_extra_keys_ignored(tmp_path: Path) -> None:
    path = tmp_path / "drafts.json"
    memory = {"2026-11": MonthMemory(("https://ex.org/a",), "2026-11-02T10:00:00+00:00")}
    assert extend_month(memory, "2026-12", ["https://ex.org/b", "https://ex.org/b/?utm_source=x"], now=NOW)
    save_draft_memory(path, memory)
    path.write_text(path.read_text(encoding="utf-8").replace('"updated_at"', '"note": 1, "updated_at"', 1), encoding="utf-8")
    warnings: list[str] = []
    assert load_draft_memory(path, warnings) == memory and warnings == []
    assert memory["2026-12"].proposed == ("https://ex.org/b",)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not JSON: key must be a string at line 1 column 2"),
        ('{"2026-12": {"updated_at": ""}}', "2026-12.proposed is missing; this key is required"),
        ('{"2026-12": {"proposed": "https://ex.org"}}', "2026-12.proposed = 'https://ex.org': expected a list"),
        ("[]", "not an object of the expected form"),
    ],
)
def test_corrupt_file_gives_a_warning_in_words(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "drafts.json"
    path.write_text(content, encoding="utf-8")
    warnings: list[str] = []
    assert load_draft_memory(path, warnings) == {}
    assert warnings == [f"the draft memory {path} is corrupt ({reason}); it is rebuilt, so deleted items may come back once"]


def test_absent_file_is_empty(tmp_path: Path) -> None:
    warnings: list[str] = []
    assert load_draft_memory(tmp_path / "drafts.json", warnings) == {} and warnings == []
