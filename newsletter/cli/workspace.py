"""`newsletter init`: a new workspace."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import _


def interactive() -> bool:
    """Whether a person can answer a question (stdin is a terminal)."""
    return sys.stdin.isatty()


@app.command(
    help=_("Create a new workspace: a commented newsletter.toml, issues/ and templates/. Never overwrites.\n\nExample: newsletter init ma-lettre --number 36")
)
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar=_("DIR"), help=_("Folder of the new workspace."))] = Path("."),
    number: Annotated[
        int | None,
        typer.Option(
            "--number", metavar="N",  # no min=0: Click would print "x>=0" in the help; checked below
            help=_("Number of the last issue already sent (0 if none), so that the first draft continues the series. Asked in a terminal; 0 otherwise."),
        ),
    ] = None,
) -> None:
    # The help is the decorator's (translated): write a new workspace, never over an existing one.
    app_ctx = app_context(ctx)
    from newsletter.workspace import init_workspace

    if number is not None and number < 0:
        app_ctx.fail(_("--number {number}: give the last issue's number, 0 or more").format(number=number), code=ExitCode.USAGE)
    asked = number is None and interactive()
    if asked:
        import click

        number = typer.prompt(_("Number of the last issue already sent (0 if this is the first)"), default=0, type=click.IntRange(min=0), err=True)
    first = (number or 0) + 1
    created = app_ctx.guard(lambda: init_workspace(directory, first_number=first))
    for path in created:
        app_ctx.output.note(_("created {path}").format(path=path))
    if number is None:
        app_ctx.output.note(
            _("The first draft will be issue number {first}. To continue a series, give the last issue's number: `newsletter init --number N`, "
              "or edit first_number in newsletter.toml.").format(first=first)
        )
    else:
        app_ctx.output.note(_("The first draft will be issue number {first} (first_number in newsletter.toml).").format(first=first))
    app_ctx.output.note(_("Next: edit {config}, then run `newsletter draft` in {directory}.").format(config=directory / "newsletter.toml", directory=directory))
