"""`newsletter report`: refresh the figures (unless cached), compute the year, write HTML and xlsx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.campaigns import load_state
from newsletter.config import Settings
from newsletter.i18n import _, language_of
from newsletter.reporting.files import ReportFiles, write_report
from newsletter.reporting.letter import LetterYear, letter_year, month_start
from newsletter.reporting.letter_page import letter_report
from newsletter.stats import StatsReport, collect_stats

if TYPE_CHECKING:  # httpx (~0.1 s) only when the provider is asked, never for --cached
    from newsletter.providers.retry import RetryPolicy


@dataclass(frozen=True)
class LetterReportResult:
    """What was written, the figures, and why some are missing (one note per campaign)."""

    files: ReportFiles
    year: LetterYear
    notes: tuple[str, ...]


def write_letter_report(
    settings: Settings,
    *,
    start: dt.date,
    end: dt.date,
    out_dir: Path,
    cached: bool,
    now: Callable[[], dt.datetime],
    policy: RetryPolicy | None = None,
    refresh: Callable[..., StatsReport] = collect_stats,
) -> LetterReportResult:
    """Refresh the sent issues' figures from the providers (unless `cached`), then write the report files.

    The refresh reads each issue of the period on its own, so the clicks per link come too
    (`stats ISSUE`); a provider failure leaves that issue's cached figures and becomes a note.
    """
    notes: list[str] = []
    first, last = month_start(start), month_start(end)
    if not cached:
        state = load_state(settings.state_dir)
        for stem in state.issues():
            records = state.entries[stem].values()
            in_period = any(r.status == "sent" and r.sent_at and first <= month_start(dt.datetime.fromisoformat(r.sent_at).astimezone(settings.tz).date()) <= last
                            for r in records)
            if not in_period or all(r.provider == "outbox" for r in records):
                continue
            read = refresh(settings, issue_paths=[settings.issues_dir / f"{stem}.md"], cached=False, now=now, policy=policy)
            notes.extend(_("{issue} on {provider}: {note}").format(issue=row.issue, provider=row.provider, note=row.note) for row in read.rows if row.note)
    state = load_state(settings.state_dir)
    actor_sections = {settings.file.actor_map.section} if settings.file.actor_map else {"acteurs"}
    veille_sections = {feed.section for feed in settings.file.feeds}
    year = letter_year(state.records(), start=first, end=last, tz=settings.tz, actor_sections=actor_sections, veille_sections=veille_sections)
    stem = f"rapport-lettre-{first:%Y-%m}-{last:%Y-%m}"
    # A document for funders: in the workspace's language, not the terminal's.
    with language_of(settings.file.newsletter.locale):
        report = letter_report(year, organisation=settings.newsletter.organisation or settings.newsletter.name,
                               newsletter_title=settings.newsletter.title, generated_on=now().date())
        files = write_report(settings, report, out_dir=out_dir, stem=stem)
    return LetterReportResult(files=files, year=year, notes=tuple(notes))
