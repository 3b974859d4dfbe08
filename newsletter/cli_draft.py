"""Commands of the draft capability: `draft` and `sources check` (registered by cli.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newsletter.errors import ExitCode

if TYPE_CHECKING:
    from newsletter.console import Output
    from newsletter.sources import SourceReport


@contextmanager
def progress_bar(output: Output, total: int, label: str) -> Iterator[Callable[[str], None]]:
    """A stderr progress bar (hidden by -q); yields the callback that advances it."""
    if output.quiet or total == 0:
        yield lambda _name: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=output.err, transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)

        def advance(name: str) -> None:
            progress.update(task, advance=1, description=f"{label} ({name})")

        yield advance


def _date(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value else "—"


def print_draft_table(output: Output, reports: list[SourceReport]) -> None:
    """Per source: status, found, kept, dropped with reasons; failures with their reason."""
    from rich.table import Table

    table = Table(title="Sources", title_justify="left")
    for column in ("source", "status", "found", "kept", "dropped"):
        table.add_column(column, justify="right" if column in {"found", "kept"} else "left", overflow="fold")
    for report in reports:
        if report.failed:
            table.add_row(report.name, f"[red]failed[/red]: {report.error}", "—", "—", "—")
            continue
        dropped = ", ".join(f"{count} {reason}" for reason, count in sorted(report.dropped.items())) or "—"
        status = str(report.status) + (f" → {report.final_url}" if report.final_url else "")
        table.add_row(report.name, status, str(report.found), str(report.kept), dropped)
    output.err.print(table)
    for report in reports:
        for warning in report.warnings:
            output.warn(f"{report.name}: {warning}")


def register(app: typer.Typer, app_context: Callable[[typer.Context], Any]) -> None:
    """Add this capability's commands to the app."""

    @app.command()
    def draft(
        ctx: typer.Context,
        month: Annotated[str | None, typer.Option("--month", help="The issue's month, YYYY-MM (default: the current month).")] = None,
        since: Annotated[
            dt.datetime | None,
            typer.Option("--since", formats=["%Y-%m-%d"], help="Window start, YYYY-MM-DD (default: the previous issue's date)."),
        ] = None,
        force: Annotated[bool, typer.Option("--force", help="Write a fresh file even if the month's draft exists (a backup is kept next to it).")] = False,
        today_opt: Annotated[dt.datetime | None, typer.Option("--today", formats=["%Y-%m-%d"], hidden=True, help="Pin today's date (tests, demos).")] = None,
    ) -> None:
        """Draft issues/YYYY-MM.md from the veille feeds and the actor map.

        Keeps what is new since the previous issue and not yet published; an existing draft is
        never overwritten: new candidates are appended under "À trier".

        Example: newsletter draft --month 2026-12
        """
        app_ctx = app_context(ctx)
        settings = app_ctx.settings()
        from newsletter.draft import draft_issue
        from newsletter.sources.collect import count_sources

        now = dt.datetime.now(settings.tz)
        if today_opt:  # a pinned day keeps the time of day, so two --force backups never share a name
            now = dt.datetime.combine(today_opt.date(), now.timetz())
        today = now.date()
        with progress_bar(app_ctx.output, count_sources(settings), "Fetching sources") as advance:
            result = app_ctx.guard(
                lambda: draft_issue(
                    settings, today=today, month=month, since=since.date() if since else None, force=force, now=now, on_progress=advance
                )
            )
        print_draft_report(app_ctx.output, result)
        if result.all_failed:
            from newsletter.sources.fetch import is_unreachable

            offline = all(is_unreachable(report.error) for report in result.reports)
            hint = (
                "no site could be reached at all: check this computer's internet connection (or proxy), then run the command again"
                if offline
                else "run `newsletter sources check` to see each source's status"
            )
            app_ctx.output.error("every source failed, so no draft was written", hint=hint)
            raise typer.Exit(int(ExitCode.FAILURE))

    sources_app = typer.Typer(no_args_is_help=True, help="Inspect the veille feeds and the actor map.")
    app.add_typer(sources_app, name="sources")

    @sources_app.command("check")
    def sources_check(ctx: typer.Context) -> None:
        """List every feed and the actor map with its status, last item date and item count.

        A web page given instead of a feed shows the feed found by auto-discovery. Exit 1 when a source fails.

        Example: newsletter sources check
        """
        app_ctx = app_context(ctx)
        settings = app_ctx.settings()
        from newsletter.sources.collect import check_sources, count_sources

        with progress_bar(app_ctx.output, count_sources(settings), "Checking sources") as advance:
            reports = app_ctx.guard(lambda: check_sources(settings, now=dt.datetime.now(settings.tz), on_progress=advance))
        print_check_table(app_ctx.output, reports)
        if any(report.failed for report in reports):
            raise typer.Exit(int(ExitCode.FAILURE))


def print_draft_report(output: Output, result: Any) -> None:
    """The summary table, warnings, and the draft's path on stdout."""
    print_draft_table(output, result.reports)
    for warning in result.warnings:
        output.warn(warning)
    if result.action == "not written":
        return
    messages = {
        "created": f"Draft written with {result.added} item(s), window from {result.since}",
        "merged": f"{result.added} new item(s) appended under \"À trier\"; the rest of the file is unchanged",
        "unchanged": "Nothing new since the existing draft: the file is unchanged",
        "replaced": f"Fresh draft written with {result.added} item(s); the previous file was saved as {result.backup}",
    }
    output.note(messages[result.action])
    output.out.print(str(result.path), markup=False)


def print_check_table(output: Output, reports: list[SourceReport]) -> None:
    """The `sources check` table, on stdout."""
    from rich.table import Table

    table = Table(title="Sources", title_justify="left")
    for column in ("source", "url", "status", "last item", "items"):
        table.add_column(column, overflow="fold", justify="right" if column == "items" else "left")
    for report in reports:
        if report.failed:
            status = f"failed: {report.error}"
        elif report.final_url:
            status = f"{report.status}: {report.final_url}"
        else:
            status = str(report.status)
        table.add_row(report.name, report.url, status, _date(report.last_item), "—" if report.failed else str(report.found))
    output.out.print(table)
    for report in reports:
        for warning in report.warnings:
            output.warn(f"{report.name}: {warning}")
