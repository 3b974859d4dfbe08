"""`newsletter defi …`: the Défi Moov'IDF results: template, import, report, section."""

from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import IssueArg, app, app_context
from newsletter.i18n import _

defi_app = typer.Typer(
    no_args_is_help=True,
    help=_("The Défi Moov'IDF results: an input file to fill in, its import and checks, the report, the newsletter's section."),
)
app.add_typer(defi_app, name="defi")

YearOpt = Annotated[int | None, typer.Option("--year", metavar=_("YEAR"), help=_("The year's results to use (default: the latest imported)."), show_default=False)]


@defi_app.command(
    "template",
    help=_("Write an empty input file for the schools' counts (never overwrites a file).\n\nExample: newsletter defi template comptages-2027.xlsx"),
)
def template(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar=_("FILE"), help=_("The file to write: .xlsx (with an instructions sheet) or .csv."), show_default=False)],
) -> None:
    """`newsletter defi template` (help text in the decorator)."""
    from newsletter.cli.printers import print_defi_template
    from newsletter.defi.template import write_template

    app_ctx = app_context(ctx)
    print_defi_template(app_ctx.output, app_ctx.guard(lambda: write_template(file)))


@defi_app.command(
    "import",
    help=_(
        "Check every row of a counts file and store the year's results in defi/<year>.json.\n\n"
        "Nothing is imported while a row has a problem: each one is listed with its row number.\n\n"
        "Example: newsletter defi import comptages/defi-moov-idf-2026.csv"
    ),
)
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar=_("FILE"), help=_("The counts: the template filled in, or a form's export (.csv or .xlsx)."), show_default=False)],
) -> None:
    """`newsletter defi import` (help text in the decorator)."""
    from newsletter.cli.printers import print_defi_import
    from newsletter.defi.store import DEFI_DIR, import_file

    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    with app_ctx.workspace_lock(settings, "defi import"):
        result = app_ctx.guard(lambda: import_file(file, settings.root / DEFI_DIR))
    print_defi_import(app_ctx.output, result, source=file)


@defi_app.command(
    "report",
    help=_("Write the year's results as an HTML page with charts and an .xlsx workbook.\n\nExample: newsletter defi report --year 2026 --out reports/"),
)
def report(
    ctx: typer.Context,
    year: YearOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help=_("Folder for the report's files (default: reports/ in the workspace)."), show_default=False)] = None,
) -> None:
    """`newsletter defi report` (help text in the decorator)."""
    from newsletter.cli.printers import print_defi_report
    from newsletter.defi.report import write_defi_report

    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    data, files = app_ctx.guard(lambda: write_defi_report(settings, year=year, out_dir=out))
    print_defi_report(app_ctx.output, data.year, files)


@defi_app.command(
    "section",
    help=_(
        "Write the key figures, the podium per level and a chart into the issue's Défi section.\n\n"
        "The section is the one with id \"defi\" in newsletter.toml; the chart goes into images/.\n\n"
        "Example: newsletter defi section issues/2027-06.md"
    ),
)
def section(
    ctx: typer.Context,
    issue: IssueArg,
    year: YearOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the Défi block even if it was edited since it was written."))] = False,
) -> None:
    """`newsletter defi section` (help text in the decorator)."""
    from newsletter.cli.printers import print_defi_section
    from newsletter.defi.section import write_section

    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    with app_ctx.workspace_lock(settings, "defi section"):
        result = app_ctx.guard(lambda: write_section(settings, issue, year=year, force=force))
    print_defi_section(app_ctx.output, result)


__all__ = ["defi_app", "import_", "report", "section", "template"]
