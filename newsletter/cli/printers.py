"""What the commands print: reports, tables and progress bars (rich, on the CLI's Output)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter.cli.output import escape

if TYPE_CHECKING:
    from newsletter.archive import ArchiveReport
    from newsletter.cli.output import Output
    from newsletter.defi.section import SectionResult
    from newsletter.defi.store import ImportResult
    from newsletter.draft.pipeline import DraftResult
    from newsletter.publish.pipeline import PublishReport
    from newsletter.render.pipeline import RenderResult
    from newsletter.reporting import ReportFiles
    from newsletter.send import SendReport
    from newsletter.sources import SourceReport
    from newsletter.sources.collect import SourceProgress
    from newsletter.stats import StatsReport
    from newsletter.typography import FixResult


def print_render_report(output: Output, result: RenderResult) -> None:
    """Size against Gmail's limit, counts, problems with their Markdown line, and the files."""
    from newsletter.render.checks import GMAIL_CLIP_BYTES, Level

    stats = result.stats
    percent = 100 * stats.html_bytes / GMAIL_CLIP_BYTES
    colour = "green" if percent < 75 else "yellow" if percent < 100 else "red"
    output.note(
        markup=True,
        message=f"[bold]{escape(str(result.issue.path))}[/bold] ({result.provider.value}): "
        f"[{colour}]{stats.html_bytes / 1024:.1f} KB[/{colour}] of Gmail's 102 KB ({percent:.0f} %), "
        f"{stats.sections} sections, {stats.items} items, {stats.links} links, {stats.images} images"
    )
    path = result.issue.path
    for problem in result.problems:
        where = f"{path}:{problem.line}: " if problem.line else ""
        label = "[bold red]error[/bold red]" if problem.level == Level.error else "[yellow]warning[/yellow]"
        text = escape(output.redact(f"{where}{problem.message}"))
        output.print_err(f"  {label} {text} [dim]({problem.code})[/dim]")
    errors, warnings = len(result.errors), len(result.warnings)
    if errors or warnings:
        output.print_err(f"  {errors} error(s), {warnings} warning(s)")
    else:
        output.note("  [green]all checks passed[/green]", markup=True)
    for written in (result.html_path, result.text_path, result.mjml_path):
        if written is not None:
            output.note(f"  wrote {written}")
    if errors:
        output.print_err("  [red]Fix the errors above before sending.[/red]")


def visible_spaces(text: str) -> str:
    """`text` with its no-break spaces named, so that a change of space can be seen."""
    from newsletter.french import NBSP, NNBSP
    from newsletter.i18n import _

    return text.replace(NNBSP, _("[narrow nbsp]")).replace(NBSP, _("[nbsp]"))


def print_typography_fixes(output: Output, path: Path, result: FixResult) -> None:
    """What `check --fix` changed: each line's changed words, before → after, and the backup."""
    from newsletter.i18n import _, ngettext
    from newsletter.typography import change_excerpts

    if not result.changes:
        output.note(_("French typography of {path}: nothing to fix.").format(path=path))
        return
    count = len(result.changes)
    output.note(
        ngettext("Fixed the French typography of {path} on {count} line; the file as it was is in {backup}",
                 "Fixed the French typography of {path} on {count} lines; the file as it was is in {backup}", count)
        .format(path=path, count=count, backup=result.backup)
    )
    for change in result.changes:
        for before, after in change_excerpts(change.before, change.after):
            output.note(_("  line {line}: “{before}” → “{after}”").format(line=change.line, before=visible_spaces(before), after=visible_spaces(after)))


@contextmanager
def progress_bar(output: Output, total: int, label: str) -> Iterator[Callable[[SourceProgress], None]]:
    """A stderr progress bar (hidden by -q) naming the source it waits for; yields the callback that advances it."""
    if output.quiet or total == 0:
        yield lambda _progress: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=output.err, transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)

        def advance(step: SourceProgress) -> None:
            from newsletter.i18n import _

            waiting = _("{label}: waiting for {source}").format(label=label, source=step.waiting) if step.waiting else label
            progress.update(task, advance=1, description=escape(waiting))

        yield advance


