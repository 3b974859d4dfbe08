"""The providers' answers are validated at the boundary: unknown fields are ignored, a malformed
answer is a ProviderError in plain words (unit level, httpx.MockTransport)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from newsletter.errors import ProviderError
from newsletter.providers.base import Campaign, Message, StatsNotReadyError, Status
from newsletter.providers.brevo import BrevoProvider
from newsletter.providers.mailjet import MailjetProvider
from newsletter.providers.retry import ApiClient, RetryPolicy

Answer = Callable[[httpx.Request], httpx.Response]
MESSAGE = Message(issue="2026-12", name="mobiscol-2026-12", subject="Objet", preheader="", html="<html><body></body></html>",
                  text="texte", sender_name="Mobiscol", sender_email="lettre@example.org", reply_to="")


def api(answer: Answer, base: str) -> ApiClient:
    client = httpx.Client(transport=httpx.MockTransport(answer), base_url=base)
    return ApiClient(client, base.split(".")[1], RetryPolicy(sleep=lambda seconds: None))


def brevo(routes: dict[str, object]) -> BrevoProvider:
    def answer(request: httpx.Request) -> httpx.Response:
        body = routes[f"{request.method} {request.url.path.removeprefix('/v3')}"]
        return httpx.Response(200, content=body) if isinstance(body, bytes) else httpx.Response(200, json=body)

    return BrevoProvider(api(answer, "https://api.brevo.test/v3"), list_ids=[2])


def mailjet(routes: dict[str, object]) -> MailjetProvider:
    def answer(request: httpx.Request) -> httpx.Response:
        body = routes[f"{request.method} {request.url.path.removeprefix('/v3/REST')}"]
        return httpx.Response(200, content=body) if isinstance(body, bytes) else httpx.Response(200, json=body)

    return MailjetProvider(api(answer, "https://api.mailjet.test/v3/REST"), contacts_list_id=10)


def envelope(*rows: object) -> dict[str, object]:
    return {"Count": len(rows), "Data": list(rows), "Total": len(rows)}


def plain(exc: pytest.ExceptionInfo[ProviderError]) -> str:
    message = exc.value.message
    assert "pydantic" not in message and "validation error" not in message.lower() and "Traceback" not in message
    return message


# -- Brevo --------------------------------------------------------------------------------------


def test_brevo_unknown_fields_are_ignored() -> None:
    provider = brevo({"GET /emailCampaigns/7": {"id": 7, "name": "mobiscol-2026-12", "status": "queued", "subject": None,
                                                  "scheduledAt": "2026-12-08T08:30:00.000Z", "newField": {"deep": [1]}}})
    campaign = provider.get_campaign("7")
    assert campaign == Campaign(id="7", name="mobiscol-2026-12", status=Status.scheduled, raw_status="queued", subject="",
                                scheduled_at=campaign.scheduled_at if campaign else None, url=None)
    assert campaign is not None and campaign.scheduled_at is not None and campaign.scheduled_at.hour == 8


@pytest.mark.parametrize(("route", "body", "call", "words"), [
    ("GET /senders", {"senders": "lettre@example.org"}, "preflight",
     "brevo answered the list of senders with a body that is not what its API documents (senders = 'lettre@example.org'"),
    ("GET /emailCampaigns/7", {"name": "no id"}, "get", "brevo answered campaign 7 with a body that is not what its API documents (id is missing)"),
    ("GET /emailCampaigns/7", [1, 2], "get", "brevo answered campaign 7 with a body that is not what its API documents"),
    ("GET /emailCampaigns/7", b"<html>oops</html>", "get", "brevo answered campaign 7 with a body that is not JSON"),
    ("POST /emailCampaigns", {"message": "ok"}, "create", "brevo created a campaign but did not say its id"),
])
def test_brevo_malformed_answers_in_words(route: str, body: object, call: str, words: str) -> None:
    routes: dict[str, object] = {"GET /account": {"email": "x"}, route: body}
    provider = brevo(routes)
    with pytest.raises(ProviderError) as caught:
        if call == "preflight":
            provider.preflight(MESSAGE)
        elif call == "get":
            provider.get_campaign("7")
        else:
            provider.create_campaign(MESSAGE, schedule_at=None, on_created=lambda campaign_id: None)
    assert words in plain(caught)


def test_brevo_statistics_tolerate_absent_null_and_both_link_shapes() -> None:
    stats = {"sent": 10, "delivered": "9", "uniqueViews": None, "uniqueClicks": -3, "hardBounces": "n/a"}
    provider = brevo({"GET /emailCampaigns/7": {"id": 7, "status": "sent", "statistics": {
        "globalStats": stats, "linksStats": {"https://a.example/": 4, "https://b.example/": {"nbClick": 2}, "https://c.example/": None}}}})
    figures = provider.campaign_stats("7").figures
    assert (figures.sent, figures.delivered, figures.unique_opens, figures.unique_clicks, figures.hard_bounces) == (10, 9, 0, 0, 0)
    assert provider.link_stats("7") == {"https://a.example/": 4, "https://b.example/": 2, "https://c.example/": 0}


def test_brevo_statistics_not_ready_and_malformed() -> None:
    with pytest.raises(StatsNotReadyError):
        brevo({"GET /emailCampaigns/7": {"id": 7, "status": "sent", "statistics": {"globalStats": {}}}}).campaign_stats("7")
    with pytest.raises(ProviderError) as caught:
        brevo({"GET /emailCampaigns/7": {"id": 7, "status": "sent", "statistics": {"globalStats": [1]}}}).campaign_stats("7")
    assert "the statistics of campaign 7 with a body that is not what its API documents (statistics / globalStats" in plain(caught)


# -- Mailjet ------------------------------------------------------------------------------------


def test_mailjet_unknown_fields_and_odd_status() -> None:
    provider = mailjet({"GET /campaigndraft/5": envelope({"ID": 5, "Title": "mobiscol-2026-12", "Status": "AXTesting", "Subject": None,
                                                          "Url": "", "Brand-new": True})})
    campaign = provider.get_campaign("5")
    assert campaign is not None and (campaign.id, campaign.name, campaign.status, campaign.subject) == ("5", "mobiscol-2026-12", Status.unknown, "")


@pytest.mark.parametrize(("body", "words"), [
    ({"Data": "nothing"}, "mailjet answered with a body that is not its usual {Count, Data, Total} envelope"),
    (envelope("a string"), "mailjet answered campaign draft 5 with a body that is not what its API documents"),
    (envelope({"Title": "no id"}), "mailjet answered campaign draft 5 with a body that is not what its API documents (ID is missing)"),
    (b"{ not json", "mailjet answered campaign draft 5 with a body that is not JSON"),
])
def test_mailjet_malformed_answers_in_words(body: object, words: str) -> None:
    with pytest.raises(ProviderError) as caught:
        mailjet({"GET /campaigndraft/5": body}).get_campaign("5")
    assert words in plain(caught)


def test_mailjet_statistics_from_typed_rows() -> None:
    routes: dict[str, object] = {
        "GET /campaigndraft/5": envelope({"ID": 5, "Status": 2, "CampaignID": 99}),
        "GET /statcounters": envelope({"Total": 100, "MessageSentCount": 95, "MessageOpenedCount": None, "MessageClickedCount": "7", "Extra": 1}),
        "GET /statistics/link-click": envelope({"URL": "https://a.example/", "ClickedMessagesCount": 3},
                                               {"URL": "https://a.example/", "ClickedMessagesCount": 2}, {"URL": None, "ClickedMessagesCount": 9}),
    }
    provider = mailjet(routes)
    figures = provider.campaign_stats("5").figures
    assert (figures.sent, figures.delivered, figures.unique_opens, figures.unique_clicks) == (100, 95, 0, 7)
    assert provider.link_stats("5") == {"https://a.example/": 5}
    with pytest.raises(StatsNotReadyError):
        mailjet({"GET /campaigndraft/5": envelope({"ID": 5, "Status": 0, "CampaignID": 0})}).campaign_stats("5")


def test_mailjet_created_draft_without_id() -> None:
    with pytest.raises(ProviderError) as caught:
        mailjet({"POST /campaigndraft": envelope({"Title": "x"})}).create_campaign(MESSAGE, schedule_at=None, on_created=lambda i: None)
    assert "mailjet created a draft but did not say its id" in plain(caught)
