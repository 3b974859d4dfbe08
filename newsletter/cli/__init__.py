"""The `newsletter` command line: the only package that imports typer or rich, prints or prompts.

Each command parses its arguments, loads the settings, calls one core function, prints the
result through `printers`, and maps `NewsletterError` to an exit code (`app.AppContext.guard`).
Importing this package registers every command on `app`.
"""

from newsletter.cli import archive, defi, demo, draft, render, report, send, stats, workspace
from newsletter.cli.app import app

__all__ = ["app", "archive", "defi", "demo", "draft", "render", "report", "send", "stats", "workspace"]
