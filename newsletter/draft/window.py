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

from newsletter.config import Settings
from newsletter.draft.memory import DraftMemory, Window, window_after
from newsletter.errors import NewsletterError

ISSUE_NAME_RE = re.compile(r"^\d{4}-\d{2}$")
DEFAULT_WINDOW_DAYS = 31
DRAFT_MARKER = "À COMPLÉTER"  # what the draft leaves to fill in; `check` refuses to send a file holding it
#: Campaign statuses that mean the issue went (or is going) to the readers.
GONE_OUT = ("sent", "sending", "maybe-sent", "scheduled")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


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
    """'2026-12' -> 'December 2026'."""
    return f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"


def _sent_issues(settings: Settings, warnings: list[str]) -> dict[str, str]:
    """Issue stem -> "sent 2026-12-08" (or "scheduled", …) from the campaign state."""
    from newsletter.campaigns import load_state

    try:
        state = load_state(settings.state_dir)
    except NewsletterError as exc:
        warnings.append(f"{exc.message}; the previous issue is taken by its date instead")
        return {}
    found: dict[str, str] = {}
    for record in state.records():
        if record.status in GONE_OUT:
            found[record.issue] = f"sent {record.sent_at[:10]}" if record.status == "sent" and record.sent_at else record.status
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
                f"cannot read the previous issue {path.name} ({error.strerror or error}), so the window does not start at its date; "
                f"move it out of {path.parent.name}/ or fix it, or give --since"
            )
            return PreviousIssue(path, None, None)
        date_match = re.search(r"^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", text, re.M)
        number_match = re.search(r"^number:\s*(\d+)", text, re.M)
        warnings.append(f"the previous issue {path.name} does not parse ({exc.message}); its date and number were read as plain text")
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
        skipped.extend((p.stem, "state/campaigns.json shows no campaign sent for it") for p in earlier if p.stem > path.stem)
        previous = read_previous(path, settings, warnings)
        return PreviousIssue(previous.path, previous.date, previous.number, sent=sent[path.stem])
    # No campaign state: the latest file before the month that is not an unfinished draft (its
    # `date` may be in this month: an issue is dated the day it goes out).
    for path in reversed(earlier):
        previous = read_previous(path, settings, warnings)
        if previous.unfinished:
            skipped.append((path.stem, f"it still holds the draft's '{DRAFT_MARKER}', which check refuses"))
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
            f"{settings.issues_dir.name}/{stem}.md is taken as never sent ({why}): it is not the previous issue, "
            "its links are not counted as published; delete it if it was drafted by mistake"
        )
    unsent = [stem for stem, _ in skipped]
    if since is not None:
        return DraftWindow(dt.datetime.combine(since, dt.time(), tzinfo=tz), "given by --since", previous, tuple(unsent))
    if previous is None:
        start = dt.datetime.combine(today - dt.timedelta(days=DEFAULT_WINDOW_DAYS), dt.time(), tzinfo=tz)
        return DraftWindow(start, f"the last {DEFAULT_WINDOW_DAYS} days (no previous issue)", None, tuple(unsent))
    chosen = f"the previous issue {previous.path.stem}" + (f", {previous.sent}" if previous.sent else "")
    date_start = dt.datetime.combine(previous.date, dt.time(), tzinfo=tz) if previous.date else None
    fetch = window_after(memory, previous.path.stem, not_after=date_start)
    if fetch is not None:
        start = fetch.start(sources)
        if start == fetch.fetched_at and start != date_start:
            origin = f"when the {month_words(previous.path.stem)} draft ({chosen}) fetched its sources"
        elif start == date_start:
            origin = f"the date of {chosen} (its draft fetched its sources later)"
        else:
            late = sorted(name for name in sources if fetch.since(name) < fetch.fetched_at)
            origin = (
                f"where the {month_words(previous.path.stem)} draft ({chosen}) started, for {', '.join(late)}, which it could not fetch; "
                f"the other sources start at its fetch, {fetch.fetched_at:%Y-%m-%d %H:%M}"
            )
        return DraftWindow(start, origin, previous, tuple(unsent), fetch)
    if date_start is not None:
        return DraftWindow(date_start, f"the date of {chosen} (no record of when its draft fetched its sources)", previous, tuple(unsent))
    start = dt.datetime.combine(today - dt.timedelta(days=DEFAULT_WINDOW_DAYS), dt.time(), tzinfo=tz)
    return DraftWindow(start, f"the last {DEFAULT_WINDOW_DAYS} days ({chosen} has no readable date)", previous, tuple(unsent))
