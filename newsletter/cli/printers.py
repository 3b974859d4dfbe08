"""What the commands print: reports, tables and progress bars (rich, on the CLI's Output)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter import formats, i18n
from newsletter.cli.output import escape
from newsletter.i18n import _, ngettext

if TYPE_CHECKING:
    from newsletter.archive import ArchiveReport
    from newsletter.cli.output import Output
    from newsletter.draft.pipeline import DraftResult
    from newsletter.render.pipeline import RenderResult
    from newsletter.send import SendReport
    from newsletter.sources import SourceReport
    from newsletter.stats import StatsReport


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
    return formats.long_date(value.date()) if value else "—"


def _when(moment: dt.datetime) -> str:
    """'December 8, 2026', or 'December 8, 2026 at 09:30' when the time is not midnight."""
    if moment.time() == dt.time():
        return formats.long_date(moment.date())
    return _("{date} at {time}").format(date=formats.long_date(moment.date()), time=moment.strftime("%H:%M"))


def print_draft_table(output: Output, reports: list[SourceReport]) -> None:
    """Per source: status, found, kept, dropped with reasons; failures with their reason."""
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
    output.note(messages[result.action]().format(n=formats.integer(added), since=result.since, backup=result.backup))
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


def status_words(status: str) -> str:
    """A campaign's status (a `Status` value) as the user reads it; anything else as it is."""
    words = {
        "draft": _("draft"),
        "scheduled": _("scheduled"),
        "suspended": _("suspended"),
        "sending": _("sending"),
        "sent": _("sent"),
        "unknown": _("unknown"),
    }
    return words.get(status, status)


def print_send_report(output: Output, report: SendReport, *, outbox_dir: Path | None) -> None:
    """What is on the provider now (stdout), and what was done (stderr)."""
    for step in report.actions:
        sentence = step[0].upper() + step[1:]
        output.note(_("Dry run: {step}").format(step=sentence) if report.dry_run else sentence)
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
