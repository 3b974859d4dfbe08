"""Benchmark of `newsletter draft`: 100 feeds x 30 entries on 127.0.0.1, 300 ms latency per answer.

Compares, in one run: fetching the feeds one after another (a sync httpx client), the concurrent
draft with a cold cache, and a second draft answered 304 by the server. Reports medians and peak
memory. Run alone: `.venv/bin/python bench/draft.py` (add `--quick` to skip the sequential baseline).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsletter.config import FetchSection, load_settings
from newsletter.draft.pipeline import draft_issue
from newsletter.http import build_client

FEEDS = 100
ENTRIES = 30
LATENCY = 0.3
TZ_NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def feed_xml(index: int) -> bytes:
    items = []
    for n in range(ENTRIES):
        when = TZ_NOW - dt.timedelta(hours=6 * n + index)
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


BODIES = {f"/feed/{i}": feed_xml(i) for i in range(FEEDS)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(LATENCY)
        body = BODIES.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{hash(body)}"'
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
    request_queue_size = 256


def serve(ready: Any) -> None:
    server = Server(("127.0.0.1", 0), Handler)
    ready.put(server.server_address[1])
    server.serve_forever(poll_interval=0.05)


def workspace(root: Path, base: str, concurrency: int) -> Path:
    lines = [
        '[newsletter]\nname = "Bench"\ntitle = "La lettre"\nprovider = "outbox"\n',
        '[[sections]]\nid = "veille"\ntitle = "Veille"\nlayout = "list"\n',
        # per_host = 100: the 100 "sites" all sit on 127.0.0.1 here; real feeds live on different hosts.
        f"[fetch]\ntimeout = 10\ndeadline = 60\nconcurrency = {concurrency}\nper_host = 100\n",
    ]
    lines += [f'[[feeds]]\nname = "Site {i}"\nurl = "{base}/feed/{i}"\nsection = "veille"\n' for i in range(FEEDS)]
    (root / "issues").mkdir(parents=True, exist_ok=True)
    config = root / "newsletter.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def sequential(base: str) -> float:
    import feedparser

    start = time.perf_counter()
    with build_client(timeout=10) as client:
        for i in range(FEEDS):
            feedparser.parse(client.get(f"{base}/feed/{i}").content)
    return time.perf_counter() - start


def one_draft(config: Path, cache: Path, *, trace: bool = False) -> tuple[float, int, str]:
    """One `draft_issue` run: wall time, and peak traced memory when `trace` (tracing slows it, so
    timed runs do not trace)."""
    settings = load_settings(config, environ={})
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = draft_issue(settings, today=TZ_NOW.date(), month="2026-12", since=dt.date(2026, 11, 1), cache_dir=cache)
    elapsed = time.perf_counter() - start
    peak = 0
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert not any(r.failed for r in result.reports), [r.error for r in result.reports if r.failed]
    return elapsed, peak, result.action


def main() -> None:
    quick = "--quick" in sys.argv
    # The server runs in its own process, as remote sites would: in-process, its threads would
    # compete with the draft for the GIL and the figures would measure the server too.
    ready: multiprocessing.Queue[int] = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(ready,), daemon=True)
    process.start()
    base = f"http://127.0.0.1:{ready.get(timeout=10)}"
    print(f"{FEEDS} feeds x {ENTRIES} entries, {LATENCY * 1000:.0f} ms per answer, on {base}", file=sys.stderr)
    seq = None if quick else sequential(base)
    rows = []
    default = FetchSection().concurrency
    for concurrency in (default, 16):
        cold, warm = [], []
        for _ in range(5):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                config = workspace(root, base, concurrency)
                cold.append(one_draft(config, root / "cache")[0])
                (root / "issues" / "2026-12.md").unlink()
                warm.append(one_draft(config, root / "cache")[0])
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            peak = one_draft(workspace(root, base, concurrency), root / "cache", trace=True)[1]
        rows.append((concurrency, statistics.median(cold), statistics.median(warm), peak))
        print(f"concurrency {concurrency}: cold {rows[-1][1]:.2f} s, 304 {rows[-1][2]:.2f} s", file=sys.stderr)
    process.terminate()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "## draft",
        "",
        f"`newsletter draft` (`draft_issue`) on {FEEDS} feeds of {ENTRIES} entries served on 127.0.0.1 by a separate "
        f"process with {LATENCY * 1000:.0f} ms latency per answer; medians of 5 runs. Feeds parsed on worker "
        "processes when there are 8 or more and more than one core (sources/parsepool.py). Run alone: "
        "`.venv/bin/python bench/draft.py`.",
        "",
        "| run | wall time | vs one after another | peak traced memory |",
        "|---|---|---|---|",
    ]
    if seq is not None:
        lines.append(f"| one after another (sync httpx + feedparser, 1 run) | {seq:.2f} s | 1.0x | |")
    for concurrency, cold, warm, peak in rows:
        ratio_cold = f"{seq / cold:.1f}x faster" if seq else ""
        ratio_warm = f"{seq / warm:.1f}x faster" if seq else ""
        lines.append(f"| draft, `[fetch] concurrency = {concurrency}`, cold cache | {cold:.2f} s | {ratio_cold} | {peak / 1e6:.1f} MB |")
        lines.append(f"| draft, `[fetch] concurrency = {concurrency}`, second run (304) | {warm:.2f} s | {ratio_warm} | |")
    lines += ["", f"Process peak RSS (whole benchmark): {maxrss_mb:.0f} MB.", ""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
