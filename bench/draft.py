"""Benchmark of `newsletter draft`: 100 and 1000 feeds x 30 entries on 127.0.0.1, 300 ms per answer.

For each size, in one run and interleaved: the floor (a bare httpx/asyncio fetch of the same
URLs with the same concurrency, no parsing, no cache; once cold, once answered 304), the draft
with a cold cache, and a second draft answered 304. The server runs in its own process.
Run alone: `PYTHONPATH=$PWD .venv/bin/python bench/draft.py` (`--quick`: 100 feeds only;
`--feeds 1000`: that case only).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import math
import multiprocessing
import statistics
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.config import load_settings  # noqa: E402
from newsletter.draft.pipeline import draft_issue  # noqa: E402
from newsletter.http import build_async_client  # noqa: E402

ENTRIES = 30
LATENCY = 0.3
CONCURRENCY = 100  # the default [fetch] concurrency
TZ_NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
# (feeds, runs, target cold, target 304)
CASES = [(100, 5, 1.5, 1.0), (1000, 3, 8.0, None)]


def feed_xml(index: int) -> bytes:
    items = []
    for n in range(ENTRIES):
        when = TZ_NOW - dt.timedelta(hours=6 * n + index % 50)
        items.append(
            f"<item><title>Pédibus et vélobus n°{index}-{n} : l'école à pied</title>"
            f"<link>https://site{index}.example.org/actus/{n}?utm_source=rss</link>"
            f"<pubDate>{email.utils.format_datetime(when)}</pubDate>"
            f"<description><![CDATA[<p>Un article sur les rues scolaires et l'écomobilité, numéro {n}. "
            + "Texte de remplissage pour un résumé réaliste. " * 8
            + "</p>]]></description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Site {index}</title>'
        f"<link>https://site{index}.example.org/</link>{''.join(items)}</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bodies: dict[str, bytes] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(LATENCY)
        body = self.bodies.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{len(body)}-{self.path}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def serve(ready: Any, feeds: int, lifetime: float) -> None:
    Handler.bodies = {f"/feed/{i}": feed_xml(i) for i in range(feeds)}
    server = Server(("127.0.0.1", 0), Handler)
    ready.put(server.server_address[1])
    # Stops by itself, even if the benchmark dies.
    server.timeout = 0.05
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        server.handle_request()


def workspace(root: Path, base: str, feeds: int) -> Path:
    lines = [
        '[newsletter]\nname = "Bench"\ntitle = "La lettre"\nprovider = "outbox"\n',
        '[[sections]]\nid = "veille"\ntitle = "Veille"\nlayout = "list"\n',
        # per_host = 100: the "sites" all sit on 127.0.0.1 here; real feeds live on different hosts.
        f"[fetch]\ntimeout = 20\ndeadline = 120\nconcurrency = {CONCURRENCY}\nper_host = 100\n",
    ]
    lines += [f'[[feeds]]\nname = "Site {i}"\nurl = "{base}/feed/{i}"\nsection = "veille"\n' for i in range(feeds)]
    (root / "issues").mkdir(parents=True, exist_ok=True)
    config = root / "newsletter.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


async def _bare_fetch(urls: list[str], etags: dict[str, str]) -> dict[str, str]:
    """GET every URL, CONCURRENCY at a time, reading the bodies; no parsing. Returns the ETags."""
    semaphore = asyncio.Semaphore(CONCURRENCY)
    found: dict[str, str] = {}
    async with build_async_client(timeout=20, max_connections=CONCURRENCY) as client:

        async def one(url: str) -> None:
            async with semaphore:
                headers = {"If-None-Match": etags[url]} if url in etags else {}
                response = await client.get(url, headers=headers)
                assert response.status_code in (200, 304), response.status_code
                found[url] = response.headers.get("etag", "")

        await asyncio.gather(*(one(url) for url in urls))
    return found


def floor(urls: list[str]) -> tuple[float, float]:
    """Wall time of the bare fetch, cold and answered 304."""
    start = time.perf_counter()
    etags = asyncio.run(_bare_fetch(urls, {}))
    cold = time.perf_counter() - start
    start = time.perf_counter()
    asyncio.run(_bare_fetch(urls, etags))
    return cold, time.perf_counter() - start


def one_draft(config: Path, cache: Path) -> float:
    settings = load_settings(config, environ={})
    start = time.perf_counter()
    result = draft_issue(settings, today=TZ_NOW.date(), month="2026-12", since=dt.date(2026, 11, 1), cache_dir=cache)
    elapsed = time.perf_counter() - start
    assert not any(r.failed for r in result.reports), [r.error for r in result.reports if r.failed][:3]
    return elapsed


def run_case(feeds: int, runs: int) -> dict[str, float]:
    ready: multiprocessing.Queue[int] = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(ready, feeds, 600.0), daemon=True)
    process.start()
    try:
        base = f"http://127.0.0.1:{ready.get(timeout=60)}"
        urls = [f"{base}/feed/{i}" for i in range(feeds)]
        samples: dict[str, list[float]] = {"floor cold": [], "floor 304": [], "draft cold": [], "draft 304": []}
        for _ in range(runs):
            floor_cold, floor_warm = floor(urls)
            samples["floor cold"].append(floor_cold)
            samples["floor 304"].append(floor_warm)
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                config = workspace(root, base, feeds)
                samples["draft cold"].append(one_draft(config, root / "cache"))
                (root / "issues" / "2026-12.md").unlink()
                samples["draft 304"].append(one_draft(config, root / "cache"))
            print(f"{feeds} feeds: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in samples.items()), file=sys.stderr)
    finally:
        process.terminate()
        process.join()
    return {key: statistics.median(values) for key, values in samples.items()}


def parse_costs(feeds: int = 200, rounds: int = 5) -> dict[str, float]:
    """CPU ms to read one feed of ENTRIES entries into candidates, medians over fresh feeds (no URL
    seen before): ours (the RSS 2.0 reader, links, texts, the draft's French text), and feedparser
    alone on the same bytes (what reading the feed costs without our reader, before any of our work)."""
    from zoneinfo import ZoneInfo

    import feedparser

    from newsletter.sources.feedparse import parse_feed_bytes

    tz = ZoneInfo("Europe/Paris")
    ours: list[float] = []
    theirs: list[float] = []
    for round_ in range(rounds):
        first = 10_000 + round_ * feeds
        bodies = [(index, feed_xml(index)) for index in range(first, first + feeds)]
        start = time.process_time()
        for index, body in bodies:
            parse_feed_bytes(
                body, url=f"http://127.0.0.1/feed/{index}", content_type="application/rss+xml; charset=utf-8", source="S",
                section="veille", tz=tz, fetched_at=TZ_NOW, prepare=True,
            )
        ours.append((time.process_time() - start) / feeds * 1000)
        start = time.process_time()
        for _index, body in bodies:
            feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
        theirs.append((time.process_time() - start) / feeds * 1000)
    return {"ours": statistics.median(ours), "feedparser": statistics.median(theirs)}


def main() -> None:
    cases = CASES[:1] if "--quick" in sys.argv else CASES
    if "--feeds" in sys.argv:
        wanted = int(sys.argv[sys.argv.index("--feeds") + 1])
        cases = [case for case in CASES if case[0] == wanted]
    lines = [
        "## draft",
        "",
        f"`draft_issue` on N feeds of {ENTRIES} entries served on 127.0.0.1 by a separate process with "
        f"{LATENCY * 1000:.0f} ms latency per answer, `[fetch] concurrency = {CONCURRENCY}`; medians. The floor is a bare "
        "httpx/asyncio fetch of the same URLs at the same concurrency (bodies read, no parsing, no cache), "
        "measured in the same run, interleaved; the latency bound is ⌈N / concurrency⌉ × latency. "
        "Run alone: `PYTHONPATH=$PWD .venv/bin/python bench/draft.py`.",
        "",
        "| run | median | target | verdict | floor (same run) | ratio to floor | latency bound |",
        "|---|---|---|---|---|---|---|",
    ]
    for feeds, runs, target_cold, target_warm in cases:
        medians = run_case(feeds, runs)
        bound = math.ceil(feeds / CONCURRENCY) * LATENCY
        for kind, target in (("cold", target_cold), ("304", target_warm)):
            value, base = medians[f"draft {kind}"], medians[f"floor {kind}"]
            verdict = "" if target is None else ("ok" if value <= target else "MISSED")
            shown_target = "" if target is None else f"≤ {target:g} s"
            lines.append(
                f"| {feeds} feeds, {'cold cache' if kind == 'cold' else 'second run (304)'}, {runs} runs | {value:.2f} s | "
                f"{shown_target} | {verdict} | {base:.2f} s | {value / base:.2f} | {bound:.1f} s |"
            )
    costs = parse_costs()
    lines += [
        "",
        f"Reading one feed of {ENTRIES} entries into the draft's candidates (fresh feeds, CPU time, medians): "
        f"{costs['ours']:.2f} ms with our reader and text preparation, against {costs['feedparser']:.2f} ms for "
        f"`feedparser.parse` alone on the same bytes (ratio {costs['ours'] / costs['feedparser']:.2f}).",
    ]
    print("\n".join([*lines, ""]))


if __name__ == "__main__":
    main()
