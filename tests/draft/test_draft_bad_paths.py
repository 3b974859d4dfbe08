"""`newsletter draft` when the files around it are not what it expects: a month that does not
exist, a folder or a link to nothing where a draft or the previous issue should be, and a
draft saved with Windows line endings or through a symlink."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from tests.support.asserts import assert_clean_failure, snapshot_tree
from tests.support.feeds import (
    FeedServer,
    Route,
    asset,
)

DRAFT = ["draft", "--month", "2026-12", "--today", "2026-12-01"]


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.output


def test_month_zero_is_a_usage_error(workspace: Path) -> None:
    before = snapshot_tree(workspace.parent)
    code, output = run(workspace, "draft", "--month", "0000-01")
    assert_clean_failure(output, code, 2, "--month '0000-01' is not a month", "write it as YYYY-MM, e.g. --month 2026-12")
    assert snapshot_tree(workspace.parent) == before


@pytest.mark.parametrize("kind", ["folder", "link-loop"])
def test_something_else_where_the_draft_goes_is_named(workspace: Path, server: FeedServer, kind: str) -> None:
    draft = workspace.parent / "issues" / "2026-12.md"
    if kind == "folder":
        draft.mkdir()
        (draft / "notes.txt").write_text("mes notes", encoding="utf-8")
    else:
        draft.symlink_to(draft.name)  # a link to itself: nothing can read it
    before = snapshot_tree(workspace.parent)
    code, output = run(workspace, *DRAFT)
    assert_clean_failure(output, code, 2, "2026-12.md is not a file", "move or rename", "then run draft again")
    assert "unexpected internal error" not in output
    assert snapshot_tree(workspace.parent) == before
    assert kind == "folder" or draft.is_symlink()
    assert server.requests == []  # refused before fetching anything


@pytest.mark.parametrize("kind", ["folder", "link-loop"])
def test_an_unreadable_previous_issue_is_a_warning(workspace: Path, kind: str) -> None:
    previous = workspace.parent / "issues" / "2026-11.md"
    previous.unlink()
    if kind == "folder":
        previous.mkdir()
    else:
        previous.symlink_to(previous.name)
    code, output = run(workspace, *DRAFT)
    assert code == 0, output
    assert "Traceback" not in output and "unexpected internal error" not in output
    assert "cannot read the previous issue 2026-11.md" in output
    assert "move it out of issues/ or fix it, or give --since" in output
    assert (workspace.parent / "issues" / "2026-12.md").is_file()


def _new_feed_item(server: FeedServer) -> None:
    body = asset("territoires-cyclables-media.xml").replace(
        b"<item>", b"<item><title>Nouveau pedibus</title><link>https://territoires-cyclables.example.org/nouveau-pedibus</link><pubDate>Mon, 30 Nov 2026 07:45:00 +0100</pubDate><description>Un pedibus de plus.</description></item><item>", 1
    )
    server.add("/media.xml", Route(body))


def test_a_merge_into_a_crlf_draft_keeps_crlf(workspace: Path, server: FeedServer) -> None:
    assert run(workspace, *DRAFT)[0] == 0
    draft = workspace.parent / "issues" / "2026-12.md"
    edited = draft.read_bytes().replace(b"\n", b"\r\n")  # saved by a Windows editor
    draft.write_bytes(edited)
    _new_feed_item(server)
    code, output = run(workspace, *DRAFT)
    assert code == 0, output
    merged = draft.read_bytes()
    assert merged.startswith(edited) and b"nouveau-pedibus" in merged[len(edited):]
    assert merged.count(b"\n") == merged.count(b"\r\n"), "a line ends with LF alone"


def test_a_merge_through_a_symlink_keeps_the_link_and_the_mode(workspace: Path, server: FeedServer) -> None:
    assert run(workspace, *DRAFT)[0] == 0
    draft = workspace.parent / "issues" / "2026-12.md"
    synced = workspace.parent / "synced" / "lettre-decembre.md"
    synced.parent.mkdir()
    draft.rename(synced)
    os.chmod(synced, 0o600)
    draft.symlink_to(synced)
    before = synced.read_bytes()
    _new_feed_item(server)
    code, output = run(workspace, *DRAFT)
    assert code == 0, output
    assert draft.is_symlink() and draft.resolve() == synced
    merged = synced.read_bytes()
    assert merged.startswith(before) and b"nouveau-pedibus" in merged[len(before):]
    assert synced.stat().st_mode & 0o777 == 0o600
