"""Campaign statuses read back from the providers, for a command that does not send (`archive`).

A scheduled campaign becomes sent on the provider's side without any call of ours, and a send
whose outcome was not known is settled there later: before it publishes, `archive` asks the
provider about the campaigns the state cannot vouch for, and records what it shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from newsletter.campaigns import CampaignRecord, Observation, follow_provider, load_state
from newsletter.choices import Provider
from newsletter.config import Settings
from newsletter.errors import NewsletterError
from newsletter.i18n import _
from newsletter.providers.base import CampaignProvider
from newsletter.providers.retry import RetryPolicy

logger = logging.getLogger(__name__)

#: Statuses the state cannot vouch for: the provider may have sent the campaign since.
UNSETTLED = ("scheduled", "maybe-sent", "sending", "unknown")


def open_campaign_provider(settings: Settings, name: Provider, policy: RetryPolicy, now: Callable[[], dt.datetime]) -> CampaignProvider:
    """Brevo's or Mailjet's client (ConfigError when its key is missing)."""
    from newsletter.providers import PROVIDERS

    return PROVIDERS[name](settings, policy, now)


def confirm_statuses(
    settings: Settings,
    *,
    now: Callable[[], dt.datetime],
    policy: RetryPolicy,
    open_provider: Callable[[Settings, Provider, RetryPolicy, Callable[[], dt.datetime]], CampaignProvider] = open_campaign_provider,
) -> dict[str, str]:
    """Ask the providers about the campaigns whose status is unsettled, and record what they show.

    Returns issue stem -> why its status could not be confirmed (no key, offline, the campaign
    is gone or is another one); those issues keep whatever the site has of them.
    """
    pending: dict[Provider, list[CampaignRecord]] = {}
    for record in load_state(settings.state_dir).records():
        if record.status in UNSETTLED and record.provider in (Provider.brevo, Provider.mailjet):
            pending.setdefault(Provider(record.provider), []).append(record)
    unconfirmed: dict[str, str] = {}
    seen: list[Observation] = []
    for name, records in pending.items():
        try:
            provider = open_provider(settings, name, policy, now)
        except NewsletterError as exc:
            for record in records:
                unconfirmed[record.issue] = _("{provider}: {reason}").format(provider=record.provider, reason=exc.message)
            continue
        try:
            for record in records:
                why = _read(provider, record, seen)
                if why is not None:
                    unconfirmed[record.issue] = why
        finally:
            provider.close()
    if seen:
        follow_provider(settings.state_dir, seen, now=now())
    return unconfirmed


def _read(provider: CampaignProvider, record: CampaignRecord, seen: list[Observation]) -> str | None:
    try:
        campaign = provider.get_campaign(record.id)
    except NewsletterError as exc:
        return exc.message
    if campaign is None:
        return _("campaign {id} no longer exists on {provider}").format(id=record.id, provider=record.provider)
    if campaign.name != record.name:
        return _("campaign {id} on {provider} is named '{found}', not '{name}': it is another campaign").format(
            id=record.id, provider=record.provider, found=campaign.name, name=record.name
        )
    logger.info(
        _("{provider} campaign {id} of {issue}: {status}").format(provider=record.provider, id=record.id, issue=record.issue, status=campaign.raw_status)
    )
    seen.append(Observation(record.issue, record.provider, campaign.status.value, campaign.sent_at, campaign.scheduled_at))
    return None
