"""`send --dry-run` with a [publish] target: what would go online, from the manifest, with nothing written or sent."""

from __future__ import annotations

from pathlib import Path

from tests.publish.conftest import Cli, set_target, tree


def test_send_dry_run_says_only_what_the_target_lacks(ws: Path, cli: Cli, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    set_target(ws, f"file://{www}/")
    issue = str(ws / "issues" / "2026-11.md")

    first = cli("send", issue, "--now", "--dry-run")
    assert first.exit_code == 0, first.output
    assert f"Dry run: would publish to file://{www}/: images/" in first.output and "2026-11.html (files of the issue already there: 0)" in first.output
    assert tree(www) == {} and not (ws / "site").exists() and not (ws / "state" / "publish.json").exists()

    assert cli("archive", "--all", "--publish").exit_code == 0
    online, before = tree(www), tree(ws)
    same = cli("send", issue, "--now", "--dry-run")
    assert same.exit_code == 0, same.output
    assert f"Dry run: the issue's images and web page are already on file://{www}/: nothing to publish" in same.output
    assert "would publish" not in same.output

    # A changed image and its page: only those two, named.
    (ws / "images" / "velobus.png").write_bytes((ws / "images" / "velobus.png").read_bytes() + b"\0")
    changed = cli("send", issue, "--now", "--dry-run")
    assert changed.exit_code == 0, changed.output
    assert f"Dry run: would publish to file://{www}/: images/velobus.png (files of the issue already there: 4)" in changed.output
    assert tree(www) == online
    assert {k: v for k, v in tree(ws).items() if k != "images/velobus.png"} == {k: v for k, v in before.items() if k != "images/velobus.png"}
