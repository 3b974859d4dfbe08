"""`newsletter report`: the letter's year for funders, as an HTML page and an .xlsx workbook."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import _


@app.command(
    help=_(
        "Write the letter's report for a period: issues sent, rates, list size, most clicked items, network.\n\n"
        "One self-contained HTML page (prints to PDF from a browser) and the same tables as an .xlsx workbook.\n\n"
        "Example: newsletter report --from 2026-01 --to 2026-12 --out reports/"
    )
)
def report(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option("--from", metavar=_("YYYY-MM"), help=_("First month, YYYY-MM (default: January of this year)."), show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", metavar=_("YYYY-MM"), help=_("Last month, YYYY-MM (default: December of the first month's year)."), show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help=_("Folder to write the report into (default: reports/ in the workspace)."), show_default=False)] = None,
    cached: Annotated[bool, typer.Option("--cached", help=_("Use the figures last read (stored in the state); no network."))] = False,
) -> None:
    """`newsletter report` (help text in the decorator)."""
    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    today = dt.datetime.now(settings.tz).date()
    first = app_ctx.guard(lambda: _month(start, "--from")) if start else today.replace(month=1, day=1)
    last = app_ctx.guard(lambda: _month(end, "--to")) if end else first.replace(month=12)
    if last < first:
        app_ctx.fail(_("--to {end} is before --from {start}").format(end=f"{last:%Y-%m}", start=f"{first:%Y-%m}"), code=ExitCode.USAGE)
    from newsletter.reporting.pipeline import write_letter_report

    clock = lambda: dt.datetime.now(settings.tz)  # noqa: E731
    folder = settings.root / "reports" if out is None else out.resolve()
    # Reading the figures writes them into state/campaigns.json, as `stats` does: one command at a time.
    with app_ctx.workspace_lock(settings, "report"):
        result = app_ctx.guard(lambda: write_letter_report(settings, start=first, end=last, out_dir=folder, cached=cached, now=clock,
                                                           policy=None if cached else app_ctx.retry_policy()))
    output = app_ctx.output
    for note in result.notes:
        output.warn(note)
    if not result.year.issues:
        output.warn(_("no issue was sent between {start} and {end}: the report is empty").format(start=f"{first:%Y-%m}", end=f"{last:%Y-%m}"))
    output.note(_("Wrote {html}").format(html=result.files.html))
    output.note(_("Wrote {xlsx}").format(xlsx=result.files.xlsx))


def _month(value: str, option: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        from newsletter.errors import UsageError

        raise UsageError(_("{option} {value} is not a month").format(option=option, value=value), hint=_("write it YYYY-MM, e.g. 2026-01")) from None
