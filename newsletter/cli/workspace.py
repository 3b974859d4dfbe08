"""`newsletter init`: a new workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.i18n import _


@app.command(
    help=_("Create a new workspace: a commented newsletter.toml, issues/ and templates/. Never overwrites.\n\nExample: newsletter init ma-lettre")
)
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help=_("Folder of the new workspace."))] = Path("."),
) -> None:
    # The help is the decorator's (translated): write a new workspace, never over an existing one.
    app_ctx = app_context(ctx)
    from newsletter.workspace import init_workspace

    created = app_ctx.guard(lambda: init_workspace(directory))
    for path in created:
        app_ctx.output.note(_("created {path}").format(path=path))
    app_ctx.output.note(_("Next: edit {config}, then run `newsletter draft` in {folder}.").format(config=directory / "newsletter.toml", folder=directory))
