"""Report benchmark: `newsletter report --cached` on the example year (12 issues, 6 charts), warm,
against two floors measured in the same run, interleaved:

- tables only: the same report, its charts left out (same imports but matplotlib, same HTML
  template and workbook), so `ours - tables only` is what the charts cost;
- matplotlib + one chart: a process that imports matplotlib and draws one of the report's
  charts as SVG, the bare cost of having charts at all.

Each run is a new process, as the user runs the command (wall time, and CPU time of the child,
which the other jobs on the machine disturb less). A first run of each warms the caches
(matplotlib's font list, bytecode).

Run: PYTHONPATH=$PWD .venv/bin/python bench/report.py
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
TARGET = 2.0  # seconds, wall, warm

TABLES_ONLY = """
import dataclasses, datetime as dt, sys
from pathlib import Path
from newsletter.campaigns import load_state
from newsletter.config import load_settings
from newsletter.reporting.files import write_report
from newsletter.reporting.letter import letter_year
from newsletter.reporting.letter_page import letter_report
from newsletter.reporting.model import Figure

workspace = Path(sys.argv[1])
settings = load_settings(workspace / "newsletter.toml", environ={})
year = letter_year(load_state(settings.state_dir).records(), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 1), tz=settings.tz,
                   actor_sections={"acteurs"}, veille_sections={feed.section for feed in settings.file.feeds})
report = letter_report(year, organisation="o", newsletter_title="t", generated_on=dt.date(2026, 12, 31))
sections = [dataclasses.replace(s, blocks=[b.table if isinstance(b, Figure) else b for b in s.blocks
                                           if not (isinstance(b, Figure) and b.table is None)]) for s in report.sections]
report = dataclasses.replace(report, sections=sections)
assert "matplotlib" not in sys.modules
write_report(settings, report, out_dir=workspace / "tables-only", stem="tables-only")
"""

ONE_CHART = """
import datetime as dt
from newsletter import charts
months = [dt.date(2026, m, 1) for m in range(1, 13)]
chart = charts.line_chart(months, [charts.Series("Opens", [0.45] * 12), charts.Series("Clicks", [0.09] * 12)],
                          title="Open and click rates per issue", value_format="percent")
assert chart.svg(titled=False).startswith("<svg")
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSLETTER_LANG": "fr"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        workspace = work / "ws"
        shutil.copytree(ROOT / "examples", workspace)
        (workspace / "state").mkdir(exist_ok=True)
        shutil.copy(ROOT / "examples" / "report" / "campaigns-2026.json", workspace / "state" / "campaigns.json")
        python = sys.executable
        commands = {
            "ours": [python, "-m", "newsletter.cli", "--config", str(workspace / "newsletter.toml"), "report",
                     "--from", "2026-01", "--to", "2026-12", "--cached", "--out", str(workspace / "reports")],
            "tables only": [python, "-c", TABLES_ONLY, str(workspace)],
            "matplotlib + one chart": [python, "-c", ONE_CHART],
        }
        for command in commands.values():  # warm-up
            timed(command)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(RUNS):  # interleaved: the machine's noise hits every side alike
            for name, command in commands.items():
                samples[name].append(timed(command))
        html = next((workspace / "reports").glob("*.html")).stat().st_size
        xlsx = next((workspace / "reports").glob("*.xlsx")).stat().st_size
        svgs = next((workspace / "reports").glob("*.html")).read_text(encoding="utf-8").count("<svg")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    wall = {name: statistics.median(w for w, _ in runs) for name, runs in samples.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in samples.items()}
    ours, tables = wall["ours"], wall["tables only"]
    print("## Report (bench/report.py)\n")
    print(f"`newsletter report --cached` on the example year (12 issues, {svgs} charts; HTML {html / 1000:.0f} KB, xlsx {xlsx / 1000:.0f} KB), "
          f"each run a new process, warm, {RUNS} interleaved runs per side, medians (wall, and CPU time of the process). "
          "Floors from the same run: the same report without its charts, and importing matplotlib to draw one chart.\n")
    print("| | wall | CPU | target | verdict | ratio to ours (wall) |")
    print("|---|---|---|---|---|---|")
    print(f"| ours: report with {svgs} charts | {ours:.2f} s | {cpu['ours']:.2f} s | ≤ {TARGET:.0f} s | {'ok' if ours <= TARGET else 'MISSED'} | 1.0× |")
    for name in ("tables only", "matplotlib + one chart"):
        print(f"| floor: {name} | {wall[name]:.2f} s | {cpu[name]:.2f} s | | | {ours / wall[name]:.2f}× |")
    print(f"\nThe charts cost {ours - tables:.2f} s wall ({cpu['ours'] - cpu['tables only']:.2f} s CPU), "
          f"about {(cpu['ours'] - cpu['tables only']) / svgs:.2f} s CPU a chart, matplotlib's import included.")


if __name__ == "__main__":
    main()
