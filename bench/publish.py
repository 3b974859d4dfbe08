"""Publish benchmark: the site of 240 issues (the example issue, one per month from 2007 to 2026).

1. A second publish with nothing changed, as the user runs it (`newsletter publish`, a new process),
   against the floor of any command (`newsletter --help`), interleaved. Its target is an FTP URL
   on a closed port of 127.0.0.1: the run succeeds only if it opens no connection at all.
2. A first publish of the whole site to a file:// target (`publish_site`, in process) against a
   bare `shutil.copytree` of the same site, interleaved.

Run: PYTHONPATH=$PWD .venv/bin/python bench/publish.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.archive import build_archive  # noqa: E402
from newsletter.config import load_settings  # noqa: E402
from newsletter.publish.manifest import load_manifest, save_manifest  # noqa: E402
from newsletter.publish.pipeline import connection_for, publish_site  # noqa: E402
from newsletter.publish.target import parse_target  # noqa: E402

EXAMPLE = ROOT / "examples"
ISSUES = 240
RUNS_CLI = 7
RUNS_COPY = 3
TARGET_RATIO = 1.5  # a publish with nothing to do costs at most 1.5× the start-up of any command
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


def set_target(config: Path, target: str) -> None:
    text = config.read_text(encoding="utf-8").split("\n[publish]\n")[0]
    config.write_text(text + f'\n[publish]\ntarget = "{target}"\ntimeout = 2\n', encoding="utf-8")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "newsletter")], check=True)
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    try:
        root = workspace(work / "ws")
        config = root / "newsletter.toml"
        www, copy = work / "www", work / "copy"
        set_target(config, f"file://{www}/")
        settings = load_settings(config, environ={})
        build_archive(settings, include_all=True, now=NOW)
        site = settings.path("site")
        files = sum(1 for p in site.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        target = parse_target(f"file://{www}/")

        def first_publish() -> None:
            shutil.rmtree(www, ignore_errors=True)
            www.mkdir()
            save_manifest(settings.state_dir, {})
            report = publish_site(settings, site, target=target, connection=connection_for(settings))
            assert len(report.sent) == files, report

        def copytree() -> None:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(site, copy)

        samples: dict[str, list[float]] = {"publish": [], "copytree": []}
        for _ in range(RUNS_COPY):
            samples["publish"].append(timed(first_publish))
            samples["copytree"].append(timed(copytree))

        # The same manifest under an FTP target nobody listens on: nothing changed means no connection.
        port = closed_port()
        ftp = parse_target(f"ftp://lettre@127.0.0.1:{port}/www/")
        manifest = load_manifest(settings.state_dir)
        save_manifest(settings.state_dir, {ftp.display: manifest[target.display]})
        set_target(config, ftp.display)
        publish_cmd = [sys.executable, "-m", "newsletter.cli", "--config", str(config), "publish"]
        help_cmd = [sys.executable, "-m", "newsletter.cli", "--help"]

        english = {**os.environ, "NEWSLETTER_LANG": "en"}  # the assertion reads the English line

        def run_publish() -> None:
            done = subprocess.run(publish_cmd, capture_output=True, text=True, check=False, env=english)
            assert done.returncode == 0 and f"0 files sent (0 KB), {files} unchanged" in done.stdout, done.stdout + done.stderr

        def run_help() -> None:
            subprocess.run(help_cmd, capture_output=True, check=True, env=english)

        # The steady state of "nothing changed since the last publish" (a later day): the site's
        # files older than the two seconds within which their listed hashes are not trusted
        # (newsletter/publish/hashes.py), and the list written after that by one publish.
        time.sleep(2.1)
        run_publish()
        cli: dict[str, list[float]] = {"publish": [], "help": []}
        for _ in range(RUNS_CLI):
            cli["help"].append(timed(run_help))
            cli["publish"].append(timed(run_publish))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = {name: statistics.median(values) for name, values in samples.items()}
    cmd = {name: statistics.median(values) for name, values in cli.items()}
    ratio = cmd["publish"] / cmd["help"]
    print("## Publish (bench/publish.py)\n")
    print(f"The site of {ISSUES} issues ({files} files, {size / 1e6:.1f} MB). Nothing changed: `newsletter publish` in a new "
          f"process (after one untimed publish more than 2 s after the site was built: file hashes are then read from "
          f"state/site-hashes.json), {RUNS_CLI} runs interleaved with `newsletter --help`, its target an ftp:// URL on a closed port (it "
          f"succeeds only without connecting). First publish: `publish_site` to an empty file:// folder, {RUNS_COPY} runs "
          "interleaved with `shutil.copytree` of the same site. Medians.\n")
    print("| measure | median | target | verdict | floor / alternative | ratio |")
    print("|---|---|---|---|---|---|")
    print(f"| **second publish, nothing changed** (0 files sent, no connection) | {cmd['publish']:.2f} s | ≤ {TARGET_RATIO}× floor | "
          f"{'ok' if ratio <= TARGET_RATIO else 'MISSED'} | `newsletter --help`: {cmd['help']:.2f} s | {ratio:.2f}× |")
    print(f"| first publish, {files} files to file:// (temporary name, rename, manifest) | {med['publish']:.3f} s | | | "
          f"`shutil.copytree`: {med['copytree']:.3f} s | {med['publish'] / med['copytree']:.1f}× |")


if __name__ == "__main__":
    main()
