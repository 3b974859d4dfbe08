"""Fetch every source of a draft at once: the feeds and the actor map, within one deadline."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from newsletter import formats
from newsletter.config import FeedConfig, Settings
from newsletter.i18n import _
from newsletter.sources import SourceReport
from newsletter.sources.actormap import MapOutcome, fetch_actor_map
from newsletter.sources.cache import HttpCache
from newsletter.sources.feeds import FeedOutcome, fetch_feed
from newsletter.sources.fetch import FetchOptions, describe_unexpected
from newsletter.sources.parsepool import ParsePool, parse_workers

logger = logging.getLogger(__name__)

MAP_JOB = "\x00actor-map"
POOL_SIZE = 10  # connections per httpx client (see _collect)


@dataclass(frozen=True)
class SourceProgress:
    """One source finished: its name, and the source the run now waits for (None when none is running).

    `waiting` is the running source that started first, so the slowest one: what a progress bar
    names while a feed hangs (the last finished source said nothing about the wait).
    """

    finished: str
    waiting: str | None


ProgressCallback = Callable[[SourceProgress], None]


def default_cache_dir() -> Path:
    """The HTTP cache: the user's cache folder (platformdirs), e.g. ~/.cache/newsletter/http."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsletter", appauthor=False)) / "http"


def enabled_feeds(settings: Settings) -> list[FeedConfig]:
    return [feed for feed in settings.file.feeds if feed.enabled]


def count_sources(settings: Settings) -> int:
    """How many sources a draft fetches (for a progress bar)."""
    return len(enabled_feeds(settings)) + (1 if settings.file.actor_map else 0)


def no_source_warning(settings: Settings) -> str:
    """Why a draft has only its sections' headings, and the lines that add a source."""
    if settings.file.feeds:  # every feed has `enabled = false`
        return _("every feed in {config} has enabled = false and there is no [actor_map]: the draft has only the sections' headings").format(
            config=settings.config_path
        )
    return _(
        "no source is configured in {config}, so the draft has only the sections' headings; to add a feed, write a "
        '[[feeds]] block with name = "…", url = "https://…" and section = "veille", or an [actor_map] block with url and section'
    ).format(config=settings.config_path)


@dataclass
class Collection:
    """What every source gave, in configuration order."""

    feeds: list[FeedOutcome] = field(default_factory=list)
    map: MapOutcome | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def reports(self) -> list[SourceReport]:
        reports = [outcome.report for outcome in self.feeds]
        return reports + ([self.map.report] if self.map else [])


def collect_sources(
    settings: Settings,
    *,
    now: dt.datetime,
    transport: Any = None,
    cache_dir: Path | None = None,
    on_progress: ProgressCallback | None = None,
    parse_in_processes: bool | None = None,
) -> Collection:
    """Fetch every enabled feed and the actor map concurrently, within the configured deadline.

    Feeds are parsed on worker processes when there are many and more than one core
    (parsepool.py); `parse_in_processes` forces the choice either way.
    """
    # The collection leaves through `box`, not as asyncio.run's result: on Python 3.11-3.12 a
    # large result (about 19 MB for 1,000 feeds) has its repr formatted at exit (0.1-0.5 s).
    box: list[Collection] = []

    async def run() -> None:
        box.append(
            await _collect(
                settings, now=now, transport=transport, cache_dir=cache_dir, on_progress=on_progress, parse_in_processes=parse_in_processes
            )
        )

    asyncio.run(run())
    return box[0]


