"""Issue files that are hostile or not files at all: refused with a short, plain message."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from tests.conftest import ROOT
from tests.support.asserts import assert_clean_failure, snapshot_tree
from tests.support.workspace import BODY, make_workspace

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines)


def test_yaml_alias_bomb_is_refused_with_a_short_message(tmp_path: Path) -> None:
    bomb = _laughs(6) + "\nsubject: *a5\ndate: 2026-12-08\n"  # ~400 bytes; 9**6 strings once expanded
    config, issue = make_workspace(tmp_path / "ws", issue=f"---\n{bomb}---\n{BODY}")
    before = snapshot_tree(tmp_path / "ws")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "2026-12.md:", "more than 10 YAML aliases", "write each value out in full")
    assert len(output) < 2000, output[:2000]
    assert snapshot_tree(tmp_path / "ws") == before


def test_a_bad_value_is_quoted_short(tmp_path: Path) -> None:
    # Aliases under the limit (or none) still build values far too long to quote whole.
    front = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + f"subject: [{','.join(['*a0'] * 9)}]\ndate: 2026-12-08\n"
    config, issue = make_workspace(tmp_path / "ws", issue=f"---\n{front}---\n{BODY}")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "front matter key 'subject' = [['lol'", "expected the email's subject line, as text between double quotes")
    quoted = output.split("key 'subject' = ", 1)[1].split(": expected", 1)[0]
    assert len(quoted) <= 60, quoted


def _render_in_a_process(config: Path, target: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a real process, with 1 GB of address space: reading /dev/zero must not eat the machine."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLETTER_")} | {"PYTHONPATH": str(ROOT), "NEWSLETTER_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "newsletter.cli", "--config", str(config), "render", target],
        capture_output=True, text=True, timeout=20, env=env, preexec_fn=limit_memory, check=False,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_render_dev_zero_is_refused(tmp_path: Path) -> None:
    config, _ = make_workspace(tmp_path / "ws")
    before = snapshot_tree(tmp_path / "ws")
    done = _render_in_a_process(config, "/dev/zero")
    assert_clean_failure(done.stderr, done.returncode, 2, "/dev/zero is not a regular file", "give the path of an issue's .md file")
    assert snapshot_tree(tmp_path / "ws") == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_render_a_fifo_is_refused_instead_of_waiting(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    fifo = issue.with_name("2027-01.md")
    os.mkfifo(fifo)
    try:
        done = _render_in_a_process(config, str(fifo))
    except subprocess.TimeoutExpired:
        pytest.fail("render waited on the pipe")
    assert_clean_failure(done.stderr, done.returncode, 2, "2027-01.md is not a regular file")
    assert not (tmp_path / "ws" / "build").exists()
