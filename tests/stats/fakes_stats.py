"""The send fakes of Brevo and Mailjet, with statistics (reference/brevo.md §6, reference/mailjet.md §7).

    brevo = StatsBrevo().start()
    cid = brevo.add_sent_campaign("mobiscol-2026-12", stats={...globalStats...}, links={url: n})
    mailjet = StatsMailjet().start()
    draft_id = mailjet.add_sent_draft("mobiscol-2026-12", counters={...statcounters row...}, links=[{URL, ...}])
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.providers import FakeBrevo, FakeMailjet, Reply, _iso

BREVO_STATISTICS = ("globalStats", "linksStats", "statsByDomain", "statsByDevice", "statsByBrowser")


def brevo_global(sent: int = 1250, delivered: int = 1200, opens: int = 540, clicks: int = 130, hard: int = 30, soft: int = 20,
                 unsub: int = 6, complaints: int = 1) -> dict[str, int]:
    """A globalStats object (schema getCampaignStats: every required field)."""
    return {"uniqueClicks": clicks, "clickers": clicks * 2, "complaints": complaints, "delivered": delivered, "sent": sent,
            "softBounces": soft, "hardBounces": hard, "uniqueViews": opens, "trackableViews": opens - 40,
            "unsubscriptions": unsub, "viewed": opens * 3, "deferred": 0}


def mailjet_counters(total: int = 980, delivered: int = 950, opens: int = 400, clicks: int = 90, hard: int = 12, soft: int = 8,
                     unsub: int = 3, spam: int = 2) -> dict[str, Any]:
    """A statcounters row (reference/mailjet.md §7)."""
    return {"APIKeyID": 123456, "EventClickDelay": 322, "EventClickedCount": clicks * 2, "EventOpenDelay": 739,
            "EventOpenedCount": opens * 2, "EventSpamCount": spam, "EventUnsubscribedCount": unsub, "EventWorkflowExitedCount": 0,
            "MessageBlockedCount": total - delivered - hard - soft, "MessageClickedCount": clicks, "MessageDeferredCount": 0,
            "MessageHardBouncedCount": hard, "MessageOpenedCount": opens, "MessageQueuedCount": 0, "MessageSentCount": delivered,
            "MessageSoftBouncedCount": soft, "MessageSpamCount": spam, "MessageUnsubscribedCount": unsub,
            "MessageWorkFlowExitedCount": 0, "SourceID": 0, "Timeslice": "", "Total": total}


class StatsBrevo(FakeBrevo):
    """FakeBrevo whose GET /emailCampaigns/{id} honours `?statistics=`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.global_stats: dict[int, dict[str, Any]] = {}
        self.links_stats: dict[int, dict[str, Any]] = {}
        self.route("GET", r"/emailCampaigns/(\d+)", self._get_with_statistics)

    def add_sent_campaign(self, name: str, *, stats: dict[str, Any] | None = None, links: dict[str, Any] | None = None) -> int:
        """A campaign already sent to list 2, with its statistics (none yet when `stats` is None)."""
        with self.lock:
            campaign_id = self.next_id
            self.next_id += 1
            now = _iso(self.now())
            self.campaigns[campaign_id] = {
                "id": campaign_id, "name": name, "subject": "Rues scolaires et vélobus en décembre", "type": "classic",
                "status": "sent", "scheduledAt": "", "testSent": True, "header": "[DEFAULT_HEADER]", "footer": "[DEFAULT_FOOTER]",
                "sender": {"name": "Mobiscol", "email": "lettre@example.org", "id": 1}, "replyTo": "", "toField": "",
                "htmlContent": "<html></html>", "shareLink": f"https://fake.brevo.test/share/{campaign_id}", "createdAt": now,
                "modifiedAt": now, "sentDate": now, "inlineImageActivation": False, "mirrorActive": False, "recurring": False,
                "recipients": {"lists": [2], "exclusionLists": []}, "statistics": {},
            }
            if stats is not None:
                self.global_stats[campaign_id] = stats
            if links is not None:
                self.links_stats[campaign_id] = links
        return campaign_id

    def _get_with_statistics(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        campaign = self._campaign_or_404(match)
        kind = query.get("statistics")
        if kind is not None and kind not in BREVO_STATISTICS:
            raise self._fail(400, "invalid_parameter", "statistics is not valid")
        shown = self._public(campaign)
        statistics: dict[str, Any] = {"globalStats": {}, "campaignStats": [], "mirrorClick": 0, "remaining": 0,
                                      "linksStats": {}, "statsByDomain": {}}
        if kind == "globalStats":
            statistics["globalStats"] = self.global_stats.get(campaign["id"], {})
        if kind == "linksStats":
            statistics["linksStats"] = self.links_stats.get(campaign["id"], {})
        shown["statistics"] = statistics
        return Reply(200, shown)


class StatsMailjet(FakeMailjet):
    """FakeMailjet with GET /statcounters and GET /statistics/link-click, keyed by the sent campaign's id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.counters: dict[int, dict[str, Any]] = {}
        self.link_clicks: dict[int, list[dict[str, Any]]] = {}
        self.route("GET", r"/statcounters", self._statcounters)
        self.route("GET", r"/statistics/link-click", self._link_click)

    def add_sent_draft(self, title: str, *, counters: dict[str, Any] | None = None, links: list[dict[str, Any]] | None = None) -> int:
        """A draft already sent (Status 2, CampaignID set), with its counters (none yet when None)."""
        with self.lock:
            draft_id = self.next_id
            self.next_id += 1
            campaign_id = self.next_campaign_id
            self.next_campaign_id += 1
            now = _iso(self.now())
            self.drafts[draft_id] = {
                "ID": draft_id, "Title": title, "Subject": "Rues scolaires", "Locale": "fr_FR", "Sender": "Mobiscol",
                "SenderName": "Mobiscol", "SenderEmail": "lettre@example.org", "ReplyEmail": "", "ContactsListID": 10,
                "SegmentationID": 0, "CampaignID": campaign_id, "Status": 2, "EditMode": "html2", "IsStarred": False,
                "IsTextPartIncluded": True, "AXTesting": None, "AXFractionName": "", "Current": 0, "TemplateID": 0,
                "CreatedAt": now, "ModifiedAt": now, "DeliveredAt": now, "Preset": "", "Url": "", "Used": True,
            }
            if counters is not None:
                self.counters[campaign_id] = dict(counters, SourceID=campaign_id)
            if links is not None:
                self.link_clicks[campaign_id] = links
        return draft_id

    def _statcounters(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        if query.get("CounterSource") != "Campaign" or query.get("CounterTiming") not in ("Message", "Event"):
            raise self._fail(400, "CounterSource and CounterTiming are required")
        if query.get("CounterResolution") != "Lifetime" and not ("FromTS" in query and "ToTS" in query):
            raise self._fail(400, "FromTS and ToTS are required for this resolution")
        try:
            source = int(query["SourceId"])
        except (KeyError, ValueError):
            raise self._fail(400, "SourceId must be a campaign id") from None
        row = self.counters.get(source)
        return Reply(200, self.envelope([row] if row else []))

    def _link_click(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        try:
            campaign = int(query["CampaignId"])
        except (KeyError, ValueError):
            raise self._fail(400, "CampaignId is required") from None
        return Reply(200, self.envelope(self.link_clicks.get(campaign, [])))
