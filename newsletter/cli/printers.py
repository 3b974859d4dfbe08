"""What the commands print: reports, tables and progress bars (rich, on the CLI's Output)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter import formats, i18n
from newsletter.cli.output import escape
from newsletter.i18n import _, ngettext
from newsletter.providers.base import status_words

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


# The render report's figures are small: written here without Babel (formats), whose import
# (~30 ms of CLDR data) `render` does not otherwise pay (tests/cli/test_import_budget.py).
def _small(count: int) -> str:
    return str(count) if abs(count) < 1000 else formats.integer(count)


def _small_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if i18n.language() == "fr" else text


def _small_percent(value: float) -> str:
    return f"{value:.0f}\u00a0%" if i18n.language() == "fr" else f"{value:.0f}%"


def print_render_report(output: Output, result: RenderResult) -> None:
    """Size against Gmail's limit, counts, problems with their Markdown line, and the files."""
    from newsletter.render.checks import GMAIL_CLIP_BYTES, Level

    stats = result.stats
    percent = 100 * stats.html_bytes / GMAIL_CLIP_BYTES
    colour = "green" if percent < 75 else "yellow" if percent < 100 else "red"
    size = _("{size} KB").format(size=_small_decimal(stats.html_bytes / 1024))
    counts = ", ".join((
        ngettext("{n} section", "{n} sections", stats.sections).format(n=_small(stats.sections)),
        ngettext("{n} item", "{n} items", stats.items).format(n=_small(stats.items)),
        ngettext("{n} link", "{n} links", stats.links).format(n=_small(stats.links)),
        ngettext("{n} image", "{n} images", stats.images).format(n=_small(stats.images)),
    ))
    output.note(
        markup=True,
        message=_("{issue} ({provider}): {size} of Gmail's 102 KB ({percent}), {counts}").format(
            issue=f"[bold]{escape(str(result.issue.path))}[/bold]",
            provider=result.provider.value,
            size=f"[{colour}]{size}[/{colour}]",
            percent=_small_percent(percent),
            counts=counts,
        ),
    )
    path = result.issue.path
    for problem in result.problems:
        where = f"{path}:{problem.line}: " if problem.line else ""
        label = "[bold red]" + _("error") + "[/bold red]" if problem.level == Level.error else "[yellow]" + _("warning") + "[/yellow]"
        text = escape(output.redact(f"{where}{problem.message}"))
        output.print_err(f"  {label} {text} [dim]({problem.code})[/dim]")
    errors, warnings = len(result.errors), len(result.warnings)
    if errors or warnings:
        output.print_err("  " + _("{errors}, {warnings}").format(
            errors=ngettext("{n} error", "{n} errors", errors).format(n=_small(errors)),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=_small(warnings)),
        ))
    else:
        output.note("  [green]" + escape(_("all checks passed")) + "[/green]", markup=True)
    for written in (result.html_path, result.text_path, result.mjml_path):
        if written is not None:
            output.note("  " + _("wrote {path}").format(path=written))
    if errors:
        output.print_err("  [red]" + escape(_("Fix the errors above before sending.")) + "[/red]")


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
        ngettext(
            "{target}: {sent} file to send ({size} KB), {unchanged} unchanged, {removed} to remove (dry run: nothing was sent)",
            "{target}: {sent} files to send ({size} KB), {unchanged} unchanged, {removed} to remove (dry run: nothing was sent)",
            len(report.sent),
        )
        if report.dry_run
        else ngettext(
            "{target}: {sent} file sent ({size} KB), {unchanged} unchanged, {removed} removed",
            "{target}: {sent} files sent ({size} KB), {unchanged} unchanged, {removed} removed",
            len(report.sent),
        )
    )
    output.print_out(
        line.format(
            target=report.target, sent=integer(len(report.sent)), size=integer(round(report.bytes / 1024)),
            unchanged=integer(len(report.unchanged)), removed=integer(len(report.removed)),
        ),
        markup=False,
    )


def _date(value: dt.datetime | None) -> str:
    return formats.long_date(value.date()) if value else "—"


def _when(moment: dt.datetime) -> str:
    """'December 8, 2026', or 'December 8, 2026 at 09:30' when the time is not midnight."""
    if moment.time() == dt.time():
        return formats.long_date(moment.date())
    return _("{date} at {time}").format(date=formats.long_date(moment.date()), time=moment.strftime("%H:%M"))


