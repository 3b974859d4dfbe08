"""`newsletter init`: a new workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context


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
        app_ctx.output.note(f"created {path}")
    app_ctx.output.note(f"Next: edit {directory / 'newsletter.toml'}, then run `newsletter draft` in {directory}.")
