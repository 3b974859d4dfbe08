"""Commands of the stats capability (registered on the app by cli.py): `stats` and `archive`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newsletter.choices import OutputFormat

if TYPE_CHECKING:
    from newsletter.archive import ArchiveReport
    from newsletter.config import Settings
    from newsletter.console import Output
    from newsletter.stats import StatsReport


def print_stats_table(output: Output, report: StatsReport) -> None:
    """The figures as a table on stdout (rates on delivered messages), then the links of one issue."""
    from rich.console import Console
    from rich.table import Table

    from newsletter.stats import percent

    table = Table(title="Campaign statistics (rates on delivered messages)", title_justify="left")
    for header in ("Issue", "Provider", "Sent", "Delivered", "Opens", "Open rate", "Clicks", "Click rate",
                   "Hard b.", "Soft b.", "Unsub.", "Complaints", "Read at"):
        table.add_column(header, justify="left" if header in ("Issue", "Provider", "Read at") else "right", no_wrap=True)
    for row in report.rows:
        f = row.figures
        counts = ["—"] * 10 if f is None else [
            str(f.sent), str(f.delivered), str(f.unique_opens), percent(row.open_rate), str(f.unique_clicks),
            percent(row.click_rate), str(f.hard_bounces), str(f.soft_bounces), str(f.unsubscriptions), str(f.complaints),
        ]
        read_at = (row.read_at[:16].replace("T", " ") if row.read_at else "—") + (" (cached)" if row.source == "cached" else "")
        table.add_row(row.issue, row.provider, *counts, read_at)
    # A report is read whole: never squeeze it below 160 columns (a pipe or a file has no width).
    console = Console(file=output.out.file, width=max(output.out.width, 160), highlight=False, no_color=output.out.no_color)
    console.print(table)
    for row in report.rows:
        if row.links is None:
            continue
        links = Table(title=f"Clicks per link — {row.issue} on {row.provider}", title_justify="left")
        links.add_column("Clicks", justify="right")
        links.add_column("Item")
        links.add_column("Section")
        links.add_column("URL", overflow="fold")
        for link in row.links:
            links.add_row(str(link.clicks), link.item or "(not an item of the issue)", link.section or "", link.url)
        if not row.links:
            links.add_row("0", "(no click yet)", "", "")
        console.print(links)


def register(app: typer.Typer, app_context: Callable[[typer.Context], Any]) -> None:
    """Add this capability's commands to the app."""

    @app.command()
    def stats(
        ctx: typer.Context,
        issues: Annotated[list[Path] | None, typer.Argument(help="Issue files (default: every issue that has a campaign).", metavar="[ISSUE]...", show_default=False)] = None,
        fmt: Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")] = OutputFormat.table,
        out: Annotated[Path | None, typer.Option("--out", help="Write the csv or json to this file instead of stdout.")] = None,
        cached: Annotated[bool, typer.Option("--cached", help="Show the figures last read (stored in the state); no network.")] = False,
    ) -> None:
        """Opens, clicks, bounces and unsubscriptions of each issue's campaign (rates on delivered messages).

        With one issue, also the clicks per link, mapped to the items of the issue.

        Example: newsletter stats issues/2026-12.md --format csv --out rapport.csv
        """
        app_ctx = app_context(ctx)
        from newsletter.errors import ExitCode

        if out is not None and fmt is OutputFormat.table:
            app_ctx.fail("--out needs --format csv or --format json", code=ExitCode.USAGE)
        settings = app_ctx.settings()
        import datetime as dt

        from newsletter.stats import collect_stats, stats_csv, stats_json

        clock = lambda: dt.datetime.now(settings.tz)  # noqa: E731
        report = app_ctx.guard(lambda: collect_stats(settings, issue_paths=issues or (), cached=cached, now=clock))
        for row in report.rows:
            if row.note:
                (app_ctx.output.warn if row.failed or row.figures is None else app_ctx.output.note)(f"{row.issue} on {row.provider}: {row.note}")
        if not report.rows:
            app_ctx.output.note("No issue has a campaign yet: send one with `newsletter send ISSUE`, then come back.")
        if fmt is OutputFormat.table:
            if report.rows:
                print_stats_table(app_ctx.output, report)
        else:
            text = stats_json(report) if fmt is OutputFormat.json else stats_csv(report)
            if out is None:
                app_ctx.output.out.file.write(text)
            else:
                from newsletter.fsutil import write_atomic

                app_ctx.guard(lambda: write_atomic(out, text))
                app_ctx.output.note(f"Wrote {out}")
        if report.failed:
            raise typer.Exit(int(ExitCode.FAILURE))

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
        report = app_ctx.guard(lambda: run_archive(settings, out=out, include_all=include_all))
        print_archive_report(app_ctx.output, report)


def run_archive(settings: Settings, *, out: Path | None, include_all: bool) -> ArchiveReport:
    """`newsletter archive` (and the demo's last step): build the site now."""
    import datetime as dt

    from newsletter.archive import build_archive

    return build_archive(settings, out_dir=out, include_all=include_all, now=dt.datetime.now(settings.tz))


def print_archive_report(output: Output, report: ArchiveReport) -> None:
    """Warnings and skipped issues on stderr; the index and feed paths on stdout."""
    for warning in report.warnings:
        output.warn(warning)
    for path, reason in report.skipped:
        output.warn(f"skipped {path}: {reason}. Fix it (`newsletter check {path}` lists the problems), then run `newsletter archive` again")
    if report.unpublished:
        output.note(f"Not published (not sent yet): {', '.join(report.unpublished)}; use --all to publish them too")
    output.note(f"{len(report.entries)} issue page{'s' if len(report.entries) != 1 else ''} written in {report.out_dir}")
    if report.images:
        output.note(f"{report.images} image{'s' if report.images != 1 else ''} from images/ published in {report.out_dir / 'images'}")
    output.out.print(f"index: {report.index}", markup=False)
    output.out.print(f"feed:  {report.feed}", markup=False)
