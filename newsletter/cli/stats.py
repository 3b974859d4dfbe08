"""`newsletter stats`: each campaign's figures, as a table, CSV or JSON."""

from pathlib import Path
from typing import Annotated

import typer

from newsletter.choices import OutputFormat
from newsletter.cli.app import app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import _


@app.command(
    help=_(
        "Opens, clicks, bounces and unsubscriptions of each issue's campaign (rates on delivered messages).\n\n"
        "With one issue, also the clicks per link, mapped to the items of the issue.\n\n"
        "Example: newsletter stats issues/2026-12.md --format csv --out rapport.csv"
    )
)
def stats(
    ctx: typer.Context,
    issues: Annotated[
        list[Path] | None,
        typer.Argument(help=_("Issue files (default: every issue that has a campaign)."), metavar=_("[ISSUE]..."), show_default=False),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help=_("table, csv or json."))] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help=_("Write the csv or json to this file instead of stdout."))] = None,
    cached: Annotated[bool, typer.Option("--cached", help=_("Show the figures last read (stored in the state); no network."))] = False,
) -> None:
    # The help is the decorator's (translated); this function reads, prints and writes the figures.
    app_ctx = app_context(ctx)
    if out is not None and fmt is OutputFormat.table:
        app_ctx.fail(_("--out needs --format csv or --format json"), code=ExitCode.USAGE)
    settings = app_ctx.settings()
    issues = [app_ctx.issue_path(settings, path) for path in issues or ()]
    import datetime as dt

    from newsletter.cli.printers import print_stats_table
    from newsletter.stats import collect_stats, stats_csv, stats_json

    clock = lambda: dt.datetime.now(settings.tz)  # noqa: E731
    # The figures and the statuses read are written into state/campaigns.json: one command at a time.
    with app_ctx.workspace_lock(settings, "stats"):
        report = app_ctx.guard(lambda: collect_stats(settings, issue_paths=issues, cached=cached, now=clock, policy=app_ctx.retry_policy()))
    output = app_ctx.output
    for row in report.rows:
        if row.note:
            line = _("{issue} on {provider}: {note}").format(issue=row.issue, provider=row.provider, note=row.note)
            (output.warn if row.failed or row.figures is None else output.note)(line)
    if not report.rows:
        output.note(_("No issue has a campaign yet: send one with `newsletter send ISSUE`, then come back."))
    if fmt is OutputFormat.table:
        if report.rows:
            print_stats_table(output, report)
    else:
        text = stats_json(report) if fmt is OutputFormat.json else stats_csv(report)
        if out is None:
            # Redirected to a file (`> rapport.csv`), a CSV is opened in a spreadsheet, which needs
            # the byte-order mark to read UTF-8; a terminal shows the text as it is.
            stream = output.out.file
            bom = fmt is OutputFormat.csv and not stream.isatty()
            stream.write(("\ufeff" if bom else "") + text)
        else:
            from newsletter.formats import CSV_ENCODING
            from newsletter.fsutil import write_atomic

            # A CSV file is opened in a spreadsheet, which needs the byte-order mark to read UTF-8.
            encoding = CSV_ENCODING if fmt is OutputFormat.csv else "utf-8"
            app_ctx.guard(lambda: write_atomic(out, text, encoding=encoding))
            output.note(_("Wrote {path}").format(path=out))
    if report.failed:
        raise typer.Exit(int(ExitCode.FAILURE))
