"""Stats benchmark: `collect_stats` over 12 sent campaigns on a fake Brevo (and a fake Mailjet)
that answers every request after 300 ms, one campaign after the other (concurrency=1, the old
way) against a few in flight (the default), interleaved, with the latency-bound floor.

Run: PYTHONPATH=$PWD .venv/bin/python bench/stats.py
The fakes are the stateful ones of tests/ on 127.0.0.1; they stop at the end.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.campaigns import mark_status, record_campaign  # noqa: E402
from newsletter.config import load_settings  # noqa: E402
from newsletter.providers.retry import RetryPolicy  # noqa: E402
from newsletter.stats import CONCURRENCY, collect_stats  # noqa: E402
from tests.stats.fakes_stats import StatsBrevo, StatsMailjet, brevo_global, mailjet_counters  # noqa: E402
from tests.support.providers import BREVO_KEY, MJ_PRIVATE, MJ_PUBLIC  # noqa: E402

LATENCY = 0.3
CAMPAIGNS = 12
RUNS = 3
TARGET = 1.0
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC)

CONFIG = """
[newsletter]
name = "Mobiscol"
title = "La lettre de Mobiscol"
timezone = "Europe/Paris"
provider = "brevo"

[brevo]
base_url = "{brevo}"
list_ids = [2]
sender_email = "lettre@example.org"
timeout = 5

[mailjet]
base_url = "{mailjet}"
contacts_list_id = 10
sender_email = "lettre@example.org"
timeout = 5
"""


class Slow:
    """Every answer waits LATENCY seconds (as a far API would), and the peak of requests in flight is kept."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak = 0
        self.flight_lock = threading.Lock()

    def _dispatch(self, request: BaseHTTPRequestHandler) -> None:
        with self.flight_lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(LATENCY)
            super()._dispatch(request)  # type: ignore[misc]
        finally:
            with self.flight_lock:
                self.in_flight -= 1


class SlowBrevo(Slow, StatsBrevo):
    def __init__(self) -> None:
        Slow.__init__(self)
        StatsBrevo.__init__(self)


class SlowMailjet(Slow, StatsMailjet):
    def __init__(self) -> None:
        Slow.__init__(self)
        StatsMailjet.__init__(self)


def workspace(root: Path, brevo: SlowBrevo, mailjet: SlowMailjet, provider: str) -> Path:
    """A workspace whose state has CAMPAIGNS sent issues on `provider`."""
    root.mkdir(parents=True)
    (root / "newsletter.toml").write_text(CONFIG.format(brevo=brevo.url, mailjet=mailjet.url), encoding="utf-8")
    for n in range(CAMPAIGNS):
        stem = f"{2020 + n // 12}-{n % 12 + 1:02d}"
        if provider == "brevo":
            campaign_id = brevo.add_sent_campaign(f"mobiscol-{stem}", stats=brevo_global(opens=100 + n))
        else:
            campaign_id = mailjet.add_sent_draft(f"mobiscol-{stem}", counters=mailjet_counters(opens=100 + n))
        record_campaign(root / "state", issue=stem, provider=provider, campaign_id=str(campaign_id), name=f"mobiscol-{stem}", status="draft", now=NOW)
        mark_status(root / "state", issue=stem, provider=provider, status="sent", now=NOW)
    return root


def run(root: Path, concurrency: int) -> float:
    settings = load_settings(root / "newsletter.toml", environ={"BREVO_API_KEY": BREVO_KEY, "MJ_APIKEY_PUBLIC": MJ_PUBLIC, "MJ_APIKEY_PRIVATE": MJ_PRIVATE})
    start = time.perf_counter()
    report = collect_stats(settings, now=lambda: NOW, policy=RetryPolicy(), concurrency=concurrency)
    elapsed = time.perf_counter() - start
    assert len(report.rows) == CAMPAIGNS and not report.failed, report
    return elapsed


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    brevo, mailjet = SlowBrevo(), SlowMailjet()
    brevo.start()
    mailjet.start()
    try:
        results = {}
        # Mailjet (two requests per campaign, no target) gets one run per side to keep the bench short.
        for provider, round_trips, runs in (("brevo", 1, RUNS), ("mailjet", 2, 1)):
            root = workspace(work / provider, brevo, mailjet, provider)
            samples: dict[int, list[float]] = {1: [], CONCURRENCY: []}
            run(root, CONCURRENCY)  # warm-up: imports, first connections
            for _ in range(runs):  # interleaved: the machine's noise hits both sides alike
                for concurrency in samples:
                    samples[concurrency].append(run(root, concurrency))
            fake = brevo if provider == "brevo" else mailjet
            results[provider] = (samples, round_trips, fake.peak)
    finally:
        brevo.stop()
        mailjet.stop()
        shutil.rmtree(work, ignore_errors=True)

    print("## Stats (bench/stats.py)\n")
    print(f"{CAMPAIGNS} sent campaigns in the state, fake provider on 127.0.0.1 answering every request after "
          f"{LATENCY * 1000:.0f} ms; `collect_stats` in process, interleaved runs ({RUNS} per side on Brevo, 1 on Mailjet), medians. "
          f"Floor = round trips per campaign × ⌈{CAMPAIGNS} / requests in flight⌉ × {LATENCY * 1000:.0f} ms.\n")
    print("| provider | one after the other (concurrency=1) | ours (concurrency=" f"{CONCURRENCY}) | floor (ours) | target | verdict | ratio old/ours | peak in flight |")
    print("|---|---|---|---|---|---|---|---|")
    for provider, (samples, round_trips, peak) in results.items():
        old = statistics.median(samples[1])
        ours = statistics.median(samples[CONCURRENCY])
        floor = round_trips * math.ceil(CAMPAIGNS / CONCURRENCY) * LATENCY
        target = f"≤ {TARGET:.0f} s" if provider == "brevo" else "(none)"
        verdict = ("ok" if ours <= TARGET else "MISSED") if provider == "brevo" else "—"
        print(f"| {provider} ({round_trips} request(s) per campaign) | {old:.2f} s | {ours:.2f} s | {floor:.2f} s | {target} | {verdict} | {old / ours:.1f}× | {peak} |")


if __name__ == "__main__":
    main()