@contextmanager
def byte_progress(output: Output, label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A stderr progress bar in bytes (hidden by -q), drawn only once the core reports a transfer;
    yields the core's progress callback: (file being sent, bytes sent, bytes in all)."""
    # The bar (and rich) is set up on the first transfer only: a publish with nothing to send
    # starts no console at all, and a log file gets the report, not a bar's leftovers.
    bar: list[tuple[Any, Any]] = []

    def update(path: str, sent: int, total: int) -> None:
        if not bar:
            if output.quiet or not output.err.is_terminal:
                bar.append((None, None))
            else:
                from rich.progress import (
                    BarColumn,
                    DownloadColumn,
                    Progress,
                    TextColumn,
                    TransferSpeedColumn,
                )

                progress = Progress(
                    TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    console=output.err, transient=True,
                )
                progress.start()
                bar.append((progress, progress.add_task(label, total=None)))
        progress, task = bar[0]
        if progress is not None:
            progress.update(task, completed=sent, total=total, description=f"{label} {escape(path)}")

    try:
        yield update
    finally:
        if bar and bar[0][0] is not None:
            bar[0][0].stop()


def print_publish_report(output: Output, report: PublishReport) -> None:
    """What was sent, left as it was and removed (stderr), and the counts (stdout)."""
    from newsletter.formats import integer
    from newsletter.i18n import _

    for path in report.sent:
        if report.dry_run:
            output.note(_("Dry run: would send {path}").format(path=path))
        else:
            output.detail(_("sent {path}").format(path=path))
    for path in report.removed:
        output.note((_("Dry run: would remove {path}") if report.dry_run else _("removed {path} (no longer in the site)")).format(path=path))
    line = (
        _("{target}: {sent} file(s) to send ({size} KB), {unchanged} unchanged, {removed} to remove (dry run: nothing was sent)")
        if report.dry_run
        else _("{target}: {sent} file(s) sent ({size} KB), {unchanged} unchanged, {removed} removed")
    )
    output.print_out(
        line.format(
            target=report.target, sent=integer(len(report.sent)), size=integer(round(report.bytes / 1024)),
            unchanged=integer(len(report.unchanged)), removed=integer(len(report.removed)),
        ),
        markup=False,
    )


def _date(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value else "—"


def print_draft_table(output: Output, reports: list[SourceReport]) -> None:
    """Per source: status, found, kept, dropped with reasons; failures with their reason."""
    if not reports:  # no source configured: the draft's warning says so, an empty table would not
        return
    from rich.table import Table
    from rich.text import Text  # cells of user text: never read as markup

    table = Table(title="Sources", title_justify="left")
    for column in ("source", "status", "found", "kept", "dropped"):
        table.add_column(column, justify="right" if column in {"found", "kept"} else "left", overflow="fold")
    for report in reports:
        if report.failed:
            table.add_row(Text(report.name), f"[red]failed[/red]: {escape(report.error or '')}", "—", "—", "—")
            continue
        dropped = ", ".join(f"{count} {reason}" for reason, count in sorted(report.dropped.items())) or "—"
        status = str(report.status) + (f" → {report.final_url}" if report.final_url else "")
        table.add_row(Text(report.name), Text(status), str(report.found), str(report.kept), Text(dropped))
    output.err.print(table)
    for report in reports:
        for warning in report.warnings:
            output.warn(f"{report.name}: {warning}")


def print_draft_report(output: Output, result: DraftResult) -> None:
    """The summary table, warnings, and the draft's path on stdout."""
    print_draft_table(output, result.reports)
    for warning in result.warnings:
        output.warn(warning)
    if result.action == "not written":
        return
    if result.window_start is not None:
        start = result.window_start
        when = start.strftime("%Y-%m-%d") if start.time() == dt.time() else start.strftime("%Y-%m-%d %H:%M")
        output.note(f"Window from {when}: {result.window_origin}")
    messages = {
        "created": f"Draft written with {result.added} item(s), window from {result.since}",
        "merged": f"{result.added} new item(s) appended under \"À trier\"; the rest of the file is unchanged",
        "unchanged": "Nothing new since the existing draft: the file is unchanged",
        "replaced": f"Fresh draft written with {result.added} item(s); the previous file was saved as {result.backup}",
    }
    output.note(messages[result.action])
    output.print_out(str(result.path), markup=False)


def print_check_table(output: Output, reports: list[SourceReport]) -> None:
    """The `sources check` table, on stdout."""
    from rich.table import Table
    from rich.text import Text  # cells of user text: never read as markup

    table = Table(title="Sources", title_justify="left")
    for column in ("source", "url", "status", "last item", "items"):
        table.add_column(column, overflow="fold", justify="right" if column == "items" else "left")
    for report in reports:
        if report.failed:
            status = f"failed: {report.error or ''}"
        elif report.final_url:
            status = f"{report.status}: {report.final_url}"
        else:
            status = str(report.status)
        table.add_row(Text(report.name), Text(report.url), Text(status), _date(report.last_item), "—" if report.failed else str(report.found))
    output.out.print(table)
    for report in reports:
        for warning in report.warnings:
            output.warn(f"{report.name}: {warning}")


def format_moment(moment: dt.datetime) -> str:
    """A schedule time as the user reads it, with its offset: '2026-12-08 09:30 (UTC+0100)'."""
    return moment.strftime("%Y-%m-%d %H:%M (UTC%z)")


def print_send_report(output: Output, report: SendReport, *, outbox_dir: Path | None) -> None:
    """What is on the provider now (stdout), and what was done (stderr)."""
    for step in report.actions:
        output.note(("Dry run: " if report.dry_run else "") + step[0].upper() + step[1:])
    for warning in report.warnings:
        output.warn(warning)
    out = output
    out.print_out(f"provider:   {report.provider}", markup=False)
    out.print_out(f"campaign:   {report.campaign_id or '(none yet)'}  {report.name}", markup=False)
    out.print_out(f"subject:    {report.subject}", markup=False)
    out.print_out(f"sender:     {report.sender}", markup=False)
    if report.provider == "outbox":
        out.print_out("list:       none (the outbox only writes files; nothing leaves this computer)", markup=False)
    for lst in report.lists if report.provider != "outbox" else []:
        out.print_out(f"list:       {lst.name} (id {lst.id}): {lst.subscribers} subscribers", markup=False)
    status = report.status
    if report.scheduled_at is not None and report.status == "scheduled":
        status += f" for {format_moment(report.scheduled_at)}"
    out.print_out(f"status:     {status}", markup=False)
    if report.url:
        out.print_out(f"link:       {report.url}", markup=False)
    if outbox_dir is not None and report.campaign_id:
        out.print_out(f"files:      {outbox_dir / report.campaign_id}", markup=False)


def print_stats_table(output: Output, report: StatsReport) -> None:
    """The figures as a table on stdout (rates on delivered messages), then the links of one issue."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # cells of user text: never read as markup

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
        table.add_row(Text(row.issue), row.provider, *counts, read_at)
    # A report is read whole: never squeeze it below 160 columns (a pipe or a file has no width).
    console = Console(file=output.out.file, width=max(output.out.width, 160), highlight=False, no_color=output.out.no_color)
    console.print(table)
    for row in report.rows:
        if row.links is None:
            continue
        links = Table(title=f"Clicks per link — {escape(row.issue)} on {row.provider}", title_justify="left")
        links.add_column("Clicks", justify="right")
        links.add_column("Item")
        links.add_column("Section")
        links.add_column("URL", overflow="fold")
        for link in row.links:
            links.add_row(str(link.clicks), Text(link.item or "(not an item of the issue)"), Text(link.section or ""), Text(link.url))
        if not row.links:
            links.add_row("0", "(no click yet)", "", "")
        console.print(links)


def print_archive_report(output: Output, report: ArchiveReport) -> None:
    """Warnings and skipped issues on stderr; the index and feed paths on stdout."""
    for warning in report.warnings:
        output.warn(warning)
    for path, reason in report.skipped:
        output.warn(f"skipped {path}: {reason}. Fix it (`newsletter check {path}` lists the problems), then run `newsletter archive` again")
    for stem, reason in report.unconfirmed:
        output.warn(f"could not confirm whether {stem} was sent ({reason}): its page, if any, is kept as it was; run `newsletter archive` again once the provider can be reached")
    confirmed_kept = [stem for stem in report.kept if stem not in dict(report.unconfirmed)]
    if confirmed_kept:
        output.note(f"Scheduled or being sent, not listed yet: {', '.join(confirmed_kept)}; a page already published for it is kept")
    if report.unpublished:
        output.note(f"Not published (not sent yet): {', '.join(report.unpublished)}; use --all to publish them too")
    pages = len(report.entries)
    unchanged = pages - len(report.rebuilt)
    rebuilt = f" ({len(report.rebuilt)} rebuilt, {unchanged} unchanged)" if unchanged > 0 else ""
    output.note(f"{pages} issue page{'s' if pages != 1 else ''} in {report.out_dir}{rebuilt}")
    if report.images:
        output.note(f"{report.images} image{'s' if report.images != 1 else ''} from images/ published in {report.out_dir / 'images'}")
    output.print_out(f"index: {report.index}", markup=False)
    output.print_out(f"feed:  {report.feed}", markup=False)


# -- Défi Moov'IDF ----------------------------------------------------------------------------------


def print_defi_template(output: Output, path: Path) -> None:
    """Where the empty input file is, and what to do with it."""
    from newsletter.i18n import _

    output.note(_("Wrote {path}: one row per class and counting day; then run `newsletter defi import {path}`").format(path=path))


def print_defi_import(output: Output, result: ImportResult, *, source: Path) -> None:
    """Rows imported (or nothing changed), and the columns the file had that were not used."""
    from newsletter.i18n import _, ngettext

    if result.ignored_columns:
        output.note(
            ngettext("Column ignored (not one of the Défi's): {columns}", "Columns ignored (not among the Défi's): {columns}", len(result.ignored_columns)).format(
                columns=", ".join(f"'{name}'" for name in result.ignored_columns)
            )
        )
    if not result.changed:
        output.note(_("{path} already holds these {rows} rows of {source}: nothing changed").format(path=result.path, rows=result.rows, source=source.name))
    elif result.previous_rows is None:
        output.note(_("Imported {rows} rows of {source} into {path} (the {year} results)").format(rows=result.rows, source=source.name, path=result.path, year=result.year))
    else:
        output.note(
            _("Imported {rows} rows of {source} into {path}; they replace the {previous} rows imported before").format(
                rows=result.rows, source=source.name, path=result.path, previous=result.previous_rows
            )
        )


def print_defi_report(output: Output, year: int, files: ReportFiles) -> None:
    from newsletter.i18n import _

    output.note(_("Défi {year} report written:").format(year=year))
    output.note(f"  {files.html}")
    output.note(f"  {files.xlsx}")


def print_defi_section(output: Output, result: SectionResult) -> None:
    from newsletter.i18n import _

    if result.created_section:
        what = _("Added the Défi {year} section to {issue}")
    elif result.replaced_block:
        what = _("Replaced the Défi {year} block of {issue}")
    else:
        what = _("Wrote the Défi {year} results into the Défi section of {issue}")
    output.note(what.format(issue=result.issue, year=result.year))
    output.note(_("  chart {image} ({size} KB), linked as {url}").format(image=result.image, size=round(result.image_bytes / 1024), url=result.image_url))
    output.note(_("  it shows in the email once `newsletter archive` has published images/; check it with `newsletter check {issue}`").format(issue=result.issue))