def print_draft_table(output: Output, reports: list[SourceReport]) -> None:
    """Per source: status, found, kept, dropped with reasons; failures with their reason."""
    if not reports:  # no source configured: the draft's warning says so, an empty table would not
        return
    from rich.table import Table
    from rich.text import Text  # cells of user text: never read as markup

    table = Table(title=_("Sources"), title_justify="left")
    for column, right in ((_("source"), False), (_("status"), False), (_("found"), True), (_("kept"), True), (_("dropped"), False)):
        table.add_column(column, justify="right" if right else "left", overflow="fold")
    for report in reports:
        if report.failed:
            failed = _("{failed}: {reason}").format(failed="[red]" + escape(_("failed")) + "[/red]", reason=escape(report.error or ""))
            table.add_row(Text(report.name), failed, "—", "—", "—")
            continue
        dropped = ", ".join(f"{formats.integer(count)} {reason}" for reason, count in sorted(report.dropped.items())) or "—"
        status = str(report.status) + (f" → {report.final_url}" if report.final_url else "")
        table.add_row(Text(report.name), Text(status), formats.integer(report.found), formats.integer(report.kept), Text(dropped))
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
        output.note(_("Window from {moment}: {origin}").format(moment=_when(result.window_start), origin=result.window_origin))
    added = result.added
    messages = {
        "created": lambda: ngettext("Draft written with {n} item, window from {since}", "Draft written with {n} items, window from {since}", added),
        "merged": lambda: ngettext(
            "{n} new item appended under \"À trier\"; the rest of the file is unchanged",
            "{n} new items appended under \"À trier\"; the rest of the file is unchanged",
            added,
        ),
        "unchanged": lambda: _("Nothing new since the existing draft: the file is unchanged"),
        "replaced": lambda: ngettext(
            "Fresh draft written with {n} item; the previous file was saved as {backup}",
            "Fresh draft written with {n} items; the previous file was saved as {backup}",
            added,
        ),
    }
    output.note(messages[result.action]().format(n=formats.integer(added), since=formats.long_date(result.since), backup=result.backup))
    output.print_out(str(result.path), markup=False)


def print_check_table(output: Output, reports: list[SourceReport]) -> None:
    """The `sources check` table, on stdout."""
    from rich.table import Table
    from rich.text import Text  # cells of user text: never read as markup

    table = Table(title=_("Sources"), title_justify="left")
    for column, right in ((_("source"), False), (_("url"), False), (_("status"), False), (_("last item"), False), (_("items"), True)):
        table.add_column(column, overflow="fold", justify="right" if right else "left")
    for report in reports:
        if report.failed:
            status = _("{failed}: {reason}").format(failed=_("failed"), reason=report.error or "")
        elif report.final_url:
            status = f"{report.status}: {report.final_url}"
        else:
            status = str(report.status)
        table.add_row(Text(report.name), Text(report.url), Text(status), _date(report.last_item), "—" if report.failed else formats.integer(report.found))
    output.out.print(table)
    for report in reports:
        for warning in report.warnings:
            output.warn(f"{report.name}: {warning}")


def format_moment(moment: dt.datetime) -> str:
    """A schedule time as the user reads it, with its offset: 'December 8, 2026 at 09:30 (UTC+0100)',
    '8 décembre 2026 à 09:30 (UTC+0100)'."""
    return _("{date} at {time} (UTC{offset})").format(
        date=formats.long_date(moment.date()), time=moment.strftime("%H:%M"), offset=moment.strftime("%z")
    )


def labelled_lines(rows: list[tuple[str, str]], *, gap: int = 3) -> list[str]:
    """'label:   value' lines, the values aligned whatever the labels' length in the language in use."""
    labels = [_("{label}:").format(label=label) for label, _value in rows]
    width = max((len(label) for label in labels), default=0) + gap
    return [label.ljust(width) + value for label, (_label, value) in zip(labels, rows, strict=True)]


def print_send_report(output: Output, report: SendReport, *, outbox_dir: Path | None) -> None:
    """What is on the provider now (stdout), and what was done (stderr)."""
    for step in report.actions:
        # After "Dry run:" the step goes on the sentence (French writes no capital after a colon).
        output.note(_("Dry run: {step}").format(step=step) if report.dry_run else step[0].upper() + step[1:])
    for warning in report.warnings:
        output.warn(warning)
    rows = [
        (_("provider"), report.provider),
        (_("campaign"), (report.campaign_id or _("(none yet)")) + "  " + report.name),
        (_("subject"), report.subject),
        (_("sender"), report.sender),
    ]
    if report.provider == "outbox":
        rows.append((_("list"), _("none (the outbox only writes files; nothing leaves this computer)")))
    for lst in report.lists if report.provider != "outbox" else []:
        subscribers = ngettext("{n} subscriber", "{n} subscribers", lst.subscribers).format(n=formats.integer(lst.subscribers))
        rows.append((_("list"), _("{name} (id {id}): {subscribers}").format(name=lst.name, id=lst.id, subscribers=subscribers)))
    status = status_words(report.status)
    if report.scheduled_at is not None and report.status == "scheduled":
        status = _("{status} for {moment}").format(status=status, moment=format_moment(report.scheduled_at))
    rows.append((_("status"), status))
    if report.url:
        rows.append((_("link"), report.url))
    if outbox_dir is not None and report.campaign_id:
        rows.append((_("files"), str(outbox_dir / report.campaign_id)))
    for line in labelled_lines(rows):
        output.print_out(line, markup=False)


