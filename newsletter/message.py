"""What `send` sends: the message rendered from the issue, its sender, the test addresses and
the schedule time, each checked before anything reaches the provider."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from newsletter.choices import Provider
from newsletter.config import BrevoSection, MailjetSection, OutboxSection, Settings
from newsletter.errors import IssueError, UsageError
from newsletter.providers.base import Message

EMAIL_RE = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[A-Za-z]{2,}$")
SCHEDULE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def campaign_name(settings: Settings, stem: str) -> str:
    """The campaign's name on every provider, e.g. 'mobiscol-2026-12'."""
    return f"{settings.newsletter.name.lower().replace(' ', '-')}-{stem}"


def parse_schedule(text: str, *, tz: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """A local time such as '2026-12-08 09:30' in the workspace's time zone, with its offset.

    Refuses a time that cannot be read, that is in the past, or that does not exist locally
    (the hour skipped when clocks go forward).
    """
    naive = None
    for fmt in SCHEDULE_FORMATS:
        try:
            naive = dt.datetime.strptime(text.strip(), fmt)
            break
        except ValueError:
            continue
    if naive is None:
        raise UsageError(f"--schedule {text!r} is not a date and time I can read", hint='write it as "YYYY-MM-DD HH:MM", e.g. --schedule "2026-12-08 09:30"')
    local = naive.replace(tzinfo=tz)
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise UsageError(
            f"--schedule {text!r} does not exist in {tz.key}: the clocks skip that hour (daylight saving time)",
            hint="choose a time outside the skipped hour, e.g. one hour later",
        )
    if local <= now:
        raise UsageError(
            f"--schedule {text!r} ({local.isoformat(timespec='minutes')}) is in the past",
            hint=f"choose a time after {now.astimezone(tz).strftime('%Y-%m-%d %H:%M')}",
        )
    return local


def check_addresses(addresses: Sequence[str]) -> list[str]:
    """The test addresses, stripped; UsageError names the first malformed one."""
    cleaned = [a.strip() for a in addresses if a.strip()]
    for address in cleaned:
        if not EMAIL_RE.match(address):
            raise UsageError(f"{address!r} is not an email address", hint="write test addresses as name@example.org, one per --to")
    return cleaned


def sender_of(settings: Settings) -> tuple[str, str, str, list[str]]:
    section: BrevoSection | MailjetSection | OutboxSection = settings.file.outbox
    if settings.provider is Provider.brevo:
        section = settings.file.brevo
    elif settings.provider is Provider.mailjet:
        section = settings.file.mailjet
    name = section.sender_name or settings.newsletter.name
    if not section.sender_email:
        raise UsageError(
            f"no sender address for {settings.provider.value}: [{settings.provider.value}] sender_email is empty in newsletter.toml",
            hint="set sender_email to the verified address the newsletter is sent from",
        )
    return name, section.sender_email, section.reply_to, list(section.test_emails)


def build_message(settings: Settings, issue_path: Path) -> Message:
    """Render the issue for the provider; IssueError when a check is at error level."""
    return prepare_message(settings, issue_path)[0]


def prepare_message(settings: Settings, issue_path: Path) -> tuple[Message, tuple[str, ...]]:
    """The message and the check's warnings ('line 12: …'), which `send` shows before asking to go
    ahead; IssueError when a check is at error level."""
    from newsletter.i18n import _
    from newsletter.render.pipeline import render_issue_file

    result = render_issue_file(settings, issue_path, provider=settings.provider)
    if result.has_errors:
        raise IssueError(
            f"{issue_path} has {len(result.errors)} error(s); nothing was sent",
            problems=[f"line {p.line}: {p.message}" if p.line else p.message for p in result.errors],
            hint=f"fix them (see `newsletter check {issue_path}`), then send again",
        )
    sender_name, sender_email, reply_to, _tests = sender_of(settings)
    stem = result.issue.stem
    warnings = tuple(
        _("line {line}: {message}").format(line=p.line, message=p.message) if p.line else p.message for p in result.warnings
    )
    message = Message(
        issue=stem,
        name=campaign_name(settings, stem),
        subject=result.issue.front.subject,
        preheader=result.issue.front.preheader,
        html=result.html,
        text=result.text,
        sender_name=sender_name,
        sender_email=sender_email,
        reply_to=reply_to,
    )
    return message, warnings
