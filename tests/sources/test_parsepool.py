"""Parsing on worker processes gives exactly what parsing inline gives."""

from __future__ import annotations

import datetime as dt
import shutil
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