def _stats_headers() -> tuple[str, ...]:
    return (_("Issue"), _("Provider"), _("Sent"), _("Delivered"), _("Opens"), _("Open rate"), _("Clicks"),
            _("Click rate"), _("Hard b."), _("Soft b."), _("Unsub."), _("Complaints"), _("Read at"))


def _read_at(stamp: str | None) -> str:
    """When the figures were read, short enough for a column of the table: '30/11/2026 10:00' in
    French (the day first, as a French reader writes it), '2026-11-30 10:00' in English."""
    if not stamp:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:16].replace("T", " ")
    return moment.strftime("%d/%m/%Y %H:%M") if i18n.language() == "fr" else moment.strftime("%Y-%m-%d %H:%M")


def print_stats_table(output: Output, report: StatsReport) -> None:
    """The figures as a table on stdout (rates on delivered messages), then the links of one issue."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # cells of user text: never read as markup

    from newsletter.stats import percent

    table = Table(title=_("Campaign statistics (rates on delivered messages)"), title_justify="left")
    headers = _stats_headers()
    for position, header in enumerate(headers):
        left = position in (0, 1, len(headers) - 1)  # issue, provider, read at
        # A long header (French ones are) takes two lines rather than cutting a figure short.
        table.add_column(header, justify="left" if left else "right", no_wrap=position < 2)
    number = formats.integer
    for row in report.rows:
        f = row.figures
        counts = ["—"] * 10 if f is None else [
            number(f.sent), number(f.delivered), number(f.unique_opens), percent(row.open_rate), number(f.unique_clicks),
            percent(row.click_rate), number(f.hard_bounces), number(f.soft_bounces), number(f.unsubscriptions), number(f.complaints),
        ]
        read_at = _read_at(row.read_at) + (" " + _("(cached)") if row.source == "cached" else "")
        table.add_row(Text(row.issue), row.provider, *counts, read_at)
    # A report is read whole: never squeeze it below 160 columns (a pipe or a file has no width).
    console = Console(file=output.out.file, width=max(output.out.width, 160), highlight=False, no_color=output.out.no_color)
    console.print(table)
    for row in report.rows:
        if row.links is None:
            continue
        title = _("Clicks per link — {issue} on {provider}").format(issue=escape(row.issue), provider=row.provider)
        links = Table(title=title, title_justify="left")
        links.add_column(_("Clicks"), justify="right")
        links.add_column(_("Item"))
        links.add_column(_("Section"))
        links.add_column(_("URL"), overflow="fold")
        for link in row.links:
            links.add_row(formats.integer(link.clicks), Text(link.item or _("(not an item of the issue)")), Text(link.section or ""), Text(link.url))
        if not row.links:
            links.add_row(formats.integer(0), _("(no click yet)"), "", "")
        console.print(links)


def print_archive_report(output: Output, report: ArchiveReport) -> None:
    """Warnings and skipped issues on stderr; the index and feed paths on stdout."""
    for warning in report.warnings:
        output.warn(warning)
    for path, reason in report.skipped:
        output.warn(
            _("skipped {path}: {reason}. Fix it (`newsletter check {path}` lists the problems), then run `newsletter archive` again").format(
                path=path, reason=reason
            )
        )
    for stem, reason in report.unconfirmed:
        output.warn(
            _(
                "could not confirm whether {issue} was sent ({reason}): its page, if any, is kept as it was; "
                "run `newsletter archive` again once the provider can be reached"
            ).format(issue=stem, reason=reason)
        )
    confirmed_kept = [stem for stem in report.kept if stem not in dict(report.unconfirmed)]
    if confirmed_kept:
        output.note(_("Scheduled or being sent, not listed yet: {issues}; a page already published for it is kept").format(issues=", ".join(confirmed_kept)))
    if report.unpublished:
        output.note(_("Not published (not sent yet): {issues}; use --all to publish them too").format(issues=", ".join(report.unpublished)))
    pages = len(report.entries)
    unchanged = pages - len(report.rebuilt)
    line = ngettext("{n} issue page in {folder}", "{n} issue pages in {folder}", pages).format(n=formats.integer(pages), folder=report.out_dir)
    if unchanged > 0:
        line += " " + _("({rebuilt} rebuilt, {unchanged} unchanged)").format(
            rebuilt=formats.integer(len(report.rebuilt)), unchanged=formats.integer(unchanged)
        )
    output.note(line)
    if report.images:
        output.note(
            ngettext("{n} image from images/ published in {folder}", "{n} images from images/ published in {folder}", report.images).format(
                n=formats.integer(report.images), folder=report.out_dir / "images"
            )
        )
    for line in labelled_lines([(_("index"), str(report.index)), (_("feed"), str(report.feed))], gap=1):
        output.print_out(line, markup=False)


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
