"""Brevo (API v3) email campaigns: see reference/brevo.md for every call used here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from newsletter.errors import ProviderError
from newsletter.providers.base import (
    Campaign,
    CampaignStats,
    MailingList,
    Message,
    NotFoundError,
    StatsNotReadyError,
    Status,
)
from newsletter.providers.retry import ApiClient, raise_for_error

logger = logging.getLogger(__name__)

KEY_VARS = "BREVO_API_KEY"
PAGE = 100  # the maximum `limit` of GET /emailCampaigns
LISTS_PAGE = 50  # the maximum `limit` of GET /contacts/lists

_STATUSES = {
    "draft": Status.draft,
    "queued": Status.scheduled,
    "suspended": Status.suspended,
    "in_process": Status.sending,
    "sent": Status.sent,
}


def parse_time(value: object) -> dt.datetime | None:
    """Brevo date-times: ISO 8601 with Z or an offset; "" or absent means none."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class BrevoProvider:
    """Campaigns on Brevo. `api` carries the `api-key` header; the key itself is not kept here."""

    name = "brevo"

    def __init__(self, api: ApiClient, *, list_ids: Sequence[int]) -> None:
        self.api = api
        self.list_ids = list(list_ids)

    def _json(self, method: str, path: str, *, safe: bool, what: str, **kwargs: Any) -> Any:
        response = self.api.call(method, path, safe=safe, **kwargs)
        raise_for_error(response, provider=self.name, what=what, key_vars=KEY_VARS)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ProviderError(f"brevo answered {what} with a body that is not JSON") from None

    def close(self) -> None:
        """Release the HTTP connections."""
        self.api.client.close()

    def preflight(self, message: Message) -> list[MailingList]:
        """GET /account (the key), GET /senders (active sender), GET /contacts/lists (lists, counts)."""
        if not self.list_ids:
            raise ProviderError("no Brevo list to send to: [brevo] list_ids is empty in newsletter.toml", hint="add the id of your contact list, e.g. list_ids = [2]")
        self._json("GET", "/account", safe=True, what="the account check")
        senders = self._json("GET", "/senders", safe=True, what="the list of senders") or {}
        wanted = message.sender_email.lower()
        match = [s for s in senders.get("senders", []) if str(s.get("email", "")).lower() == wanted]
        if not match:
            raise ProviderError(
                f"the sender {message.sender_email} is not a sender of this Brevo account",
                hint="add and verify it in Brevo (Senders, domains & dedicated IPs), or fix [brevo] sender_email",
            )
        if not any(s.get("active") for s in match):
            raise ProviderError(
                f"the sender {message.sender_email} is not verified (inactive) on Brevo",
                hint="open the confirmation email Brevo sent to that address, or verify the domain, then try again",
            )
        found: dict[int, MailingList] = {}
        offset = 0
        while True:
            page = self._json("GET", "/contacts/lists", safe=True, what="the contact lists", params={"limit": LISTS_PAGE, "offset": offset}) or {}
            for item in page.get("lists", []):
                if item.get("id") in self.list_ids:
                    found[item["id"]] = MailingList(str(item["id"]), str(item.get("name", "")), int(item.get("totalSubscribers", 0)))
            offset += LISTS_PAGE
            if len(found) == len(set(self.list_ids)) or offset >= int(page.get("count", 0)) or not page.get("lists"):
                break
        missing = [str(i) for i in self.list_ids if i not in found]
        if missing:
            raise ProviderError(
                f"Brevo has no contact list with id {', '.join(missing)}",
                hint="check [brevo] list_ids in newsletter.toml against Contacts > Lists in Brevo",
            )
        lists = [found[i] for i in dict.fromkeys(self.list_ids)]
        empty = [f"{lst.name} (id {lst.id})" for lst in lists if lst.subscribers < 1]
        if empty:
            raise ProviderError(f"the Brevo list {', '.join(empty)} has no subscribers", hint="import contacts into it or choose another list")
        return lists

    def _campaign(self, data: dict[str, Any]) -> Campaign:
        raw = str(data.get("status", ""))
        return Campaign(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            status=_STATUSES.get(raw, Status.unknown),
            raw_status=raw,
            subject=str(data.get("subject", "")),
            scheduled_at=parse_time(data.get("scheduledAt")),
            url=data.get("shareLink") or None,
        )

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        """GET /emailCampaigns/{id}; None on 404."""
        try:
            data = self._json("GET", f"/emailCampaigns/{campaign_id}", safe=True, what=f"campaign {campaign_id}")
        except NotFoundError:
            return None
        return self._campaign(data)

    def find_campaign(self, name: str) -> Campaign | None:
        """Page through the classic campaigns, newest first (every status: a sent one must be seen too)."""
        offset = 0
        while True:
            params: dict[str, str | int] = {"type": "classic", "limit": PAGE, "offset": offset, "sort": "desc", "excludeHtmlContent": "true"}
            page = self._json("GET", "/emailCampaigns", safe=True, what="the list of campaigns", params=params) or {}
            for item in page.get("campaigns", []):
                if item.get("name") == name:
                    return self._campaign(item)
            offset += PAGE
            if offset >= int(page.get("count", 0)) or not page.get("campaigns"):
                return None

    def _body(self, message: Message, schedule_at: dt.datetime | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": message.name,
            "subject": message.subject,
            "sender": {"name": message.sender_name, "email": message.sender_email},
            "htmlContent": message.html,
            "recipients": {"listIds": self.list_ids},
        }
        if message.preheader:
            body["previewText"] = message.preheader
        if message.reply_to:
            body["replyTo"] = message.reply_to
        if schedule_at is not None:
            body["scheduledAt"] = schedule_at.isoformat(timespec="seconds")
        logger.info("brevo: campaigns take no text part; the text version (%d characters) is not uploaded", len(message.text))
        return body

    def create_campaign(self, message: Message, *, schedule_at: dt.datetime | None, on_created: Callable[[str], None]) -> None:
        """POST /emailCampaigns (one call; scheduledAt goes in the same body)."""
        data = self._json("POST", "/emailCampaigns", safe=False, what="the new campaign", json=self._body(message, schedule_at))
        if not isinstance(data, dict) or "id" not in data:
            raise ProviderError("brevo created a campaign but did not say its id")
        on_created(str(data["id"]))

    def update_campaign(self, campaign: Campaign, message: Message, *, schedule_at: dt.datetime | None) -> None:
        """PUT /emailCampaigns/{id} with every field we own (a full replace: safe to repeat)."""
        self._json("PUT", f"/emailCampaigns/{campaign.id}", safe=True, what=f"the update of campaign {campaign.id}", json=self._body(message, schedule_at))

    def send_test(self, campaign: Campaign, emails: Sequence[str]) -> None:
        """POST /emailCampaigns/{id}/sendTest (at most 50 a day on Brevo)."""
        response = self.api.call("POST", f"/emailCampaigns/{campaign.id}/sendTest", safe=False, json={"emailTo": list(emails)})
        if response.status_code == 400:
            body = _safe_json(response)
            unknown = (body.get("unexistingEmails") or []) if isinstance(body, dict) else []
            if unknown:
                raise ProviderError(
                    f"Brevo could not send the test to {', '.join(unknown)}: not a contact of the account",
                    hint="add these addresses as contacts in Brevo (a test list), then try again",
                )
        raise_for_error(response, provider=self.name, what="the test", key_vars=KEY_VARS)

    def send_now(self, campaign: Campaign) -> None:
        """POST /emailCampaigns/{id}/sendNow."""
        self._json("POST", f"/emailCampaigns/{campaign.id}/sendNow", safe=False, what="the sending")

    # -- statistics (reference/brevo.md §6) -------------------------------------------------------

    def _statistics(self, campaign_id: str, kind: str) -> dict[str, Any]:
        data = self._json("GET", f"/emailCampaigns/{campaign_id}", safe=True, what=f"the statistics of campaign {campaign_id}", params={"statistics": kind})
        data = data if isinstance(data, dict) else {}
        status = str(data.get("status", ""))
        if status not in ("sent", "in_process", "archive"):
            raise StatsNotReadyError(f"brevo campaign {campaign_id} is not sent yet (status {status or 'unknown'}), so it has no statistics")
        statistics = data.get("statistics")
        return statistics if isinstance(statistics, dict) else {}

    def campaign_stats(self, campaign_id: str) -> CampaignStats:
        """GET /emailCampaigns/{id}?statistics=globalStats; StatsNotReadyError until Brevo has counted."""
        stats = self._statistics(campaign_id, "globalStats").get("globalStats")
        if not isinstance(stats, dict) or not stats or _count(stats, "sent") + _count(stats, "delivered") == 0:
            raise StatsNotReadyError(f"brevo has no statistics yet for campaign {campaign_id}")
        return CampaignStats(
            sent=_count(stats, "sent"),
            delivered=_count(stats, "delivered"),
            unique_opens=_count(stats, "uniqueViews"),
            unique_clicks=_count(stats, "uniqueClicks"),  # not `clickers`, which counts every click
            hard_bounces=_count(stats, "hardBounces"),
            soft_bounces=_count(stats, "softBounces"),
            unsubscriptions=_count(stats, "unsubscriptions"),
            complaints=_count(stats, "complaints"),
        )

    def link_stats(self, campaign_id: str) -> dict[str, int]:
        """GET /emailCampaigns/{id}?statistics=linksStats; both shapes of the spec ({url: n} and {url: {nbClick: n}})."""
        links = self._statistics(campaign_id, "linksStats").get("linksStats")
        found: dict[str, int] = {}
        for url, value in (links.items() if isinstance(links, dict) else []):
            found[str(url)] = _count(value, "nbClick") if isinstance(value, dict) else _count({"n": value}, "n")
        return found


def _safe_json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _count(data: dict[str, Any], key: str) -> int:
    """A counter from a statistics object: absent, null or unreadable is 0."""
    try:
        return max(0, int(data.get(key) or 0))
    except (TypeError, ValueError):
        return 0
