"""Fixtures of the send tests: fake Brevo and Mailjet servers, a small workspace, the CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsletter.providers.retry import RetryPolicy
from tests.support.asserts import snapshot_tree
from tests.support.providers import BREVO_KEY, MJ_PRIVATE, MJ_PUBLIC, FakeBrevo, FakeMailjet
from tests.support.workspace import workspace_config

ISSUE = """---
title: "La lettre de Mobiscol — décembre 2026"
subject: "Rues scolaires et vélobus en décembre"
preheader: "L'actualité de l'écomobilité scolaire en décembre"
date: 2026-12-08
number: 37
---

## Édito

{edito}

## Veille

### [Un vélobus à Ivry-sur-Seine](https://www.example.org/velobus-ivry)
*Ville d'Ivry · 12 novembre 2026*
Chaque vendredi, une vingtaine d'enfants roulent ensemble jusqu'à l'école.
"""

EDITO = "Bonjour à toutes et à tous ! Ce mois-ci, des nouvelles des rues scolaires et des vélobus du réseau."

ENV_KEYS = {"BREVO_API_KEY": BREVO_KEY, "MJ_APIKEY_PUBLIC": MJ_PUBLIC, "MJ_APIKEY_PRIVATE": MJ_PRIVATE}


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("NEWSLETTER_") or name in ENV_KEYS:
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSLETTER_LANG", "en")  # the tests assert the English texts
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def no_sleep() -> list[float]:
    """The waits the retry policy asked for (the CLI runs with a policy that records instead of sleeping)."""
    return []


@pytest.fixture
def retry_policy(no_sleep: list[float]) -> RetryPolicy:
    """Retries wait for nothing in tests; the waits asked for are recorded in `no_sleep`."""
    return RetryPolicy(sleep=no_sleep.append)


@pytest.fixture
def fake_brevo() -> Iterator[FakeBrevo]:
    with FakeBrevo() as fake:
        assert isinstance(fake, FakeBrevo)
        yield fake


@pytest.fixture
def fake_mailjet() -> Iterator[FakeMailjet]:
    with FakeMailjet() as fake:
        assert isinstance(fake, FakeMailjet)
        yield fake


@dataclass
class Workspace:
    root: Path
    issue: Path

    @property
    def state(self) -> Path:
        return self.root / "state" / "campaigns.json"

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the workspace, to assert that nothing changed."""
        return snapshot_tree(self.root)

    def set_edito(self, text: str) -> None:
        self.issue.write_text(ISSUE.format(edito=text), encoding="utf-8")


def make_workspace(root: Path, *, provider: str = "outbox", brevo_url: str = "http://127.0.0.1:9/v3", mailjet_url: str = "http://127.0.0.1:9/v3/REST") -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    config = workspace_config(provider=provider, web_url=None, unsubscribe_url="https://lettre.example.org/desinscription", brevo_url=brevo_url, mailjet_url=mailjet_url, outbox=True)
    (root / "newsletter.toml").write_text(config, encoding="utf-8")
    issue = root / "issues" / "2026-12.md"
    issue.parent.mkdir(exist_ok=True)
    issue.write_text(ISSUE.format(edito=EDITO), encoding="utf-8")
    return Workspace(root, issue)


@pytest.fixture
def workspace(tmp_path: Path, fake_brevo: FakeBrevo, fake_mailjet: FakeMailjet) -> Workspace:
    return make_workspace(tmp_path / "ws", brevo_url=fake_brevo.url, mailjet_url=fake_mailjet.url)


@pytest.fixture
def cli(workspace: Workspace, retry_policy: RetryPolicy) -> CliFn:
    def run(*args: str, env: dict[str, str] | None = None, keys: bool = True, input: str | None = None) -> Result:
        from newsletter.cli import app

        environ = dict(ENV_KEYS) if keys else {}
        environ.update(env or {})
        runner = CliRunner()
        return runner.invoke(app, ["--config", str(workspace.root / "newsletter.toml"), *args], env=environ, input=input, catch_exceptions=True, obj=retry_policy)

    return run


class CliFn:  # for type hints in tests
    def __call__(self, *args: str, env: dict[str, str] | None = None, keys: bool = True, input: str | None = None) -> Result: ...


@dataclass
class Target:
    """One fake provider seen the same way for both: campaigns, deliveries, content."""

    name: str
    fake: FakeBrevo | FakeMailjet

    def ids(self) -> list[str]:
        if isinstance(self.fake, FakeBrevo):
            return [str(i) for i in self.fake.campaigns]
        return [str(i) for i, d in self.fake.drafts.items() if d["Status"] != -2]

    def campaign_count(self) -> int:
        return len(self.ids())

    def deliveries(self) -> int:
        return sum(self.fake.deliveries.values())

    def status(self, campaign_id: str) -> str:
        if isinstance(self.fake, FakeBrevo):
            return {"queued": "scheduled"}.get(self.fake.campaigns[int(campaign_id)]["status"], self.fake.campaigns[int(campaign_id)]["status"])
        return {0: "draft", 1: "scheduled", 2: "sent"}[self.fake.drafts[int(campaign_id)]["Status"]]

    def html(self, campaign_id: str) -> str:
        if isinstance(self.fake, FakeBrevo):
            return str(self.fake.campaigns[int(campaign_id)]["htmlContent"])
        return self.fake.contents[int(campaign_id)]["Html-part"]

    def scheduled_at(self, campaign_id: str) -> str:
        if isinstance(self.fake, FakeBrevo):
            return str(self.fake.campaigns[int(campaign_id)]["scheduledAt"])
        return self.fake.schedules[int(campaign_id)]

    def tests_sent(self) -> list[tuple[int, list[str]]]:
        return self.fake.tests_sent


@pytest.fixture(params=["brevo", "mailjet"])
def target(request: pytest.FixtureRequest, fake_brevo: FakeBrevo, fake_mailjet: FakeMailjet) -> Target:
    return Target(request.param, fake_brevo if request.param == "brevo" else fake_mailjet)
