"""`newsletter archive`: the web archive of the sent issues."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context


@app.command()
def archive(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Folder of the site (default: site/ of the workspace).")] = None,
    include_all: Annotated[bool, typer.Option("--all", help="Publish every issue, not only those sent (per the state).")] = False,
) -> None:
    """Build the web archive: one page per sent issue, an index and an Atom feed (a static site).

    Example: newsletter archive --out site/
    """
    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    import datetime as dt

    from newsletter.archive import build_archive
    from newsletter.cli.printers import print_archive_report

    now = dt.datetime.now(settings.tz)
    with app_ctx.workspace_lock(settings, "archive"):
        report = app_ctx.guard(lambda: build_archive(settings, out_dir=out, include_all=include_all, now=now))
    print_archive_report(app_ctx.output, report)
