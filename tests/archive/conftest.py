"""Fixtures of the archive tests: a copy of the example workspace, with more issues, and the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsletter.campaigns import mark_status, record_campaign

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

DECEMBER = """---
title: "La lettre de Mobiscol — décembre 2026"
subject: "Vélobus d'hiver & rues scolaires <en fête>"
preheader: "L'actualité de l'écomobilité scolaire en décembre"
date: 2026-12-08
number: 38
---

## Édito

Bonjour ! Voici [le replay](https://www.example.org/replay) du webinaire.
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(ROOT / "examples", root)
    (root / "issues" / "2026-12.md").write_text(DECEMBER, encoding="utf-8")
    return root


def mark_sent(root: Path, stem: str, provider: str = "brevo") -> None:
    record_campaign(root / "state", issue=stem, provider=provider, campaign_id="12", name=f"mobiscol-{stem}", status="draft", now=NOW)
    mark_status(root / "state", issue=stem, provider=provider, status="sent", now=NOW)


@pytest.fixture
def cli(ws: Path) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        from newsletter.cli import app

        return CliRunner().invoke(app, ["--config", str(ws / "newsletter.toml"), *args], env={})

    return run
