"""Feed parsing on the other cores: a process pool started in the background during the fetch.

Parsing is CPU work: about 3.5 ms a feed of 30 entries for plain RSS 2.0 (rss2.py), 14 ms
through feedparser. On the event loop it runs on one core while the answers wait. A pool costs a
forkserver's start (the parse modules imported once) and a little per feed to ship bytes and
candidates across, so it only pays off with hundreds of feeds (bench/draft.py). The workers
also write each feed's cache entry and parse (cache.parse_and_store): they have the bytes. With that many and more than one core, `ParsePool` parses on
worker processes. The pool is started on a thread at the beginning of the fetch, so that its
start-up (a forkserver that imports feedparser once) overlaps the network wait; a parse that
comes before it is ready waits for it, and a pool that cannot start or breaks falls back to
parsing inline. The pool starts at the first parse, not before: a draft answered by 304s
(every parse reused from the cache) never starts it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from newsletter.i18n import _, language, set_language

logger = logging.getLogger(__name__)

T = TypeVar("T")

MIN_FEEDS = 200  # below this, a pool's start-up and transfers cost more than parsing inline saves
PRELOAD = ["newsletter.sources.feedparse", "newsletter.sources.cache"]  # imported once by the forkserver, inherited by workers


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the main process (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


STARTUP_TIMEOUT = 10.0  # seconds the workers' first jobs wait for each other (only a worker that never starts makes them wait)
_all_started: Any = None  # in a worker: the barrier of the first jobs (_ready), handed over at start


def _start_worker(language: str, all_started: Any) -> None:
    """A worker's set-up: Ctrl-C left to the main process, the user's language for the warnings
    a parse writes (a forkserver worker does not inherit the main process's choice), and the
    barrier its first job waits at."""
    global _all_started
    _ignore_sigint()
    set_language(language)
    _all_started = all_started


@contextmanager
def _workers_skip_the_main_script() -> Iterator[None]:
    """Workers started in this block do not run the caller's main script again.

    A forkserver or spawned worker first imports the parent's `__main__` (the `newsletter`
    console script imports the whole command line, typer and rich; a benchmark imports pydantic):
    0.3-0.45 s of CPU per worker, on the cores the fetch and the other workers need, for code a
    parse never calls. multiprocessing reads what to import from `sys.modules["__main__"]` when
    it starts a process, and imports nothing for a module with neither a file nor a spec: while
    the workers start, that is what it finds. The calls they run are module-level functions of
    newsletter.sources, pickled by reference, never anything of `__main__`.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _ready() -> None:
    """Each worker's first job, submitted at start: it returns once every worker runs it.

    ProcessPoolExecutor starts a new worker for a job only when no worker is idle: a first job
    that returned at once could leave a worker idle before the last submit, and the missing
    workers would start later, for a parse, once the main script is no longer hidden.
    """
    if _all_started is not None:
        try:
            _all_started.wait(STARTUP_TIMEOUT)
        except threading.BrokenBarrierError:
            pass  # a worker did not start: the others parse anyway


def parse_workers(feeds: int, *, enabled: bool | None = None) -> int:
    """How many worker processes to parse `feeds` feeds: 0 (parse inline) unless there are many
    feeds and more than one core; `enabled` forces the choice (tests, benchmarks)."""
    cores = os.cpu_count() or 1
    if enabled is None:
        enabled = feeds >= MIN_FEEDS and cores > 1
    return max(1, min(cores, feeds, 8)) if enabled and feeds > 0 else 0


class ParsePool:
    """A process pool started on a background thread at the first `run(call)`, which awaits `call()` on it."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._method = ""
        self._started = threading.Event()
        self._thread: threading.Thread | None = None

    def _ensure_started(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._start, name="parse-pool-start", daemon=True)
            self._thread.start()

    def _start(self) -> None:
        pool: ProcessPoolExecutor | None = None
        all_started: Any = None
        try:
            # forkserver: workers are forked from a clean, single-threaded server process, never
            # from this one, which has threads (no fork-with-threads warning on Python 3.12+).
            # Where there is no forkserver (Windows), spawn.
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self._method = method
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(PRELOAD)
            all_started = context.Barrier(self._workers)
            pool = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=context, initializer=_start_worker, initargs=(language(), all_started)
            )
            with _workers_skip_the_main_script():
                # Each submit starts a worker: the first jobs wait for each other, so none is idle.
                for _ in range(self._workers):
                    pool.submit(_ready)
            self._pool = pool
        except (OSError, ValueError, RuntimeError) as exc:
            logger.warning(_("cannot start worker processes to parse the feeds ({reason}); they are parsed in this process, more slowly").format(reason=exc))
            if pool is not None:  # the workers that did start: released, and stopped
                all_started.abort()
                pool.shutdown(wait=False, cancel_futures=True)
        finally:
            self._started.set()

    async def run(self, call: Callable[[], T]) -> T:
        """`call()` (picklable: a module-level function and its arguments) on a worker process."""
        self._ensure_started()
        if not self._started.is_set():
            await asyncio.to_thread(self._started.wait)
        if self._pool is None:
            return call()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, call)
        except BrokenExecutor as exc:
            if self._pool is not None:
                logger.warning(_("the worker processes parsing the feeds stopped ({reason}); the rest is parsed in this process, more slowly").format(reason=exc))
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            return call()

    def shutdown(self) -> None:
        """Stop the workers (parses not started yet are cancelled)."""
        if self._thread is None:
            return
        self._thread.join()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._method == "forkserver":
            _stop_forkserver()


def _stop_forkserver() -> None:
    """Stop the forkserver process, which multiprocessing otherwise keeps until this process exits
    (a long-lived caller, the tests for one, would keep one per draft's worth of imports).
    `ForkServer._stop` is private (CPython uses it in its own tests), so it is looked up with care."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if callable(stop):
        try:
            stop()
        except OSError as exc:
            logger.debug("cannot stop the forkserver: %s", exc)
