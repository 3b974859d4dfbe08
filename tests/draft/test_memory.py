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


def test_window_after_a_draft_starts_at_each_sources_fetch(tmp_path: Path) -> None:
    from newsletter.draft.memory import record_fetch, window_after

    memory: dict[str, MonthMemory] = {}
    started = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    first = dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)
    record_fetch(memory, "2026-12", fetched_at=first, window_start=started, sources=["A", "B"])
    record_fetch(memory, "2026-12", fetched_at=NOW, window_start=started, sources=["A"])  # B failed on 1 December
    save_draft_memory(tmp_path / "drafts.json", memory)
    memory = load_draft_memory(tmp_path / "drafts.json", [])
    window = window_after(memory, "2026-12", not_after=None)
    assert window is not None
    assert window.since("A") == NOW and window.since("B") == first and window.since("C") == started  # C: a feed added since
    assert window.start(["A", "B"]) == first
    capped = window_after(memory, "2026-12", not_after=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert capped is not None and capped.since("A") == dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def test_window_after_an_old_memory_uses_its_updated_at(tmp_path: Path) -> None:
    from newsletter.draft.memory import window_after

    path = tmp_path / "drafts.json"
    path.write_text('{"2026-12": {"proposed": [], "updated_at": "2026-11-25T14:02:00+01:00"}}', encoding="utf-8")
    window = window_after(load_draft_memory(path, []), "2026-12", not_after=None)
    assert window is not None and window.since("A").isoformat() == "2026-11-25T14:02:00+01:00"
