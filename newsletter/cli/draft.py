"""Commands of the draft stage: `draft` and `sources check`."""

import datetime as dt
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import _


@app.command(
    help=_(
        "Draft issues/YYYY-MM.md from the veille feeds and the actor map.\n\n"
        "Keeps what is new since the previous issue and not yet published; an existing draft is "
        'never overwritten: new candidates are appended under "À trier".\n\n'
        "Example: newsletter draft --month 2026-12"
    )
)
def draft(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", metavar=_("YYYY-MM"), help=_("The issue's month, YYYY-MM, for example 2026-12 (default: the current month).")),
    ] = None,
    # A string, read below: Click's own date type would answer a typo with a strptime format ('%Y-%m-%d').
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar=_("YYYY-MM-DD"),
            help=_("Window start, YYYY-MM-DD, for example 2026-11-08 (default: when the previous sent issue's draft fetched its sources)."),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Write a fresh file even if the month's draft exists (a backup is kept next to it)."))] = False,
    today_opt: Annotated[dt.datetime | None, typer.Option("--today", formats=["%Y-%m-%d"], hidden=True, help=_("Pin today's date (tests, demos)."))] = None,
) -> None:
    # The help is the decorator's (translated): draft the month's issue from the sources.
    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    from newsletter.cli.printers import print_draft_report, progress_bar
    from newsletter.draft.pipeline import draft_issue
    from newsletter.sources.collect import count_sources

    start = app_ctx.guard(lambda: _day(since, "--since")) if since else None
    now = dt.datetime.now(settings.tz)
    if today_opt:  # a pinned day keeps the time of day, so two --force backups never share a name
        now = dt.datetime.combine(today_opt.date(), now.timetz())
    with app_ctx.workspace_lock(settings, "draft"), progress_bar(app_ctx.output, count_sources(settings), _("Fetching sources")) as advance:
        result = app_ctx.guard(
            lambda: draft_issue(
                settings, today=now.date(), month=month, since=start, force=force, now=now, on_progress=advance
            )
        )
    print_draft_report(app_ctx.output, result)
    if result.all_failed:
        hint = (
            _("no site could be reached at all: check this computer's internet connection (or proxy), then run the command again")
            if result.offline
            else _("run `newsletter sources check` to see each source's status")
        )
        app_ctx.fail(_("every source failed, so no draft was written"), hint=hint)


def _day(value: str, option: str) -> dt.date:
    """A day written YYYY-MM-DD, or a usage error in words."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        from newsletter.errors import UsageError

        raise UsageError(
            _("{option} {value} is not a date").format(option=option, value=value), hint=_("write it YYYY-MM-DD, for example {option} 2026-11-08").format(option=option)
        ) from None


sources_app = typer.Typer(no_args_is_help=True, help=_("Inspect the veille feeds and the actor map."))
app.add_typer(sources_app, name="sources")


@sources_app.command(
    "check",
    help=_(
        "List every feed and the actor map with its status, last item date and item count.\n\n"
        "A web page given instead of a feed shows the feed found by auto-discovery. Exit 1 when a source fails.\n\n"
        "Example: newsletter sources check"
    ),
)
def sources_check(ctx: typer.Context) -> None:
    # The help is the decorator's (translated): every source's status, without drafting.
    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    from newsletter.cli.printers import print_check_table, progress_bar
    from newsletter.sources.collect import check_sources, count_sources, no_source_warning

    if count_sources(settings) == 0:
        app_ctx.output.warn(no_source_warning(settings))
        return
    with progress_bar(app_ctx.output, count_sources(settings), _("Checking sources")) as advance:
        reports = app_ctx.guard(lambda: check_sources(settings, now=dt.datetime.now(settings.tz), on_progress=advance))
    print_check_table(app_ctx.output, reports)
    if any(report.failed for report in reports):
        raise typer.Exit(int(ExitCode.FAILURE))
