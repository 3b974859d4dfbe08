"""Mailjet (API v3 REST) campaign drafts: see reference/mailjet.md for every call used here."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from pydantic import Field

from newsletter.errors import ProviderError
from newsletter.i18n import _, ngettext
from newsletter.providers.base import (
    Campaign,
    CampaignStats,
    MailingList,
    Message,
    NotFoundError,
    OutcomeUnknownError,
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

KEY_VARS = "MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE"
PAGE = 1000  # the maximum `Limit` of Mailjet's REST API

# Draft Status is an integer (reference/mailjet.md §3).
_STATUSES = {0: Status.draft, 1: Status.scheduled, 2: Status.sent}


def with_preheader(html: str, preheader: str) -> str:
    """Mailjet drafts have no preheader field: make sure the HTML carries it, hidden after <body>."""
    if not preheader or html_lib.escape(preheader, quote=False) in html or preheader in html:
        return html
    span = (
        '<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;">'
        f"{html_lib.escape(preheader, quote=False)}</div>"
    )
    match = re.search(r"<body[^>]*>", html, flags=re.IGNORECASE)
    if match is None:
        return span + html
    return html[: match.end()] + span + html[match.end():]


# -- Mailjet's answers (reference/mailjet.md), only the fields we use; PascalCase on the wire -------


class _Sender(Payload):
    email: Text = Field("", alias="Email")
    status: Text = Field("", alias="Status")


class _ContactList(Payload):
    id: int | None = Field(None, alias="ID")
    name: Text = Field("", alias="Name")
    subscriber_count: Count = Field(0, alias="SubscriberCount")
    is_deleted: bool = Field(False, alias="IsDeleted")


class _Draft(Payload):
    id: int = Field(alias="ID")
    title: Text = Field("", alias="Title")
    status: int | str | None = Field(None, alias="Status")  # an integer (§3); anything else is "unknown"
    subject: Text = Field("", alias="Subject")
    url: str | None = Field(None, alias="Url")
    campaign_id: Count = Field(0, alias="CampaignID")  # the sent campaign, 0 until sent
    delivered_at: str | None = Field(None, alias="DeliveredAt")  # "" (or null) until sent


class _Counters(Payload):
    total: Count = Field(0, alias="Total")  # processed messages
    message_sent_count: Count = Field(0, alias="MessageSentCount")  # Mailjet's "sent": accepted by the recipient's server
    message_opened_count: Count = Field(0, alias="MessageOpenedCount")
    message_clicked_count: Count = Field(0, alias="MessageClickedCount")
    message_hard_bounced_count: Count = Field(0, alias="MessageHardBouncedCount")
    message_soft_bounced_count: Count = Field(0, alias="MessageSoftBouncedCount")
    message_unsubscribed_count: Count = Field(0, alias="MessageUnsubscribedCount")
    message_spam_count: Count = Field(0, alias="MessageSpamCount")


class _Created(Payload):
    id: int | None = Field(None, alias="ID")  # absent: said in words by create_campaign (the draft exists)


class _LinkClick(Payload):
    url: Text = Field("", alias="URL")
    clicked_messages_count: Count = Field(0, alias="ClickedMessagesCount")


R = TypeVar("R", bound=Payload)


def _envelope(body: object, model: type[R], *, what: str) -> tuple[list[R], int]:
    """The rows of Mailjet's {Count, Data, Total} envelope, each validated as `model`, and Total."""
    if not isinstance(body, dict) or not isinstance(body.get("Data"), list):
        raise ProviderError(_("mailjet answered with a body that is not its usual {envelope} envelope").format(envelope="{Count, Data, Total}"))
    rows = [parse_payload(model, item, provider="mailjet", what=what) for item in body["Data"]]
    total = body.get("Total")
    return rows, total if isinstance(total, int) else len(rows)


