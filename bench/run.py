"""Run every benchmark in bench/ one after another and write bench/RESULTS.md.

Each bench/<area>.py prints its own Markdown section (medians and ratios, the alternative
measured in the same run). Run: `make bench`. Noisy machines: compare ratios, not seconds.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["render.py", "draft.py", "actormap.py", "stats.py", "archive.py", "race.py"]


def main() -> None:
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    scripts += sorted(p for p in HERE.glob("*.py") if p.name not in {*ORDER, "run.py"})
    sections = []
    for script in scripts:
        print(f"running {script.name} …", file=sys.stderr)
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sections.append(f"## {script.stem}\n\nfailed:\n\n```\n{done.stderr[-2000:]}\n```\n")
        else:
            sections.append(done.stdout.strip() + "\n")
        print(sections[-1])
    header = (
        "# Benchmark results\n\n"
        f"Written by `make bench` (bench/run.py) on {dt.date.today().isoformat()}: "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores. "
        "Machines here are noisy: read the medians and the ratios between the two sides of a "
        "comparison, which were measured in the same run.\n"
    )
    (HERE / "RESULTS.md").write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
