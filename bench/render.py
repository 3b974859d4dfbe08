"""Render benchmark: in-process render of a 40-item issue, `newsletter render` against the
official `mjml` CLI compiling the same .mjml (interleaved in one run), `newsletter --help`
start-up time, and the floor (bare interpreter start-up plus the in-process render).

Run: .venv/bin/python bench/render.py  (needs `make mjml-validator` for the mjml CLI side).
Machines here are noisy: read medians and ratios, not single runs.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.config import load_settings  # noqa: E402
from newsletter.render import markup  # noqa: E402
from newsletter.render.pipeline import render_issue_file  # noqa: E402

EXAMPLE = ROOT / "examples"


def forty_item_issue(target: Path) -> Path:
    """The example issue grown to 40 items: its veille section repeated with new URLs."""
    source = (EXAMPLE / "issues" / "2026-11.md").read_text(encoding="utf-8")
    head, sep, tail = source.partition("## Veille et ressources")
    veille, sep2, rest = tail.partition("\n## ")
    items = veille.split("\n### ")[1:]
    count = source.count("\n### ")
    extra = []
    n = 0
    while count + len(extra) < 40:
        item = items[n % len(items)]
        extra.append(item.replace("](https://", f"](https://bench{n}.", 1))
        n += 1
    grown = head + sep + veille + "".join("\n### " + e for e in extra) + sep2 + rest
    path = target / "issues" / "2026-11.md"
    path.write_text(grown, encoding="utf-8")
    return path


def timed_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Each command once per round, in turn, so a noisy neighbour slows them all alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the disk cache and the bytecode
        subprocess.run(command, check=False, capture_output=True)
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed_once(command))
    return samples


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    # Measure an installed tool: with bytecode, as `pip install .` leaves it (an editable install
    # under PYTHONDONTWRITEBYTECODE would recompile the package on every run).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "newsletter")], check=True)
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    shutil.copytree(EXAMPLE, work, dirs_exist_ok=True)
    issue = forty_item_issue(work)
    settings = load_settings(work / "newsletter.toml", environ={})
    first = render_issue_file(settings, issue)
    items = len(first.issue.items)
    inprocess = []
    for _ in range(60):
        markup._tokens.cache_clear()  # a run parses each body once: no parse kept from the last render
        start = time.perf_counter()
        render_issue_file(settings, issue)
        inprocess.append(time.perf_counter() - start)
    in_ms = statistics.median(inprocess[10:]) * 1000

    script = Path(sys.executable).parent / "newsletter"
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "newsletter.cli"]
    render_cmd = [*cli, "-q", "--config", str(work / "newsletter.toml"), "render", str(issue)]
    subprocess.run(render_cmd, check=False, capture_output=True)
    mjml_file = work / "build" / "2026-11.mjml"
    mjml_cli = ROOT / ".cache" / "node" / "node_modules" / ".bin" / "mjml"
    commands = {
        "ours": render_cmd,
        "help": [*cli, "--help"],
        "python": [sys.executable, "-c", "pass"],
        "python-S": [sys.executable, "-S", "-c", "pass"],
        # What any Python render must import: the CLI framework and the four rendering libraries.
        "deps": [sys.executable, "-c", "import typer, jinja2, markdown_it, mjml, css_inline"],
        "typer": [sys.executable, "-c", "import typer"],
    }
    if mjml_cli.exists():
        commands["mjml"] = [str(mjml_cli), str(mjml_file), "-o", str(work / "mjml-out.html")]
    runs = interleaved(commands, 15)

    ours_ms, help_ms = ms(runs["ours"]), ms(runs["help"])
    print("## Render (bench/render.py)\n")
    print(f"Issue: the example issue grown to {items} items, {first.stats.html_bytes / 1024:.1f} KB of HTML. Python {sys.version.split()[0]}. "
          f"Whole-process commands run interleaved, {len(runs['ours'])} rounds; medians.\n")
    print("| measure | median | target | verdict |")
    print("|---|---|---|---|")
    print(f"| in-process render (parse + Jinja2 + MJML + css-inline + text + checks), {items} items | {in_ms:.1f} ms | < 30 ms | {'ok' if in_ms < 30 else 'MISSED'} |")
    if "mjml" in runs:
        theirs_ms = ms(runs["mjml"])
        ratio = ours_ms / theirs_ms
        print(f"| `newsletter render` wall time (whole process, writes 3 files) | {ours_ms:.0f} ms | ≤ ½ of mjml | {'ok' if ratio <= 0.5 else 'MISSED'} |")
        print(f"| official `mjml` 5 CLI compiling the same .mjml, same run | {theirs_ms:.0f} ms | | ratio ours/mjml = {ratio:.2f} |")
    else:
        print(f"| `newsletter render` wall time | {ours_ms:.0f} ms | | mjml CLI absent (make mjml-validator) |")
    print(f"| `newsletter --help` wall time | {help_ms:.0f} ms | < 150 ms | {'ok' if help_ms < 150 else 'MISSED'} |")
    print(f"| floor of `--help`: `python -c 'import typer'` | {ms(runs['typer']):.0f} ms | | --help = {help_ms / ms(runs['typer']):.2f} × this floor |")
    floor_ms = ms(runs["python"]) + in_ms
    print(f"| floor: `python -c pass` / `python -S -c pass` start-up | {ms(runs['python']):.0f} / {ms(runs['python-S']):.0f} ms | | |")
    floor_note = f"ratio at the floor = {floor_ms / ms(runs['mjml']):.2f}" if "mjml" in runs else ""
    print(f"| floor: `python -c pass` + in-process render (imports excluded) | {floor_ms:.0f} ms | | {floor_note} |")
    deps_ms = ms(runs["deps"]) + in_ms
    deps_note = f"ratio at this floor = {deps_ms / ms(runs['mjml']):.2f}" if "mjml" in runs else ""
    print(f"| floor: `python -c 'import typer, jinja2, markdown_it, mjml, css_inline'` + in-process render | {deps_ms:.0f} ms | | {deps_note} |")
    print(f"| our own start-up (render wall time - that floor) | {ours_ms - deps_ms:.0f} ms | | |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