class MailjetProvider:
    """Campaign drafts on Mailjet; `api` carries HTTP Basic auth (public key, private key)."""

    name = "mailjet"

    def __init__(self, api: ApiClient, *, contacts_list_id: int | None) -> None:
        self.api = api
        self.contacts_list_id = contacts_list_id

    def _page(
        self,
        method: str,
        path: str,
        model: type[R],
        *,
        safe: bool,
        what: str,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> tuple[list[R], int]:
        """Call, turn an error into words, and validate the envelope's rows as `model` (with Total)."""
        response = self.api.call(method, path, safe=safe, json=json, params=params)
        raise_for_error(response, provider=self.name, what=what, key_vars=KEY_VARS)
        if response.status_code in (204, 304) or not response.content:
            return [], 0
        try:
            body = response.json()
        except ValueError:
            raise ProviderError(_("{provider} answered {what} with a body that is not JSON").format(provider="mailjet", what=what)) from None
        return _envelope(body, model, what=what)

    def _call(
        self,
        method: str,
        path: str,
        model: type[R],
        *,
        safe: bool,
        what: str,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> list[R]:
        return self._page(method, path, model, safe=safe, what=what, json=json, params=params)[0]

    def close(self) -> None:
        """Release the HTTP connections."""
        self.api.client.close()

    def preflight(self, message: Message) -> list[MailingList]:
        """GET /sender?Email= (checks the key pair too; then the domain senders), GET /contactslist/{id}."""
        if self.contacts_list_id is None:
            raise ProviderError(
                _("no Mailjet list to send to: [mailjet] contacts_list_id is not set in newsletter.toml"),
                hint=_("add the id of your contact list, for example contacts_list_id = 10"),
            )
        match = self._senders_for(message.sender_email)
        if not match:
            raise ProviderError(
                _("the sender {address} is not a sender of this Mailjet account").format(address=message.sender_email),
                hint=_("add and validate it in Mailjet (Account settings > Sender addresses), or fix [mailjet] sender_email"),
            )
        if not any(s.status.lower() == "active" for s in match):
            raise ProviderError(
                _("the sender {address} is not verified (not Active) on Mailjet").format(address=message.sender_email),
                hint=_("click the validation link Mailjet sent to that address, then try again"),
            )
        try:
            found = self._call("GET", f"/contactslist/{self.contacts_list_id}", _ContactList, safe=True, what=_("contact list {id}").format(id=self.contacts_list_id))
        except NotFoundError:
            found = []
        if not found or found[0].is_deleted:
            raise ProviderError(
                _("Mailjet has no contact list with id {id}").format(id=self.contacts_list_id),
                hint=_("check [mailjet] contacts_list_id in newsletter.toml against Contacts > Contact lists in Mailjet"),
            )
        item = found[0]
        lst = MailingList(str(item.id if item.id is not None else self.contacts_list_id), item.name, item.subscriber_count)
        # Mailjet refuses to send to a list with fewer than two active subscribers (reference §5).
        if lst.subscribers < 2:
            raise ProviderError(
                ngettext(
                    "the Mailjet list {name} (id {id}) has {n} subscriber; Mailjet sends only to lists with at least two",
                    "the Mailjet list {name} (id {id}) has {n} subscribers; Mailjet sends only to lists with at least two",
                    lst.subscribers,
                ).format(name=lst.name, id=lst.id, n=lst.subscribers),
                hint=_("import contacts into it or choose another list"),
            )
        return [lst]

    def _senders_for(self, address: str) -> list[_Sender]:
        """The senders that may send as `address`: the address itself, else its whole domain.

        A domain validated on Mailjet is the sender `*@example.org` (IsDomainSender), which the
        `Email` filter does not return (reference/mailjet.md, addendum).
        """
        wanted = address.lower()
        senders = self._call("GET", "/sender", _Sender, safe=True, what=_("the list of senders"), params={"Email": address, "Limit": PAGE})
        match = [s for s in senders if s.email.lower() == wanted]
        if match and any(s.status.lower() == "active" for s in match):
            return match
        domain = "*@" + wanted.rpartition("@")[2]
        domains = self._call("GET", "/sender", _Sender, safe=True, what=_("the list of domain senders"), params={"IsDomainSender": "true", "Limit": PAGE})
        return match + [s for s in domains if s.email.lower() == domain]

    def _campaign(self, data: _Draft) -> Campaign:
        raw = data.status
        return Campaign(
            id=str(data.id),
            name=data.title,
            status=_STATUSES.get(raw, Status.unknown) if isinstance(raw, int) else Status.unknown,
            raw_status=str(raw),
            subject=data.subject,
            scheduled_at=None,  # the draft does not carry its schedule; the state file does
            url=data.url or None,
            sent_at=parse_time(data.delivered_at),
        )

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        """GET /campaigndraft/{id}; None on 404."""
        try:
            found = self._call("GET", f"/campaigndraft/{campaign_id}", _Draft, safe=True, what=_("campaign draft {id}").format(id=campaign_id))
        except NotFoundError:
            return None
        return self._campaign(found[0]) if found else None

    def find_campaign(self, name: str) -> Campaign | None:
        """Page through every draft (1,000 a call) and keep the newest with this Title (not deleted)."""
        offset = 0
        best: _Draft | None = None
        while True:
            items, total = self._page("GET", "/campaigndraft", _Draft, safe=True, what=_("the list of drafts"), params={"Limit": PAGE, "Offset": offset})
            for item in items:
                deleted = isinstance(item.status, int) and item.status <= -2
                if item.title == name and not deleted and (best is None or item.id > best.id):
                    best = item
            offset += PAGE
            if len(items) < PAGE or offset >= total:
                break
        return self._campaign(best) if best is not None else None

    def _properties(self, message: Message) -> dict[str, object]:
        props: dict[str, object] = {
            "Locale": "fr_FR",
            "Title": message.name,
            "Subject": message.subject,
            "Sender": message.sender_name or message.sender_email,
            "SenderName": message.sender_name,
            "SenderEmail": message.sender_email,
            "ContactsListID": self.contacts_list_id,
            "EditMode": "html2",
        }
        if message.reply_to:
            props["ReplyEmail"] = message.reply_to
        return props

    def _content(self, campaign_id: str, message: Message) -> None:
        # POST, as the SDKs and samples do (the Ruby gem and the TypeScript types list no PUT on
        # detailcontent; reference/mailjet.md, addendum). POST replaces the whole content, so both
        # parts go together and repeating it is harmless.
        body = {"Html-part": with_preheader(message.html, message.preheader), "Text-part": message.text}
        self._call("POST", f"/campaigndraft/{campaign_id}/detailcontent", Ignored, safe=True, what=_("the content of the draft"), json=body)

    def _schedule(self, campaign_id: str, when: dt.datetime, *, move: bool) -> None:
        """POST the schedule; a schedule to move is first cancelled with DELETE (no PUT in the SDKs' method lists).

        A POST whose answer is lost is checked on the draft: Status 1 (programmed) means it was
        taken, and this returns normally; otherwise OutcomeUnknownError stands.
        """
        path = f"/campaigndraft/{campaign_id}/schedule"
        if move:
            self._call("DELETE", path, Ignored, safe=True, what=_("the cancellation of the old schedule"))
        try:
            self._call("POST", path, Ignored, safe=False, what=_("the schedule"), json={"Date": when.isoformat(timespec="seconds")})
        except OutcomeUnknownError:
            fresh = self.get_campaign(campaign_id)
            if fresh is None or fresh.status is not Status.scheduled:
                raise

    def create_campaign(self, message: Message, *, schedule_at: dt.datetime | None, on_created: Callable[[str], None]) -> None:
        """POST /campaigndraft, then POST detailcontent (both parts), then POST schedule if asked."""
        found = self._call("POST", "/campaigndraft", _Created, safe=False, what=_("the new draft"), json=self._properties(message))
        if not found or found[0].id is None:
            raise ProviderError(_("mailjet created a draft but did not say its id"))
        campaign_id = str(found[0].id)
        on_created(campaign_id)
        self._content(campaign_id, message)
        if schedule_at is not None:
            self._schedule(campaign_id, schedule_at, move=False)

    def update_campaign(self, campaign: Campaign, message: Message, *, schedule_at: dt.datetime | None) -> None:
        """PUT /campaigndraft/{id} (200 or 304), POST detailcontent, then schedule or move it."""
        self._call("PUT", f"/campaigndraft/{campaign.id}", Ignored, safe=True, what=_("the update of draft {id}").format(id=campaign.id), json=self._properties(message))
        self._content(campaign.id, message)
        if schedule_at is not None:
            self._schedule(campaign.id, schedule_at, move=campaign.status is Status.scheduled)

    def send_test(self, campaign: Campaign, emails: Sequence[str]) -> None:
        """POST /campaigndraft/{id}/test."""
        self._call("POST", f"/campaigndraft/{campaign.id}/test", Ignored, safe=False, what=_("the test"), json={"Recipients": [{"Email": e} for e in emails]})

    def send_now(self, campaign: Campaign) -> None:
        """POST /campaigndraft/{id}/send."""
        self._call("POST", f"/campaigndraft/{campaign.id}/send", Ignored, safe=False, what=_("the sending"), json={})

    # -- statistics (reference/mailjet.md §7; keyed by the sent campaign's id, not the draft's) ------

    def _sent_campaign_id(self, draft_id: str) -> tuple[Campaign, str]:
        found = self._call("GET", f"/campaigndraft/{draft_id}", _Draft, safe=True, what=_("draft {id}").format(id=draft_id))
        if not found:
            raise NotFoundError(_("mailjet: draft {id}: not found").format(id=draft_id))
        campaign = self._campaign(found[0])
        if not found[0].campaign_id:
            raise StatsNotReadyError(_("mailjet draft {id} is not sent yet, so it has no statistics").format(id=draft_id), campaign=campaign)
        return campaign, str(found[0].campaign_id)

    stats_retention = None  # no limit documented for statcounters' Lifetime resolution

    def campaign_stats(self, campaign_id: str) -> StatsReading:
        """GET /campaigndraft/{id} for its CampaignID, then GET /statcounters (Lifetime, per message)."""
        campaign, sent_id = self._sent_campaign_id(campaign_id)
        params: dict[str, str | int] = {"SourceId": sent_id, "CounterSource": "Campaign", "CounterTiming": "Message", "CounterResolution": "Lifetime"}
        rows = self._call("GET", "/statcounters", _Counters, safe=True, what=_("the statistics of campaign {id}").format(id=sent_id), params=params)
        if not rows or rows[0].total == 0:
            raise StatsNotReadyError(
                _("mailjet has no statistics yet for campaign {id} (draft {draft})").format(id=sent_id, draft=campaign_id), campaign=campaign
            )
        row = rows[0]
        return StatsReading(campaign, CampaignStats(
            sent=row.total,
            delivered=row.message_sent_count,
            unique_opens=row.message_opened_count,
            unique_clicks=row.message_clicked_count,
            hard_bounces=row.message_hard_bounced_count,
            soft_bounces=row.message_soft_bounced_count,
            unsubscriptions=row.message_unsubscribed_count,
            complaints=row.message_spam_count,
        ))

    def link_stats(self, campaign_id: str) -> dict[str, int]:
        """GET /statistics/link-click?CampaignId=: clicked messages per URL."""
        sent_id = self._sent_campaign_id(campaign_id)[1]
        rows = self._call("GET", "/statistics/link-click", _LinkClick, safe=True, what=_("the link statistics of campaign {id}").format(id=sent_id), params={"CampaignId": sent_id})
        found: dict[str, int] = {}
        for row in rows:
            if row.url:
                found[row.url] = found.get(row.url, 0) + row.clicked_messages_count
        return found
