"""Where a draft's window starts: the previous issue (the latest one sent) and its draft's fetch.

The previous issue is the latest issue file before the month that `state/campaigns.json` shows
sent (or scheduled, or being sent). With no such record (a workspace that never sent with this
tool) it is the latest file before the month that is not an unfinished draft (one still holding
the draft's "À COMPLÉTER", which `check` refuses to send). A file passed over on the way (an accidental `draft` of the current month) is *unsent*:
its links are not "already published", the actors it announced are still new, and the editor's
deletions in it count for nothing.

The window then starts when that issue's draft last fetched its sources (draft memory), never
after the issue's date, so what was published between the draft and the send is proposed next.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsletter import formats
from newsletter.config import Settings
from newsletter.draft.memory import DraftMemory, Window, window_after
from newsletter.errors import NewsletterError
from newsletter.i18n import N_, _

ISSUE_NAME_RE = re.compile(r"^\d{4}-\d{2}$")
DEFAULT_WINDOW_DAYS = 31
DRAFT_MARKER = "À COMPLÉTER"  # what the draft leaves to fill in; `check` refuses to send a file holding it
#: Campaign statuses that mean the issue went (or is going) to the readers.
GONE_OUT = ("sent", "sending", "maybe-sent", "scheduled")
#: The other statuses of GONE_OUT, in words (the window's origin names them).
STATUS_WORDS = {"sending": N_("being sent"), "maybe-sent": N_("perhaps sent"), "scheduled": N_("scheduled")}


@dataclass(frozen=True)
class PreviousIssue:
    """The issue the draft follows: its file, date, number, and why it was chosen."""

    path: Path
    date: dt.date | None
    number: int | None
    sent: str | None = None  # "sent 2026-12-08" (campaign state); None: chosen by its date
    unfinished: bool = False  # still holds the draft marker: it was never sent


@dataclass(frozen=True)
class DraftWindow:
    """The window of a draft: its start (per source when they differ) and where it comes from."""

    start: dt.datetime
    origin: str  # "when the December 2026 draft fetched its sources", in words
    previous: PreviousIssue | None
    unsent: tuple[str, ...] = ()  # issue stems passed over: drafts never sent
    fetch: Window | None = None
    notes: list[str] = field(default_factory=list)

    def since(self, source: str) -> dt.datetime:
        """The window start of one source."""
        return self.fetch.since(source) if self.fetch is not None else self.start


def month_words(month: str) -> str:
    """'2026-12' -> 'December 2026' ('décembre 2026' in French)."""
    return formats.month(dt.date(int(month[:4]), int(month[5:]), 1))


def _sent_issues(settings: Settings, warnings: list[str]) -> dict[str, str]:
    """Issue stem -> "sent on December 8, 2026" (or "scheduled", …) from the campaign state, in words."""
    from newsletter.campaigns import load_state

    try:
        state = load_state(settings.state_dir)
    except NewsletterError as exc:
        warnings.append(_("{reason}; the previous issue is taken by its date instead").format(reason=exc.message))
        return {}
    found: dict[str, str] = {}
    for record in state.records():
        if record.status in GONE_OUT:
            if record.status == "sent" and record.sent_at:
                found[record.issue] = _("sent on {date}").format(date=_long_date(record.sent_at[:10]))
            else:
                found[record.issue] = _(STATUS_WORDS[record.status]) if record.status in STATUS_WORDS else record.status
    return found


def read_previous(path: Path, settings: Settings, warnings: list[str]) -> PreviousIssue:
    """The date and number of an issue file (read as plain text when it does not parse)."""
    from newsletter.issue import load_issue

    try:
        issue = load_issue(path, settings.file.sections)
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        return PreviousIssue(path, issue.front.date, issue.front.number, unfinished=DRAFT_MARKER in text)
    except NewsletterError as exc:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:  # a folder, a broken link, no permission
            warnings.append(
                _(
                    "cannot read the previous issue {name} ({reason}), so the window does not start at its date; "
                    "move it out of {folder}/ or fix it, or give --since"
                ).format(name=path.name, reason=error.strerror or error, folder=path.parent.name)
            )
            return PreviousIssue(path, None, None)
        date_match = re.search(r"^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", text, re.M)
        number_match = re.search(r"^number:\s*(\d+)", text, re.M)
        warnings.append(
            _("the previous issue {name} does not parse ({reason}); its date and number were read as plain text").format(name=path.name, reason=exc.message)
        )
        try:
            date = dt.date.fromisoformat(date_match.group(1)) if date_match else None
        except ValueError:  # 2026-11-31: no window start from it; the caller falls back
            date = None
        return PreviousIssue(path, date, int(number_match.group(1)) if number_match else None, unfinished=DRAFT_MARKER in text)


def find_previous_issue(
    settings: Settings, month: str, warnings: list[str], unsent: list[tuple[str, str]] | None = None
) -> PreviousIssue | None:
    """The latest issue before `month` that was sent (else the latest dated before it); the
    issue files passed over on the way, never sent, are appended to `unsent` with the reason."""
    skipped = unsent if unsent is not None else []
    issues_dir = settings.issues_dir
    if not issues_dir.is_dir():
        return None
    earlier = sorted(p for p in issues_dir.glob("*.md") if ISSUE_NAME_RE.match(p.stem) and p.stem < month)
    sent = _sent_issues(settings, warnings)
    gone = [path for path in earlier if path.stem in sent]
    if gone:
        path = gone[-1]
        skipped.extend((p.stem, _("state/campaigns.json shows no campaign sent for it")) for p in earlier if p.stem > path.stem)
        previous = read_previous(path, settings, warnings)
        return PreviousIssue(previous.path, previous.date, previous.number, sent=sent[path.stem])
    # No campaign state: the latest file before the month that is not an unfinished draft (its
    # `date` may be in this month: an issue is dated the day it goes out).
    for path in reversed(earlier):
        previous = read_previous(path, settings, warnings)
        if previous.unfinished:
            skipped.append((path.stem, _("it still holds the draft's '{marker}', which check refuses").format(marker=DRAFT_MARKER)))
            continue
        return previous
    return None


def draft_window(
    settings: Settings, month: str, *, today: dt.date, since: dt.date | None, memory: DraftMemory, sources: list[str], warnings: list[str]
) -> DraftWindow:
    """The previous issue and where the window starts (for `sources`, by name), with the reason in words."""
    tz = settings.tz
    skipped: list[tuple[str, str]] = []
    previous = find_previous_issue(settings, month, warnings, skipped)
    for stem, why in skipped:
        warnings.append(
            _(
                "{file} is taken as never sent ({reason}): it is not the previous issue, "
                "its links are not counted as published; delete it if it was drafted by mistake"
            ).format(file=f"{settings.issues_dir.name}/{stem}.md", reason=why)
        )
    unsent = [stem for stem, _ in skipped]
    if since is not None:
        return DraftWindow(dt.datetime.combine(since, dt.time(), tzinfo=tz), _("given by --since"), previous, tuple(unsent))
    if previous is None:
        start = dt.datetime.combine(today - dt.timedelta(days=DEFAULT_WINDOW_DAYS), dt.time(), tzinfo=tz)
        return DraftWindow(start, _("the last {days} days (no previous issue)").format(days=DEFAULT_WINDOW_DAYS), None, tuple(unsent))
    chosen = (
        _("the previous issue {stem}, {sent}").format(stem=previous.path.stem, sent=previous.sent)
        if previous.sent
        else _("the previous issue {stem}").format(stem=previous.path.stem)
    )
    date_start = dt.datetime.combine(previous.date, dt.time(), tzinfo=tz) if previous.date else None
    fetch = window_after(memory, previous.path.stem, not_after=date_start)
    if fetch is not None:
        start = fetch.start(sources)
        if start == fetch.fetched_at and start != date_start:
            origin = _("when the {month} draft ({issue}) fetched its sources").format(month=month_words(previous.path.stem), issue=chosen)
        elif start == date_start:
            origin = _("the date of {issue} (its draft fetched its sources later)").format(issue=chosen)
        else:
            late = sorted(name for name in sources if fetch.since(name) < fetch.fetched_at)
            origin = _(
                "where the {month} draft ({issue}) started, for {sources}, which it could not fetch; "
                "the other sources start at its fetch, {moment}"
            ).format(
                month=month_words(previous.path.stem),
                issue=chosen,
                sources=", ".join(late),
                moment=_("{date} at {time}").format(date=formats.long_date(fetch.fetched_at.date()), time=f"{fetch.fetched_at:%H:%M}"),
            )
        return DraftWindow(start, origin, previous, tuple(unsent), fetch)
    if date_start is not None:
        return DraftWindow(
            date_start, _("the date of {issue} (no record of when its draft fetched its sources)").format(issue=chosen), previous, tuple(unsent)
        )
    start = dt.datetime.combine(today - dt.timedelta(days=DEFAULT_WINDOW_DAYS), dt.time(), tzinfo=tz)
    return DraftWindow(
        start, _("the last {days} days ({issue} has no readable date)").format(days=DEFAULT_WINDOW_DAYS, issue=chosen), previous, tuple(unsent)
    )


def _long_date(iso_day: str) -> str:
    """'2026-12-08' -> 'December 8, 2026' ('8 décembre 2026'); the text itself when it is no date."""
    try:
        return formats.long_date(dt.date.fromisoformat(iso_day))
    except ValueError:
        return iso_day
