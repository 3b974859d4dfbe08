"""What `send` sends: the message rendered from the issue, its sender, the test addresses and
the schedule time, each checked before anything reaches the provider."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from newsletter import formats
from newsletter.choices import Provider
from newsletter.config import BrevoSection, MailjetSection, OutboxSection, Settings
from newsletter.errors import IssueError, UsageError
from newsletter.i18n import _, ngettext
from newsletter.providers.base import Message
from newsletter.validation import quoted

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
        raise UsageError(
            _("--schedule {value} is not a date and time I can read").format(value=quoted(text)),
            hint=_('write it as "YYYY-MM-DD HH:MM", for example --schedule "2026-12-08 09:30"'),
        )
    local = naive.replace(tzinfo=tz)
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise UsageError(
            _("--schedule {value} does not exist in {zone}: the clocks skip that hour (daylight saving time)").format(value=quoted(text), zone=tz.key),
            hint=_("choose a time outside the skipped hour, for example one hour later"),
        )
    if local <= now:
        raise UsageError(
            _("--schedule {value} ({moment}) is in the past").format(value=quoted(text), moment=_moment(local)),
            hint=_("choose a time after {moment}").format(moment=_moment(now.astimezone(tz))),
        )
    return local


def _moment(moment: dt.datetime) -> str:
    return _("{date} at {time}").format(date=formats.long_date(moment.date()), time=moment.strftime("%H:%M"))


def check_addresses(addresses: Sequence[str]) -> list[str]:
    """The test addresses, stripped; UsageError names the first malformed one."""
    cleaned = [a.strip() for a in addresses if a.strip()]
    for address in cleaned:
        if not EMAIL_RE.match(address):
            raise UsageError(
                _("{value} is not an email address").format(value=quoted(address)), hint=_("write test addresses as name@example.org, one per --to")
            )
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
            _("no sender address for {provider}: [{provider}] sender_email is empty in newsletter.toml").format(provider=settings.provider.value),
            hint=_("set sender_email to the verified address the newsletter is sent from"),
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
            ngettext("{path} has {n} error; nothing was sent", "{path} has {n} errors; nothing was sent", len(result.errors)).format(
                path=issue_path, n=formats.integer(len(result.errors))
            ),
            problems=[_("line {line}: {problem}").format(line=p.line, problem=p.message) if p.line else p.message for p in result.errors],
            hint=_("fix them (see `newsletter check {path}`), then send again").format(path=issue_path),
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
