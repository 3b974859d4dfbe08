"""Brevo (API v3) email campaigns: see reference/brevo.md for every call used here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, TypeVar

from pydantic import BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel

from newsletter import formats
from newsletter.errors import ProviderError
from newsletter.i18n import _, ngettext
from newsletter.providers.base import (
    Campaign,
    CampaignStats,
    MailingList,
    Message,
    NotFoundError,
    StatsNotReadyError,
    StatsReading,
    Status,
    parse_time,
)
from newsletter.providers.retry import (
    ApiClient,
    Count,
    Ignored,
    Payload,
    Text,
    parse_payload,
    raise_for_error,
)

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


# -- Brevo's answers (reference/brevo.md), only the fields we use; camelCase on the wire ----------


class _Brevo(Payload):
    model_config = ConfigDict(alias_generator=to_camel)


class _Sender(_Brevo):
    email: Text = ""
    active: bool = False


class _Senders(_Brevo):
    senders: list[_Sender] = []


class _List(_Brevo):
    id: int
    name: Text = ""
    total_subscribers: Count = 0


class _Lists(_Brevo):
    lists: list[_List] = []
    count: Count = 0


class _Campaign(_Brevo):
    id: int | str
    name: Text = ""
    status: Text = ""
    subject: Text = ""
    scheduled_at: str | None = None
    share_link: str | None = None
    sent_date: str | None = None  # only once sent (reference/brevo.md §5)


class _Campaigns(_Brevo):
    campaigns: list[_Campaign] = []
    count: Count = 0


class _Created(_Brevo):
    id: int | str | None = None  # absent: said in words by create_campaign (the campaign exists)


class _TestRefused(_Brevo):
    unexisting_emails: list[str] = []


class _GlobalStats(_Brevo):
    sent: Count = 0
    delivered: Count = 0
    unique_views: Count = 0
    unique_clicks: Count = 0  # not `clickers`, which counts every click
    hard_bounces: Count = 0
    soft_bounces: Count = 0
    unsubscriptions: Count = 0
    complaints: Count = 0


def _link_clicks(value: object) -> object:
    # The spec gives both shapes: {url: n} and {url: {"nbClick": n}}.
    return value.get("nbClick") if isinstance(value, dict) else value


class _Statistics(_Brevo):
    global_stats: _GlobalStats | None = None
    links_stats: dict[str, Annotated[Count, BeforeValidator(_link_clicks)]] = {}


class _CampaignStatistics(_Campaign):
    id: int | str = ""
    statistics: _Statistics = _Statistics()


M = TypeVar("M", bound=Payload)


class BrevoProvider:
    """Campaigns on Brevo. `api` carries the `api-key` header; the key itself is not kept here."""

    name = "brevo"

    def __init__(self, api: ApiClient, *, list_ids: Sequence[int]) -> None:
        self.api = api
        self.list_ids = list(list_ids)

    def _json(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        safe: bool,
        what: str,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> M | None:
        """Call, turn an error into words, and validate the answer as `model` (None when empty)."""
        response = self.api.call(method, path, safe=safe, json=json, params=params)
        raise_for_error(response, provider=self.name, what=what, key_vars=KEY_VARS)
        if response.status_code == 204 or not response.content:
            return None
        try:
            body = response.json()
        except ValueError:
            raise ProviderError(_("{provider} answered {what} with a body that is not JSON").format(provider="brevo", what=what)) from None
        return parse_payload(model, body, provider=self.name, what=what)

    def close(self) -> None:
        """Release the HTTP connections."""
        self.api.client.close()

    def preflight(self, message: Message) -> list[MailingList]:
        """GET /account (the key), GET /senders (active sender), GET /contacts/lists (lists, counts)."""
        if not self.list_ids:
            raise ProviderError(
                _("no Brevo list to send to: [brevo] list_ids is empty in newsletter.toml"), hint=_("add the id of your contact list, for example list_ids = [2]")
            )
        self._json("GET", "/account", Ignored, safe=True, what=_("the account check"))
        senders = self._json("GET", "/senders", _Senders, safe=True, what=_("the list of senders")) or _Senders()
        wanted = message.sender_email.lower()
        match = [s for s in senders.senders if s.email.lower() == wanted]
        if not match:
            raise ProviderError(
                _("the sender {address} is not a sender of this Brevo account").format(address=message.sender_email),
                hint=_("add and verify it in Brevo (Senders, domains & dedicated IPs), or fix [brevo] sender_email"),
            )
        if not any(s.active for s in match):
            raise ProviderError(
                _("the sender {address} is not verified (inactive) on Brevo").format(address=message.sender_email),
                hint=_("open the confirmation email Brevo sent to that address, or verify the domain, then try again"),
            )
        found: dict[int, MailingList] = {}
        offset = 0
        while True:
            page = self._json("GET", "/contacts/lists", _Lists, safe=True, what=_("the contact lists"), params={"limit": LISTS_PAGE, "offset": offset}) or _Lists()
            for item in page.lists:
                if item.id in self.list_ids:
                    found[item.id] = MailingList(str(item.id), item.name, item.total_subscribers)
            offset += LISTS_PAGE
            if len(found) == len(set(self.list_ids)) or offset >= page.count or not page.lists:
                break
        missing = [str(i) for i in self.list_ids if i not in found]
        if missing:
            raise ProviderError(
                ngettext("Brevo has no contact list with id {ids}", "Brevo has no contact lists with ids {ids}", len(missing)).format(ids=", ".join(missing)),
                hint=_("check [brevo] list_ids in newsletter.toml against Contacts > Lists in Brevo"),
            )
        lists = [found[i] for i in dict.fromkeys(self.list_ids)]
        empty = [f"{lst.name} (id {lst.id})" for lst in lists if lst.subscribers < 1]
        if empty:
            raise ProviderError(
                ngettext("the Brevo list {lists} has no subscribers", "the Brevo lists {lists} have no subscribers", len(empty)).format(lists=", ".join(empty)),
                hint=_("import contacts into it or choose another list"),
            )
        return lists

    def _campaign(self, data: _Campaign) -> Campaign:
        sent_at = parse_time(data.sent_date)
        status = _STATUSES.get(data.status, Status.unknown)
        if status is Status.unknown and sent_at is not None:
            status = Status.sent  # e.g. `archive`: a sent campaign put away (sentDate is set only once sent)
        return Campaign(
            id=str(data.id),
            name=data.name,
            status=status,
            raw_status=data.status,
            subject=data.subject,
            scheduled_at=parse_time(data.scheduled_at),
            url=data.share_link or None,
            sent_at=sent_at,
        )

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        """GET /emailCampaigns/{id}; None on 404."""
        try:
            data = self._json("GET", f"/emailCampaigns/{campaign_id}", _Campaign, safe=True, what=_("campaign {id}").format(id=campaign_id))
        except NotFoundError:
            return None
        if data is None:
            raise ProviderError(_("brevo answered campaign {id} with an empty body").format(id=campaign_id))
        return self._campaign(data)

    def find_campaign(self, name: str) -> Campaign | None:
        """Page through the classic campaigns, newest first (every status: a sent one must be seen too)."""
        offset = 0
        while True:
            params: dict[str, str | int] = {"type": "classic", "limit": PAGE, "offset": offset, "sort": "desc", "excludeHtmlContent": "true"}
            page = self._json("GET", "/emailCampaigns", _Campaigns, safe=True, what=_("the list of campaigns"), params=params) or _Campaigns()
            for item in page.campaigns:
                if item.name == name:
                    return self._campaign(item)
            offset += PAGE
            if offset >= page.count or not page.campaigns:
                return None

    def _body(self, message: Message, schedule_at: dt.datetime | None) -> dict[str, object]:
        body: dict[str, object] = {
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
        logger.info(_("brevo: campaigns take no text part; the text version ({n} characters) is not uploaded").format(n=formats.integer(len(message.text))))
        return body

    def create_campaign(self, message: Message, *, schedule_at: dt.datetime | None, on_created: Callable[[str], None]) -> None:
        """POST /emailCampaigns (one call; scheduledAt goes in the same body)."""
        data = self._json("POST", "/emailCampaigns", _Created, safe=False, what=_("the new campaign"), json=self._body(message, schedule_at))
        if data is None or data.id is None:
            raise ProviderError(_("brevo created a campaign but did not say its id"))
        on_created(str(data.id))

    def update_campaign(self, campaign: Campaign, message: Message, *, schedule_at: dt.datetime | None) -> None:
        """PUT /emailCampaigns/{id} with every field we own (a full replace: safe to repeat)."""
        self._json("PUT", f"/emailCampaigns/{campaign.id}", Ignored, safe=True, what=_("the update of campaign {id}").format(id=campaign.id), json=self._body(message, schedule_at))

    def send_test(self, campaign: Campaign, emails: Sequence[str]) -> None:
        """POST /emailCampaigns/{id}/sendTest (at most 50 a day on Brevo)."""
        response = self.api.call("POST", f"/emailCampaigns/{campaign.id}/sendTest", safe=False, json={"emailTo": list(emails)})
        if response.status_code == 400:
            try:
                unknown = _TestRefused.model_validate_json(response.content).unexisting_emails
            except ValueError:  # not JSON, or not this shape: the generic words below
                unknown = []
            if unknown:
                raise ProviderError(
                    _("Brevo could not send the test to {addresses}: not a contact of the account").format(addresses=", ".join(unknown)),
                    hint=_("add these addresses as contacts in Brevo (a test list), then try again"),
                )
        raise_for_error(response, provider=self.name, what=_("the test"), key_vars=KEY_VARS)

    def send_now(self, campaign: Campaign) -> None:
        """POST /emailCampaigns/{id}/sendNow; a suspended campaign is first set back to draft.

        Brevo sends only a draft: a schedule cancelled (`suspended`) must be set back with
        PUT /emailCampaigns/{id}/status {"status": "draft"} first (reference/brevo.md, addendum).
        """
        if campaign.status is Status.suspended:
            self._json("PUT", f"/emailCampaigns/{campaign.id}/status", Ignored, safe=True, what=_("setting campaign {id} back to draft").format(id=campaign.id), json={"status": "draft"})
        self._json("POST", f"/emailCampaigns/{campaign.id}/sendNow", Ignored, safe=False, what=_("the sending"))

    # -- statistics (reference/brevo.md §6) -------------------------------------------------------

    def _statistics(self, campaign_id: str, kind: str) -> tuple[Campaign, _Statistics]:
        what = _("the statistics of campaign {id}").format(id=campaign_id)
        data = self._json("GET", f"/emailCampaigns/{campaign_id}", _CampaignStatistics, safe=True, what=what, params={"statistics": kind})
        data = data or _CampaignStatistics(id=campaign_id)
        campaign = self._campaign(data)
        if data.status not in ("sent", "in_process", "archive"):
            raise StatsNotReadyError(
                _("brevo campaign {id} is not sent yet (status {status}), so it has no statistics").format(id=campaign_id, status=data.status or _("unknown")),
                campaign=campaign,
            )
        return campaign, data.statistics

    #: "Only events from the last 6 months" (reference/brevo.md §5 and addendum): older campaigns read 0.
    stats_retention = dt.timedelta(days=183)

    def campaign_stats(self, campaign_id: str) -> StatsReading:
        """GET /emailCampaigns/{id}?statistics=globalStats; StatsNotReadyError until Brevo has counted."""
        campaign, statistics = self._statistics(campaign_id, "globalStats")
        stats = statistics.global_stats
        if stats is None or stats.sent + stats.delivered == 0:
            raise StatsNotReadyError(_("brevo has no statistics yet for campaign {id}").format(id=campaign_id), campaign=campaign)
        return StatsReading(campaign, CampaignStats(
            sent=stats.sent,
            delivered=stats.delivered,
            unique_opens=stats.unique_views,
            unique_clicks=stats.unique_clicks,
            hard_bounces=stats.hard_bounces,
            soft_bounces=stats.soft_bounces,
            unsubscriptions=stats.unsubscriptions,
            complaints=stats.complaints,
        ))

    def link_stats(self, campaign_id: str) -> dict[str, int]:
        """GET /emailCampaigns/{id}?statistics=linksStats; both shapes of the spec ({url: n} and {url: {nbClick: n}})."""
        return dict(self._statistics(campaign_id, "linksStats")[1].links_stats)
