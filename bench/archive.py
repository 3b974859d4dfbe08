"""Archive benchmark: `build_archive --all` over 240 issues (the example issue, one per month
from 2007 to 2026): the first run, a re-run with nothing changed, a re-run after one issue was
edited, the same re-run with the manifest removed (the old way: every page rendered and written
again), and the floor (reading and hashing the inputs alone). Interleaved, medians.

Run: PYTHONPATH=$PWD .venv/bin/python bench/archive.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.archive import MANIFEST, _inputs_fingerprint, build_archive  # noqa: E402
from newsletter.config import load_settings  # noqa: E402

EXAMPLE = ROOT / "examples"
ISSUES = 240
RUNS = 3
TARGET = 1.0
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC)


def workspace(root: Path) -> Path:
    """The example workspace with ISSUES issues: the example one, re-dated and re-numbered per month."""
    shutil.copytree(EXAMPLE, root)
    source = (root / "issues" / "2026-11.md").read_text(encoding="utf-8")
    (root / "issues" / "2026-11.md").unlink()
    for n in range(ISSUES):
        year, month = 2007 + n // 12, n % 12 + 1
        text = source.replace("date: 2026-11-10", f"date: {year}-{month:02d}-10").replace("number: 36", f"number: {n + 1}")
        (root / "issues" / f"{year}-{month:02d}.md").write_text(text, encoding="utf-8")
    return root


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "newsletter")], check=True)
    work = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    try:
        root = workspace(work / "ws")
        settings = load_settings(root / "newsletter.toml", environ={})
        manifest = settings.state_dir / MANIFEST
        edited = settings.issues_dir / "2016-06.md"

        def build() -> int:
            report = build_archive(settings, include_all=True, now=NOW)
            assert len(report.entries) == ISSUES, report.skipped[:3]
            return len(report.rebuilt)

        def floor() -> None:
            # What any skip needs at the least: every issue file read and hashed, the theme and config hashed.
            fingerprint = _inputs_fingerprint(settings)
            for path in sorted(settings.issues_dir.glob("*.md")):
                hashlib.sha256(fingerprint.encode() + path.read_bytes()).hexdigest()

        def touch_one() -> None:
            edited.write_text(edited.read_text(encoding="utf-8") + f'\n[//]: # "{time.perf_counter_ns()}"\n', encoding="utf-8")

        def full_rebuild() -> None:
            manifest.unlink(missing_ok=True)
            build()

        first = timed(build)
        samples: dict[str, list[float]] = {"rerun": [], "touched": [], "full": [], "floor": []}
        rebuilt_touched = 0
        for _ in range(RUNS):
            samples["full"].append(timed(full_rebuild))
            samples["rerun"].append(timed(build))
            touch_one()
            start = time.perf_counter()
            rebuilt_touched = build()
            samples["touched"].append(time.perf_counter() - start)
            samples["floor"].append(timed(floor))
        cli = [sys.executable, "-m", "newsletter.cli", "-q", "--config", str(root / "newsletter.toml"), "archive", "--all"]
        cli_rerun = statistics.median(timed(lambda: subprocess.run(cli, check=True, capture_output=True)) for _ in range(RUNS))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = {name: statistics.median(values) for name, values in samples.items()}
    print("## Archive (bench/archive.py)\n")
    print(f"{ISSUES} issues (the example issue re-dated per month), `build_archive(include_all=True)` in process; "
          f"{RUNS} interleaved runs per line, medians. The old way = the same re-run with state/archive.json removed "
          "(every page rendered and written again, as before).\n")
    print("| measure | median | target | verdict | vs old way |")
    print("|---|---|---|---|---|")
    print(f"| first run (empty site, {ISSUES} pages rendered) | {first:.2f} s | | | |")
    print(f"| old way: re-run rendering every page | {med['full']:.2f} s | | | 1× |")
    print(f"| **re-run, nothing changed** (0 pages rendered) | {med['rerun']:.3f} s | ≤ {TARGET:.0f} s | "
          f"{'ok' if med['rerun'] <= TARGET else 'MISSED'} | {med['full'] / med['rerun']:.0f}× faster |")
    print(f"| re-run after editing one issue ({rebuilt_touched} page rendered) | {med['touched']:.3f} s | | | {med['full'] / med['touched']:.0f}× faster |")
    print(f"| floor: read and hash the {ISSUES} issues, the config and the theme | {med['floor']:.3f} s | | | ratio re-run/floor = {med['rerun'] / med['floor']:.1f} |")
    print(f"| `newsletter archive --all` re-run, whole process (start-up included) | {cli_rerun:.2f} s | | | |")


if __name__ == "__main__":
    main()
