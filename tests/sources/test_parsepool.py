"""Parsing on worker processes gives exactly what parsing inline gives."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsletter.config import load_settings
from newsletter.sources import FetchStatus
from newsletter.sources.collect import collect_sources
from newsletter.sources.parsepool import ParsePool, parse_workers
from tests.support.feeds import ASSETS, FeedServer, Route, write_workspace

FEED_FILES = ["reseau-wordpress.xml", "observatoire.atom", "ecomobilite-spip.xml", "territoires-cyclables-media.xml"]


def _workspace(root: Path, count: int) -> Path:
    (root / "feeds").mkdir(parents=True)
    for name in FEED_FILES:
        shutil.copy(ASSETS / name, root / "feeds" / name)
    lines = [
        '[newsletter]\nname = "Mobiscol"\ntitle = "La lettre"\nprovider = "outbox"\n',
        '[[sections]]\nid = "veille"\ntitle = "Veille"\nlayout = "list"\n',
    ]
    lines += [
        f'[[feeds]]\nname = "Feed {index}"\nurl = "feeds/{FEED_FILES[index % len(FEED_FILES)]}"\nsection = "veille"\n'
        for index in range(count)
    ]
    config = root / "newsletter.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def test_process_pool_gives_the_same_candidates_as_inline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[bool] = []
    original = ParsePool.run

    async def run(self: ParsePool, call: Any) -> Any:
        result = await original(self, call)
        used.append(self._pool is not None)
        return result

    monkeypatch.setattr(ParsePool, "run", run)
    config = _workspace(tmp_path / "ws", 10)
    settings = load_settings(config, environ={})
    now = dt.datetime(2026, 12, 1, 12, tzinfo=settings.tz)
    inline = collect_sources(settings, now=now, cache_dir=tmp_path / "c1", parse_in_processes=False)
    assert used == []
    pooled = collect_sources(settings, now=now, cache_dir=tmp_path / "c2", parse_in_processes=True)
    assert len(used) == 10 and all(used)  # every feed was parsed on a worker process
    assert [outcome.candidates for outcome in pooled.feeds] == [outcome.candidates for outcome in inline.feeds]
    assert [outcome.report for outcome in pooled.feeds] == [outcome.report for outcome in inline.feeds]
    assert sum(len(outcome.candidates) for outcome in inline.feeds) > 20
    assert not any(outcome.report.failed for outcome in inline.feeds)


def test_parse_workers_only_for_many_feeds() -> None:
    assert parse_workers(3) == 0
    assert parse_workers(100, enabled=False) == 0
    assert parse_workers(2, enabled=True) >= 1


def _children() -> set[int]:
    """The pids of this process's children (Linux /proc)."""
    pids: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended while we looked
            continue
        pids.update(int(pid) for pid in children)
    return pids


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc (Linux)")
def test_no_worker_nor_forkserver_is_left_running(tmp_path: Path) -> None:
    before = _children()
    config = _workspace(tmp_path / "ws", 8)
    settings = load_settings(config, environ={})
    collection = collect_sources(settings, now=dt.datetime(2026, 12, 1, 12, tzinfo=settings.tz), cache_dir=tmp_path / "c", parse_in_processes=True)
    assert sum(len(outcome.candidates) for outcome in collection.feeds) > 20
    assert _children() - before == set()


