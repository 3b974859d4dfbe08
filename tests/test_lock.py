"""The workspace lock: one send, draft or archive at a time, released when its process dies.

Real processes: a command holding the lock is a separate Python process, and the race is two
`newsletter send --now --yes` started together against the fake Brevo and Mailjet servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from tests.send.conftest import ENV_KEYS, make_workspace
from tests.support.asserts import assert_clean_failure
from tests.support.providers import FakeBrevo, FakeMailjet

HOLD = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    from newsletter.lock import workspace_lock
    with workspace_lock(Path(sys.argv[1]), command="send", now=dt.datetime(2026, 12, 8, 9, 30)):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the workspace lock for 30 s (or until killed)."""
    ws = make_workspace(tmp_path / "ws")
    with subprocess.Popen([sys.executable, "-c", HOLD, str(ws.root / "state"), "30"], stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        yield process
        process.kill()


def archive(tmp_path: Path, *, wait: float) -> tuple[int, str]:
    config = tmp_path / "ws" / "newsletter.toml"
    result = CliRunner().invoke(app, ["--config", str(config), "archive", "--all"], env={"NEWSLETTER_LOCK_WAIT": str(wait)})
    return result.exit_code, result.output


def test_a_second_command_waits_then_stops_and_says_who_holds_the_lock(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    code, output = archive(tmp_path, wait=0.5)
    assert time.monotonic() - started >= 0.5
    assert_clean_failure(output, code, 1, f"`newsletter send` (process {holder.pid}, started on December 8, 2026 at 09:30)", "is still running", "did nothing", "Tip: wait until the other command has finished")
    assert not (tmp_path / "ws" / "site").exists()


def test_the_lock_goes_with_a_killed_process(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    code, output = archive(tmp_path, wait=0.5)
    assert code == 0, output
    assert (tmp_path / "ws" / "site" / "index.html").exists()


def test_a_command_that_waits_goes_on_once_the_other_one_ends(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    with subprocess.Popen([sys.executable, "-c", HOLD, str(ws.root / "state"), "1.5"], stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        started = time.monotonic()
        code, output = archive(tmp_path, wait=10)
        waited = time.monotonic() - started
    assert code == 0, output
    assert waited >= 1.0  # it waited for the holder, then did its work
    assert (tmp_path / "ws" / "site" / "index.html").exists()


def send_now_together(root: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, **ENV_KEYS, "NEWSLETTER_LOCK_WAIT": "30"}
    command = [sys.executable, "-m", "newsletter.cli", "--config", str(root / "newsletter.toml"), "send", str(root / "issues" / "2026-12.md"), "--now", "--yes"]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    done = []
    for process in processes:
        with process:
            output, _ = process.communicate(timeout=60)
            done.append(subprocess.CompletedProcess(process.args, process.returncode, output))
    return done


@pytest.mark.parametrize("provider", ["brevo", "mailjet"])
def test_two_sends_started_together_create_one_campaign_and_mail_the_list_once(tmp_path: Path, provider: str) -> None:
    with FakeBrevo() as brevo, FakeMailjet() as mailjet:
        fake = brevo if provider == "brevo" else mailjet
        # The provider is slow to answer the look-up by name: without the lock, both commands
        # would learn that no campaign exists yet, and each would create and send its own.
        fake.inject("GET", r"/emailCampaigns|/campaigndraft", after=True, delay=0.25, times=2)
        ws = make_workspace(tmp_path / provider, provider=provider, brevo_url=brevo.url, mailjet_url=mailjet.url)
        done = send_now_together(ws.root)
        outputs = "\n".join(d.stdout for d in done)
        assert [d.returncode for d in done].count(0) >= 1, outputs
        assert len(fake.campaigns if provider == "brevo" else fake.drafts) == 1, outputs  # type: ignore[attr-defined]
        assert sum(fake.deliveries.values()) == 1, outputs
        assert "Traceback" not in outputs
