"""The provider interface: what `send` needs from Brevo, Mailjet or the offline outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from newsletter.errors import ExitCode, ProviderError
from newsletter.i18n import _


class Status(StrEnum):
    """A campaign's status, mapped from each provider's own words."""

    draft = "draft"
    scheduled = "scheduled"
    suspended = "suspended"  # Brevo: a schedule that was cancelled; may be rescheduled
    sending = "sending"
    sent = "sent"
    unknown = "unknown"  # anything else: never touched


def status_words(status: str) -> str:
    """A campaign's status (a `Status` value, or the state's `maybe-sent`) as the user reads it;
    anything else as it is. JSON and the state keep the values themselves."""
    words = {
        "draft": _("draft"),
        "scheduled": _("scheduled"),
        "suspended": _("suspended"),
        "sending": _("sending"),
        "sent": _("sent"),
        "maybe-sent": _("perhaps sent"),
        "unknown": _("unknown"),
    }
    return words.get(status, status)


def parse_time(value: object) -> dt.datetime | None:
    """A provider's date-time: ISO 8601 with Z or an offset; "", null, absent or naive means none."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@dataclass(frozen=True)
class Message:
    """Everything a campaign is made of, provider-neutral (the HTML already has its placeholders)."""

    issue: str
    name: str
    subject: str
    preheader: str
    html: str
    text: str
    sender_name: str
    sender_email: str
    reply_to: str


@dataclass(frozen=True)
class MailingList:
    """A list the campaign goes to, with its subscriber count as the provider reports it."""

    id: str
    name: str
    subscribers: int


@dataclass(frozen=True)
class Campaign:
    """A campaign as the provider has it now."""

    id: str
    name: str
    status: Status
    raw_status: str
    subject: str = ""
    scheduled_at: dt.datetime | None = None
    url: str | None = None
    sent_at: dt.datetime | None = None  # when the provider sent it (None: not sent, or not said)


class OutcomeUnknownError(ProviderError):
    """A call that is not safe to repeat timed out or lost its connection: it may or may not have acted."""


class MaybeSentError(ProviderError):
    """A send whose outcome is not known: the list may have been mailed (the state says so)."""


class SendInterruptedError(ProviderError):
    """Ctrl-C while a send was on its way, or after the provider accepted it."""

    exit_code = ExitCode.INTERRUPTED


class NotFoundError(ProviderError):
    """The provider answered 404 for an object we asked for."""


class CampaignProvider(Protocol):
    """One mailing provider. Every method makes the fewest calls it can and raises ProviderError."""

    name: str

    def preflight(self, message: Message) -> list[MailingList]:
        """Check the key, the sender and the lists; return the lists with their subscriber counts."""
        ...

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        """The campaign with this id, or None when the provider no longer has it."""
        ...

    def find_campaign(self, name: str) -> Campaign | None:
        """The newest campaign with this exact name (paging through the provider's campaigns)."""
        ...

    def create_campaign(
        self,
        message: Message,
        *,
        schedule_at: dt.datetime | None,
        on_created: Callable[[str], None],
    ) -> None:
        """Create the campaign (scheduled when `schedule_at`); `on_created(id)` runs the moment the id is known.

        Raises OutcomeUnknownError when the create call itself may or may not have acted.
        """
        ...

    def update_campaign(self, campaign: Campaign, message: Message, *, schedule_at: dt.datetime | None) -> None:
        """Replace the content of an existing campaign (and set or move its schedule)."""
        ...

    def send_test(self, campaign: Campaign, emails: Sequence[str]) -> None:
        """Send the campaign as a test to these addresses."""
        ...

    def send_now(self, campaign: Campaign) -> None:
        """Send the campaign to its lists now."""
        ...

    def close(self) -> None:
        """Release the HTTP connections."""
        ...


# -- statistics (`newsletter stats`) ------------------------------------------------------------


@dataclass(frozen=True)
class CampaignStats:
    """A sent campaign's figures, provider-neutral (unique counts; rates are computed on `delivered`)."""

    sent: int
    delivered: int
    unique_opens: int
    unique_clicks: int
    hard_bounces: int
    soft_bounces: int
    unsubscriptions: int
    complaints: int


@dataclass(frozen=True)
class StatsReading:
    """A campaign as the provider has it now, with its figures."""

    campaign: Campaign
    figures: CampaignStats


class StatsNotReadyError(ProviderError):
    """The campaign exists but has no statistics (not sent, sent a moment ago, or too long ago).

    `campaign` is the campaign as read, when it was (its status is recorded all the same).
    """

    def __init__(self, message: str, *, campaign: Campaign | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.campaign = campaign


class StatsProvider(Protocol):
    """A provider that reports statistics (Brevo, Mailjet; the outbox has none)."""

    name: str
    #: How long the provider keeps a campaign's statistics (None: no documented limit).
    stats_retention: dt.timedelta | None

    def campaign_stats(self, campaign_id: str) -> StatsReading:
        """The campaign and its figures; NotFoundError when it is gone, StatsNotReadyError when not available."""
        ...

    def link_stats(self, campaign_id: str) -> dict[str, int]:
        """Unique clicks per link URL (as the provider saw it, UTM parameters included)."""
        ...

    def close(self) -> None:
        """Release the HTTP connections."""
        ...
