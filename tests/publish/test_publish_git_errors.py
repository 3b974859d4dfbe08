"""Git targets when git cannot push: the command line that never prompts, a push a hook refuses, an SSH host refused."""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from newsletter.publish.git import git_environment, ssh_command
from tests.publish.conftest import Cli, set_target, tree


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_the_git_command_line_never_prompts() -> None:
    env = git_environment({"PATH": "/usr/bin", "GIT_TERMINAL_PROMPT": "1"}, 2.6)
    assert env["GIT_SSH_COMMAND"] == ssh_command(2.6) == "ssh -o BatchMode=yes -o ConnectTimeout=3"
    assert env["GIT_TERMINAL_PROMPT"] == "0" and env["LC_ALL"] == "C" and env["PATH"] == "/usr/bin"
    assert "ConnectTimeout=1" in ssh_command(0.2)  # ssh takes whole seconds, at least 1


@pytest.fixture
def no_temp_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The publish's temporary checkout goes here, to check that a failure leaves none behind."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_a_push_a_hook_refuses_changes_nothing_then_the_next_publish_succeeds(
    ws: Path, site: Path, cli: Cli, tmp_path: Path, no_temp_left: Path
) -> None:
    repo = tmp_path / "site.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    set_target(ws, f"git+file://{repo}#pages")
    assert cli("publish").exit_code == 0
    head = git("rev-parse", "pages", cwd=repo)
    manifest = (ws / "state" / "publish.json").read_bytes()

    hook = repo / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen until Monday' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    (site / "index.html").write_text((site / "index.html").read_text(encoding="utf-8") + "<!-- new -->", encoding="utf-8")
    before = tree(ws)
    refused = cli("publish")
    assert refused.exit_code == 1, refused.output
    assert f"the repository git+file://{repo}#pages refused the push; nothing was changed on the target" in refused.output
    assert "remote: pushes are frozen until Monday" in refused.output
    assert "gave its reason" in refused.output and "Traceback" not in refused.output
    assert git("rev-parse", "pages", cwd=repo) == head
    assert (ws / "state" / "publish.json").read_bytes() == manifest and tree(ws) == before
    assert list(no_temp_left.iterdir()) == []

    hook.unlink()
    again = cli("publish")
    assert again.exit_code == 0, again.output
    assert "1 file sent" in again.stdout
    assert git("show", "pages:index.html", cwd=repo).endswith("<!-- new -->")
    assert list(no_temp_left.iterdir()) == []


def test_git_over_ssh_runs_ssh_without_prompts_and_words_a_refused_host_key(
    ws: Path, site: Path, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for ssh on the PATH: it records how git called it and answers as ssh does when
    # the host key is unknown in BatchMode. No SSH server, no network.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "ssh-calls"
    fake = bin_dir / "ssh"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\necho "Host key verification failed." >&2\nexit 255\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    set_target(ws, "git+ssh://git@127.0.0.1:2222/lettre/site.git#pages")
    before = tree(ws)
    result = cli("publish")
    assert result.exit_code == 1, result.output
    call = calls.read_text(encoding="utf-8")
    assert "-o BatchMode=yes -o ConnectTimeout=1" in call and "-p 2222" in call and "git@127.0.0.1" in call
    assert "the SSH host key of 127.0.0.1 is unknown or changed, so git refused to connect; nothing was sent" in result.output
    assert "connect once with `ssh -p 2222 git@127.0.0.1` in a terminal" in result.output
    assert "Traceback" not in result.output and tree(ws) == before
