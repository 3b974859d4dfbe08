"""Mailing providers: the registry and `build_provider`, which checks the keys and builds the client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsletter.choices import Provider
from newsletter.errors import ConfigError
from newsletter.i18n import _
from newsletter.providers.base import CampaignProvider

# httpx and the retry client are imported where a provider is built: the state files
# (campaigns.py) import providers.base, which runs this module, and `report --cached` or
# `archive` reading the state need no HTTP client (~0.3 s of imports).
if TYPE_CHECKING:
    import httpx
    from pydantic import SecretStr

    from newsletter.config import Settings
    from newsletter.providers.retry import RetryPolicy


def require_key(secret: SecretStr | None, variable: str, *, provider: str) -> str:
    """The key's value, or a ConfigError that names the variable (never the value)."""
    if secret is None or not secret.get_secret_value():
        raise ConfigError(
            _("no API key for {provider}: the environment variable {variable} is not set").format(provider=provider, variable=variable),
            hint=_("set {variable} in your shell (for example export {variable}=...), or use --provider outbox to write the campaign to files").format(
                variable=variable
            ),
        )
    value = secret.get_secret_value()
    if not value.isascii():  # an HTTP header cannot carry it: httpx raised UnicodeEncodeError
        raise ConfigError(
            _(
                "the API key in {variable} contains a non-ASCII character (an accented letter, a curly quote, a dash): API keys are plain ASCII"
            ).format(variable=variable),
            hint=_("copy the key again from {provider}'s API keys page and set {variable} again").format(provider=provider, variable=variable),
        )
    if any(ch.isspace() for ch in value) or not value.isprintable():
        raise ConfigError(
            _("the API key in {variable} contains spaces, a line break or invisible characters").format(variable=variable),
            hint=_("copy the key again without the surrounding spaces or newline and set {variable} again").format(variable=variable),
        )
    return value


def _client(base_url: str, timeout: float, *, headers: dict[str, str], auth: httpx.Auth | None = None) -> httpx.Client:
    from newsletter.http import build_client

    # No redirects: a provider API that redirects is misconfigured, and a redirect could carry the key elsewhere.
    client = build_client(timeout=timeout, base_url=base_url.rstrip("/"), headers={"Accept": "application/json", **headers}, follow_redirects=False)
    if auth is not None:
        client.auth = auth
    return client


def _brevo(settings: Settings, policy: RetryPolicy, now: Callable[[], dt.datetime]) -> CampaignProvider:
    from newsletter.providers.brevo import BrevoProvider
    from newsletter.providers.retry import ApiClient

    key = require_key(settings.secrets.brevo_api_key, "BREVO_API_KEY", provider="Brevo")
    section = settings.file.brevo
    client = _client(section.base_url, section.timeout, headers={"api-key": key})
    return BrevoProvider(ApiClient(client, "brevo", policy), list_ids=section.list_ids)


def _mailjet(settings: Settings, policy: RetryPolicy, now: Callable[[], dt.datetime]) -> CampaignProvider:
    import httpx

    from newsletter.providers.mailjet import MailjetProvider
    from newsletter.providers.retry import ApiClient

    public = require_key(settings.secrets.mailjet_public, "MJ_APIKEY_PUBLIC", provider="Mailjet")
    private = require_key(settings.secrets.mailjet_private, "MJ_APIKEY_PRIVATE", provider="Mailjet")
    section = settings.file.mailjet
    client = _client(section.base_url, section.timeout, headers={}, auth=httpx.BasicAuth(public, private))
    return MailjetProvider(ApiClient(client, "mailjet", policy), contacts_list_id=section.contacts_list_id)


def _outbox(settings: Settings, policy: RetryPolicy, now: Callable[[], dt.datetime]) -> CampaignProvider:
    from newsletter.providers.outbox import OutboxProvider

    nl = settings.file.newsletter
    return OutboxProvider(settings.path(settings.file.outbox.dir), now=now, unsubscribe_url=nl.unsubscribe_url, contact_email=nl.contact_email)


#: provider name -> factory(settings, retry policy, clock)
PROVIDERS: dict[Provider, Callable[[Settings, RetryPolicy, Callable[[], dt.datetime]], CampaignProvider]] = {
    Provider.brevo: _brevo,
    Provider.mailjet: _mailjet,
    Provider.outbox: _outbox,
}


def build_provider(
    settings: Settings,
    *,
    now: Callable[[], dt.datetime],
    policy: RetryPolicy | None = None,
) -> CampaignProvider:
    """The configured (or --provider) provider, ready to call; ConfigError when a key is missing or malformed."""
    from newsletter.providers.retry import RetryPolicy

    return PROVIDERS[settings.provider](settings, policy or RetryPolicy(), now)
