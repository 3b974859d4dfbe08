"""Asserts shared by the bad-input tests: a clean failure, and files left as they were."""

from __future__ import annotations

from pathlib import Path


def assert_clean_failure(output: str, code: int, expected_code: int, *fragments: str) -> None:
    """The command failed with `expected_code`, no traceback, and every fragment in its output."""
    assert code == expected_code, output
    assert "Traceback" not in output, output
    for fragment in fragments:
        assert fragment in output, output


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to assert that nothing changed.

    The workspace lock's own files (state/.newsletter.lock*) are left out: taking the lock is
    not a change to the workspace.
    """
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".newsletter.lock")
    }