def test_a_run_answered_by_304s_never_starts_the_pool(server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    original = ParsePool._start

    def start(self: ParsePool) -> None:
        started.append(1)
        original(self)

    monkeypatch.setattr(ParsePool, "_start", start)
    for index, name in enumerate(FEED_FILES):
        server.add(f"/f{index}.xml", Route((ASSETS / name).read_bytes(), etag=f'"v{index}"'))
    feeds = [(f"Feed {index}", f"/f{index}.xml", "veille") for index in range(len(FEED_FILES))]
    settings = load_settings(write_workspace(tmp_path, server.url, feeds=feeds, actor_map=False), environ={})
    now = dt.datetime(2026, 12, 1, 12, tzinfo=settings.tz)
    cold = collect_sources(settings, now=now, cache_dir=tmp_path / "c", parse_in_processes=True)
    assert started == [1]  # the cold run parsed, so it started the pool
    again = collect_sources(settings, now=now, cache_dir=tmp_path / "c", parse_in_processes=True)
    assert started == [1]  # every answer was a 304 with its parse cached: no pool
    assert all(outcome.report.status is FetchStatus.cached for outcome in again.feeds)
    assert [o.candidates for o in again.feeds] == [o.candidates for o in cold.feeds]


def test_workers_write_the_cache_and_say_when_they_cannot(
    server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsletter.sources.cache import HttpCache

    written_here: list[object] = []
    monkeypatch.setattr(HttpCache, "_write_many", lambda self, files: written_here.append(files))
    for index, name in enumerate(FEED_FILES):
        server.add(f"/f{index}.xml", Route((ASSETS / name).read_bytes(), etag=f'"v{index}"'))
    feeds = [(f"Feed {index}", f"/f{index}.xml", "veille") for index in range(len(FEED_FILES))]
    settings = load_settings(write_workspace(tmp_path, server.url, feeds=feeds, actor_map=False), environ={})
    now = dt.datetime(2026, 12, 1, 12, tzinfo=settings.tz)
    collect_sources(settings, now=now, cache_dir=tmp_path / "c", parse_in_processes=True)
    # Per feed: the body, its metadata and its parse, each whole (no temporary file left behind).
    assert len(list((tmp_path / "c").glob("*.body"))) == len(FEED_FILES)
    assert len(list((tmp_path / "c").glob("*.parse.json"))) == len(FEED_FILES)
    assert not [path for path in (tmp_path / "c").iterdir() if path.name.endswith(".tmp")]
    assert written_here == []  # the workers wrote them all, none was written by the process that fetches

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    with caplog.at_level("WARNING"):
        collection = collect_sources(settings, now=now, cache_dir=blocked / "cache", parse_in_processes=True)
    assert not any(outcome.report.failed for outcome in collection.feeds)
    assert sum(len(outcome.candidates) for outcome in collection.feeds) > 10
    assert "cannot write the HTTP cache" in caplog.text
    assert blocked.read_text(encoding="utf-8") == "not a folder"


MAIN_SCRIPT = """
import asyncio, os, sys, time
with open(sys.argv[1], "a") as marker:  # runs at each import of this script
    marker.write(f"{os.getpid()}\\n")
if __name__ == "__main__":
    import concurrent.futures.process as process
    from newsletter.sources.parsepool import ParsePool

    spawn = process.ProcessPoolExecutor._spawn_process

    def slow_spawn(self):  # a slow machine: a worker may be done with its first job before the next starts
        spawn(self)
        time.sleep(0.2)

    process.ProcessPoolExecutor._spawn_process = slow_spawn

    async def worker_pids():
        pool = ParsePool(4)
        try:
            return set(await asyncio.gather(*(pool.run(os.getpid) for _ in range(40))))
        finally:
            pool.shutdown()

    print(" ".join(map(str, asyncio.run(worker_pids()))))
"""


def test_workers_do_not_run_the_callers_main_script_again(tmp_path: Path) -> None:
    """A worker that imported the `newsletter` console script would load typer and rich for nothing."""
    script, marker = tmp_path / "main_script.py", tmp_path / "imports.txt"
    script.write_text(MAIN_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(marker)], capture_output=True, text=True, timeout=60, check=True)
    imports = marker.read_text(encoding="utf-8").split()
    assert len(imports) == 1  # the caller's own run only: none of the 4 workers imported the script
    assert imports[0] not in done.stdout.split()  # the calls ran on workers


@pytest.mark.parametrize("in_processes", [False, True], ids=["inline", "workers"])
def test_the_cache_keeps_one_parse_per_feed_month_after_month(server: FeedServer, tmp_path: Path, in_processes: bool) -> None:
    """A feed that changes every month must not leave one more parse in the cache each time."""
    cache = tmp_path / "c"
    cache.mkdir()
    (cache / ("0" * 32 + ".parsed.json")).write_text("{}", encoding="utf-8")  # a parse kept under the former naming
    body = (ASSETS / "reseau-wordpress.xml").read_bytes()
    settings = load_settings(write_workspace(tmp_path, server.url, feeds=[("Mobiscol", "/feed.xml", "veille")], actor_map=False), environ={})
    for month in range(1, 5):
        changed = body.replace(b"</channel>", f"<item><title>Lettre {month}</title><link>https://www.example.org/l/{month}</link></item></channel>".encode())
        server.add("/feed.xml", Route(changed, etag=f'"m{month}"'))
        now = dt.datetime(2026, month, 28, 12, tzinfo=settings.tz)
        collection = collect_sources(settings, now=now, cache_dir=cache, parse_in_processes=in_processes)
        assert any(c.url == f"https://www.example.org/l/{month}" for c in collection.feeds[0].candidates)
        assert len(list(cache.glob("*.parse.json"))) == 1
    assert not list(cache.glob("*.parsed.json"))
    again = collect_sources(settings, now=now, cache_dir=cache, parse_in_processes=in_processes)  # answered 304: the parse is reused
    assert again.feeds[0].report.status is FetchStatus.cached
    assert again.feeds[0].candidates == collection.feeds[0].candidates
