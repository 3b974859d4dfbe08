"""Preview and link check: no benchmark, on purpose; prints the note `make bench` puts in RESULTS.md.

The preview re-renders with `render_issue_file`, already measured by bench/render.py, and
polls mtimes every 0.2 s; the link check is bound by the partners' servers (network latency,
8 requests at a time), not by our code. A figure measured here would say nothing useful.
"""

from __future__ import annotations


def main() -> None:
    print("## preview and link check\n")
    print(
        "Nothing to benchmark: a preview re-render is one `render_issue_file` call (see render "
        "above) after a 0.2 s mtime poll, and `check --links` waits on remote servers (8 at a "
        "time, 10 s timeout each), not on our code."
    )


if __name__ == "__main__":
    main()
