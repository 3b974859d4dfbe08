"""`newsletter init`: a new workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.cli.output import escape


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder of the new workspace.")] = Path("."),
) -> None:
    """Create a new workspace: a commented newsletter.toml, issues/ and templates/. Never overwrites.

    Example: newsletter init ma-lettre
    """
    app_ctx = app_context(ctx)
    from newsletter.workspace import init_workspace

    created = app_ctx.guard(lambda: init_workspace(directory))
    for path in created:
        app_ctx.output.note(f"created {escape(str(path))}")
    app_ctx.output.note(f"Next: edit {escape(str(directory / 'newsletter.toml'))}, then run `newsletter draft` in {escape(str(directory))}.")
