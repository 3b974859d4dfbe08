"""--debug shows tracebacks, and they are redacted like every other line: a provider that echoes
the API key in its error must not make the terminal print it. A real process, since Python
(or typer) prints an uncaught exception only there."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.send.conftest import make_workspace
from tests.support.providers import BREVO_KEY, FakeBrevo


@pytest.fixture
def echoing_brevo() -> Iterator[FakeBrevo]:
    with FakeBrevo() as fake:
        assert isinstance(fake, FakeBrevo)
        body = {"code": "unauthorized", "message": f"Key not found: {BREVO_KEY}"}
        fake.inject("GET", r"/account", status=401, body=body, times=10)
        yield fake


def test_debug_traceback_never_prints_the_api_key(tmp_path: Path, echoing_brevo: FakeBrevo) -> None:
    ws = make_workspace(tmp_path / "ws", provider="brevo", brevo_url=echoing_brevo.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLETTER_")} | {"PYTHONPATH": str(ROOT), "BREVO_API_KEY": BREVO_KEY, "NEWSLETTER_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "newsletter.cli", "--config", str(ws.root / "newsletter.toml"), "--debug", "-vv", "send", str(ws.issue), "--test"],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert BREVO_KEY not in output
    assert "Traceback" in done.stderr  # --debug still shows where it failed
    assert "ProviderError" in done.stderr
    assert "Error: brevo refused the API key (HTTP 401: Key not found: *** (unauthorized))" in done.stderr
    assert "check BREVO_API_KEY" in done.stderr
