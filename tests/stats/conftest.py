"""Fixtures of the stats tests: fakes with statistics, a small workspace, the CLI runner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsletter.campaigns import mark_status, record_campaign
from newsletter.providers.retry import RetryPolicy
from tests.support.asserts import snapshot_tree
from tests.support.providers import BREVO_KEY, MJ_PRIVATE, MJ_PUBLIC
from tests.support.workspace import workspace_config

from .fakes_stats import StatsBrevo, StatsMailjet

ISSUE = """---
title: "La lettre de Mobiscol — décembre 2026"
subject: "Rues scolaires et vélobus en décembre"
preheader: "L'actualité de l'écomobilité scolaire en décembre"
date: 2026-12-08
number: 37
---

## Édito

Bonjour ! Des nouvelles des [rues scolaires](https://www.example.org/rues-scolaires) et des vélobus.

## Veille

### [Un vélobus à Ivry-sur-Seine](https://www.example.org/velobus-ivry)
*Ville d'Ivry · 12 novembre 2026*
Chaque vendredi, une vingtaine d'enfants roulent ensemble jusqu'à l'école.

### [Le pédibus de Lyon fête ses 10 ans](https://www.example.org/pedibus-lyon/?ref=rss)
*Ville de Lyon · 20 novembre 2026*
Dix ans de marche vers l'école.
"""

ENV_KEYS = {"BREVO_API_KEY": BREVO_KEY, "MJ_APIKEY_PUBLIC": MJ_PUBLIC, "MJ_APIKEY_PRIVATE": MJ_PRIVATE}
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def no_sleep() -> list[float]:
    """The waits the retry policy asked for (the CLI runs with a policy that records instead of sleeping)."""
    return []


@pytest.fixture
def brevo() -> Iterator[StatsBrevo]:
    fake = StatsBrevo()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def mailjet() -> Iterator[StatsMailjet]:
    fake = StatsMailjet()
    fake.start()
    yield fake
    fake.stop()


@dataclass
class Workspace:
    root: Path

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def state(self) -> Path:
        return self.state_dir / "campaigns.json"

    def issue(self, stem: str = "2026-12") -> Path:
        return self.root / "issues" / f"{stem}.md"

    def record(self, provider: str, campaign_id: int | str, *, stem: str = "2026-12", status: str = "sent") -> None:
        record_campaign(self.state_dir, issue=stem, provider=provider, campaign_id=str(campaign_id), name=f"mobiscol-{stem}", status="draft", now=NOW)
        if status != "draft":
            mark_status(self.state_dir, issue=stem, provider=provider, status=status, now=NOW)

    def snapshot(self) -> dict[str, bytes]:
        return snapshot_tree(self.root)


@pytest.fixture
def ws(tmp_path: Path, brevo: StatsBrevo, mailjet: StatsMailjet) -> Workspace:
    root = tmp_path / "ws"
    (root / "issues").mkdir(parents=True)
    config = workspace_config(
        provider="brevo", subscribe_url="https://lettre.example.org/mobiscol/inscription", unsubscribe_url="https://lettre.example.org/desinscription",
        brevo_url=brevo.url, mailjet_url=mailjet.url, timeout=0.5,
    )
    (root / "newsletter.toml").write_text(config, encoding="utf-8")
    (root / "issues" / "2026-12.md").write_text(ISSUE, encoding="utf-8")
    return Workspace(root)


@pytest.fixture
def cli(ws: Workspace, no_sleep: list[float]) -> CliFn:
    def run(*args: str, keys: bool = True) -> Result:
        from newsletter.cli import app

        return CliRunner().invoke(app, ["--config", str(ws.root / "newsletter.toml"), *args], env=dict(ENV_KEYS) if keys else {},
                                  obj=RetryPolicy(sleep=no_sleep.append))

    return run


class CliFn:  # for type hints in tests
    def __call__(self, *args: str, keys: bool = True) -> Result: ...