async def _collect(
    settings: Settings,
    *,
    now: dt.datetime,
    transport: Any,
    cache_dir: Path | None,
    on_progress: ProgressCallback | None,
    parse_in_processes: bool | None,
) -> Collection:
    from newsletter.http import build_async_client

    fetch = settings.file.fetch
    feeds = enabled_feeds(settings)
    workers = parse_workers(len(feeds), enabled=parse_in_processes)
    # Started at the first parse, on a thread: its start-up overlaps the rest of the network wait,
    # and a run answered by 304s (parses reused from the cache) never starts it.
    parse_pool = ParsePool(workers) if workers else None
    cache = HttpCache(cache_dir or default_cache_dir())
    options = FetchOptions(
        root=settings.root, tz=settings.tz, fetched_at=now, max_bytes=fetch.max_bytes, timeout=fetch.timeout, cache=cache,
        parse_pool=parse_pool,
    )
    conf = settings.file.actor_map
    collection = Collection()
    shards = -(-fetch.concurrency // POOL_SIZE)
    try:
        async with contextlib.AsyncExitStack() as stack:
            # Several small connection pools rather than one of `concurrency` connections: httpcore
            # scans its whole pool (and polls each idle connection) on every request and every
            # answer, so one pool of 100 costs O(100) per step; pools of 10 cost O(10), and each
            # can keep all its connections alive for the next feed of the same host
            # (bench/draft.py).
            clients = [
                await stack.enter_async_context(
                    build_async_client(
                        timeout=fetch.timeout, transport=transport, max_redirects=fetch.max_redirects,
                        max_connections=min(POOL_SIZE, fetch.concurrency),
                    )
                )
                for _ in range(shards)
            ]

            busy = [0] * shards  # jobs running on each client

            async def on_least_busy(run: Callable[[httpx.AsyncClient], Awaitable[Any]], weight: int = 1) -> Any:
                # A job starts only once it holds one of the `concurrency` slots, so the least busy
                # client always has a free connection: no request waits in a pool's queue.
                shard = min(range(shards), key=busy.__getitem__)
                busy[shard] += weight
                try:
                    return await run(clients[shard])
                finally:
                    busy[shard] -= weight

            def feed_job(feed: FeedConfig) -> Callable[[], Any]:
                return lambda: on_least_busy(lambda client: fetch_feed(client, feed, options))

            jobs: list[tuple[str, Callable[[], Any]]] = [(str(index), feed_job(feed)) for index, feed in enumerate(feeds)]
            if conf is not None:
                # Two requests at once (the elements and the taxonomy).
                jobs.append((MAP_JOB, lambda: on_least_busy(lambda client: fetch_actor_map(client, conf, options), weight=2)))
            from newsletter.sources.actormap import MAP_NAME

            names = {str(index): feed.name for index, feed in enumerate(feeds)} | {MAP_JOB: MAP_NAME}
            hosts = {str(index): (urlsplit(feed.url).hostname or "").lower() for index, feed in enumerate(feeds)}
            results = await gather_bounded(
                jobs,
                concurrency=fetch.concurrency,
                deadline=fetch.deadline,
                on_done=(lambda key, waiting: on_progress(SourceProgress(names[key], names[waiting] if waiting else None))) if on_progress else None,
                groups=hosts,
                per_group=fetch.per_host,
            )
    finally:
        if parse_pool is not None:
            parse_pool.shutdown()
    seconds = formats.integer(int(fetch.deadline)) if float(fetch.deadline).is_integer() else formats.decimal(fetch.deadline)
    late = _("not finished within the overall deadline of {seconds} s").format(seconds=seconds)
    for index, feed in enumerate(feeds):
        outcome = results.get(str(index))
        if not isinstance(outcome, FeedOutcome):
            failed = FeedOutcome(SourceReport(name=feed.name, kind="feed", url=feed.url))
            failed.report.fail(describe_unexpected(outcome) if isinstance(outcome, Exception) else late)
            outcome = failed
        collection.feeds.append(outcome)
    if conf is not None:
        map_outcome = results.get(MAP_JOB)
        if not isinstance(map_outcome, MapOutcome):
            from newsletter.sources.actormap import MAP_NAME

            failed_map = MapOutcome(SourceReport(name=MAP_NAME, kind="map", url=conf.url))
            failed_map.report.fail(describe_unexpected(map_outcome) if isinstance(map_outcome, Exception) else late)
            map_outcome = failed_map
        collection.map = map_outcome
    cache.flush()
    collection.warnings.extend(cache.warnings)
    return collection


async def gather_bounded(
    jobs: list[tuple[str, Callable[[], Any]]],
    *,
    concurrency: int,
    deadline: float,
    on_done: Callable[[str, str | None], None] | None = None,
    groups: dict[str, str] | None = None,
    per_group: int = 0,
) -> dict[str, Any]:
    """Run coroutine factories at most `concurrency` at a time; stop waiting after `deadline` s.

    With `groups` ({name: group}, e.g. the host) and `per_group`, at most `per_group` jobs of one
    group run at once; a job waits for its group's slot before it takes a global one.
    Returns {name: result}, where a job that raised has its exception as its result; names that
    missed the deadline are absent. `on_done(name, waiting)` follows each job; `waiting` is the
    running job that started first (the slowest so far), None when no other job runs.
    """
    semaphore = asyncio.Semaphore(concurrency)
    group_slots: dict[str, asyncio.Semaphore] = {}
    results: dict[str, Any] = {}
    running: dict[str, None] = {}  # in start order: a dict is an ordered set

    async def started(name: str, factory: Callable[[], Any]) -> Any:
        running[name] = None
        return await factory()

    async def run(name: str, factory: Callable[[], Any]) -> None:
        group = (groups or {}).get(name)
        try:
            if group and per_group > 0:
                async with group_slots.setdefault(group, asyncio.Semaphore(per_group)), semaphore:
                    results[name] = await started(name, factory)
            else:
                async with semaphore:
                    results[name] = await started(name, factory)
        except Exception as exc:
            # The job's own failure, kept as its result: never "Task exception was never
            # retrieved", never mistaken for a job that missed the deadline.
            logger.debug("source job %s failed", name, exc_info=True)
            results[name] = exc
        running.pop(name, None)
        if on_done is not None:
            on_done(name, next(iter(running), None))

    tasks = [asyncio.create_task(run(name, factory)) for name, factory in jobs]
    if not tasks:
        return results
    _, pending = await asyncio.wait(tasks, timeout=deadline)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    return results


def check_sources(
    settings: Settings,
    *,
    transport: Any = None,
    cache_dir: Path | None = None,
    on_progress: ProgressCallback | None = None,
    now: dt.datetime,
) -> list[SourceReport]:
    """Fetch every source once and report its status, last item date and item count (no draft).

    `now` comes from the caller (the CLI's clock): the core never reads the clock.
    """
    collection = collect_sources(settings, now=now, transport=transport, cache_dir=cache_dir, on_progress=on_progress)
    return collection.reports
