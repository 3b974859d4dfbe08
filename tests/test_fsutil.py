"""Files the tool rewrites (here `render`'s build outputs) keep their permissions, are written
through a symlink to its target, and a folder in the way is named with what to do."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from tests.support.asserts import assert_clean_failure
from tests.support.workspace import make_workspace

runner = CliRunner()


def render(config: Path, issue: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["--config", str(config), "render", str(issue)])
    return result.exit_code, result.output


def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    build = tmp_path / "ws" / "build"
    build.mkdir()
    for name, mode in (("2026-12.html", 0o640), ("2026-12.txt", 0o600), ("2026-12.mjml", 0o664)):
        (build / name).write_text("old", encoding="utf-8")
        os.chmod(build / name, mode)
    code, output = render(config, issue)
    assert code == 0, output
    assert {p.name: p.stat().st_mode & 0o777 for p in build.iterdir()} == {"2026-12.html": 0o640, "2026-12.txt": 0o600, "2026-12.mjml": 0o664}
    assert (build / "2026-12.txt").read_text(encoding="utf-8") != "old"


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "lettre.txt").write_text("old", encoding="utf-8")
    os.chmod(shared / "lettre.txt", 0o640)
    build = tmp_path / "ws" / "build"
    build.mkdir()
    link = build / "2026-12.txt"
    link.symlink_to(shared / "lettre.txt")
    code, output = render(config, issue)
    assert code == 0, output
    assert link.is_symlink() and Path(os.readlink(link)) == shared / "lettre.txt"
    text = (shared / "lettre.txt").read_text(encoding="utf-8")
    assert "Une rue scolaire à Lyon" in text
    assert (shared / "lettre.txt").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in shared.iterdir()) == ["lettre.txt"]  # no temporary file left


def test_a_folder_where_a_file_goes_is_named_with_what_to_do(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    folder = tmp_path / "ws" / "build" / "2026-12.html"
    folder.mkdir(parents=True)
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    code, output = render(config, issue)
    assert_clean_failure(output, code, 1, "2026-12.html: it is a folder", "move or rename the folder")
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "mine"
