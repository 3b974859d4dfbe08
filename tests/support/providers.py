"""Stateful fakes of the Brevo and Mailjet campaign APIs: real threaded HTTP servers on 127.0.0.1.

API (for send tests and, later, stats tests):

    with FakeBrevo() as brevo:              # or the `fake_brevo` fixture of conftest.py
        brevo.url                           # base URL to put in [brevo] base_url
        brevo.campaigns                     # id -> campaign dict, as Brevo would return it
        brevo.deliveries                    # id -> number of times it went to the lists
        brevo.tests_sent                    # [(id, [emails])]
        brevo.calls                         # [Call(method, path, query, body)]
        brevo.inject("POST", r"/emailCampaigns", status=500, after=True)   # a fault, see `inject`
        brevo.route("GET", r"/emailCampaigns/(\\d+)/stats", handler)       # add an endpoint

Each fake checks authentication, validates request bodies (Brevo: against the request schemas
of its OpenAPI spec, copied into tests/assets/send/brevo-schemas.json; Mailjet: the required and
known properties of reference/mailjet.md) and answers with the documented bodies and codes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema

from tests.support.http import LocalServer

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "send"

BREVO_KEY = "xkeysib-test-0123456789abcdef-SECRET"
MJ_PUBLIC = "mjpublic0123456789SECRET"
MJ_PRIVATE = "mjprivate0123456789SECRET"


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class Reply:
    """What a route handler answers."""

    status: int
    body: Any = None  # dict/list -> JSON; bytes/str -> sent as is; None -> empty
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    """A fault for the next `times` calls matching method and path.

    after=False: answer `status`/`body`/`headers` instead of acting (after `delay` seconds).
    after=True: act first, then answer `status` (or the normal answer) after `delay` seconds,
    or `drop` the connection without any answer.
    """

    method: str
    pattern: str
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    after: bool = False
    times: int = 1


class HttpError(Exception):
    """Raised by a route to answer an error."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


Handler = Callable[[re.Match[str], dict[str, str], Any], Reply]


class FakeServer(LocalServer):
    """The common part: routing, call log, fault injection (start/stop come from LocalServer)."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []

    # -- public API --------------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Add (or override: later routes win) an endpoint; `pattern` matches the whole path."""
        self.routes.insert(0, (method, re.compile(pattern + "$"), handler))

    def inject(self, method: str, pattern: str, **kwargs: Any) -> Fault:
        """Add a fault (see Fault) for requests whose method and path match."""
        fault = Fault(method, pattern, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def count(self, method: str | None = None, pattern: str | None = None) -> int:
        """How many calls were received (optionally only those matching)."""
        return len([c for c in self.calls if (method is None or c.method == method) and (pattern is None or re.fullmatch(pattern, c.path))])

    def reset_calls(self) -> None:
        with self.lock:
            self.calls.clear()

    @property
    def url(self) -> str:
        return self.base_url + self.prefix

    prefix = ""

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        self._dispatch(request)

    # -- to override -----------------------------------------------------------------------
    def authenticate(self, headers: Any) -> Reply | None:
        return None

    def extra_headers(self) -> dict[str, str]:
        return {}

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    # -- machinery -------------------------------------------------------------------------
    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and re.fullmatch(fault.pattern, path) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _dispatch(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path = parts.path.removeprefix(self.prefix) if self.prefix else parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        method = request.command
        body: Any = None
        bad_json = False
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                bad_json = True
        with self.lock:
            self.calls.append(Call(method, path, query, body))
        fault = self._take_fault(method, path)
        if fault is not None and not fault.after:
            time.sleep(fault.delay)
            self._write(request, Reply(fault.status or 500, fault.body, fault.headers))
            return
        reply = self.authenticate(request.headers)
        if reply is None and bad_json:
            reply = Reply(400, self.error_body(400, "Invalid json input"))
        if reply is None:
            reply = self._route(method, path, query, body)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.drop:
                try:
                    request.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                request.close_connection = True
                return
            if fault.status is not None:
                reply = Reply(fault.status, fault.body, fault.headers)
        self._write(request, reply)

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        known_path = False
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None:
                continue
            known_path = True
            if route_method != method:
                continue
            try:
                with self.lock:
                    return handler(match, query, body)
            except HttpError as exc:
                return Reply(exc.status, exc.body)
        if known_path:
            return Reply(405, self.error_body(405, "Method not allowed"))
        return Reply(404, self.error_body(404, "Not found"))

    def _write(self, request: BaseHTTPRequestHandler, reply: Reply) -> None:
        if isinstance(reply.body, (dict, list)):
            payload = json.dumps(reply.body).encode()
            content_type = "application/json"
        elif isinstance(reply.body, str):
            payload = reply.body.encode()
            content_type = "text/html" if reply.body.lstrip().startswith("<") else "text/plain"
        else:
            payload = reply.body or b""
            content_type = "application/json"
        try:
            request.send_response(reply.status)
            headers = {**self.extra_headers(), **reply.headers}
            for name, value in headers.items():
                request.send_header(name, value)
            if payload or reply.status not in (204, 304):
                request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(payload)))
            request.end_headers()
            if payload:
                request.wfile.write(payload)
            request.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse_offset_time(value: Any) -> dt.datetime | None:
    """A date-time with an explicit offset (or Z); None when naive or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


# ===========================================================================================
# Brevo
# ===========================================================================================


class FakeBrevo(FakeServer):
    """Brevo API v3: account, senders, contact lists, email campaigns (reference/brevo.md §14)."""

    prefix = "/v3"

    def __init__(self, *, api_key: str = BREVO_KEY) -> None:
        super().__init__()
        self.api_key = api_key
        self.senders: list[dict[str, Any]] = [
            {"id": 1, "name": "Mobiscol", "email": "lettre@example.org", "active": True},
            {"id": 2, "name": "Old", "email": "pending@example.org", "active": False},
        ]
        self.lists: list[dict[str, Any]] = [
            {"id": 2, "name": "Mobiscol - lettre", "totalSubscribers": 1250, "totalBlacklisted": 3, "uniqueSubscribers": 1253, "folderId": 1},
            {"id": 7, "name": "Vide", "totalSubscribers": 0, "totalBlacklisted": 0, "uniqueSubscribers": 0, "folderId": 1},
        ]
        self.campaigns: dict[int, dict[str, Any]] = {}
        self.deliveries: dict[int, int] = {}
        self.tests_sent: list[tuple[int, list[str]]] = []
        self.test_contacts: set[str] | None = None  # when set, sendTest refuses other addresses
        # sendNow is asynchronous: it answers 204 "Email campaign has been scheduled" and a read
        # right after may still show `draft` or `in_process` (reference/brevo.md, addendum). When
        # set, an accepted send shows this status until `settle()`; None: `sent` at once.
        self.send_lag: str | None = None
        self.credits = True
        self.next_id = 1
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        schemas = json.loads((ASSETS / "brevo-schemas.json").read_text(encoding="utf-8"))["schemas"]
        self.validators = {}
        for name, schema in schemas.items():
            strict = dict(schema, additionalProperties=False)
            self.validators[name] = jsonschema.Draft7Validator(strict, format_checker=jsonschema.FormatChecker())
        self.route("GET", r"/account", self._account)
        self.route("GET", r"/senders", self._senders)
        self.route("GET", r"/contacts/lists", self._lists)
        self.route("GET", r"/emailCampaigns", self._list_campaigns)
        self.route("POST", r"/emailCampaigns", self._create)
        self.route("GET", r"/emailCampaigns/(\d+)", self._get)
        self.route("PUT", r"/emailCampaigns/(\d+)", self._update)
        self.route("POST", r"/emailCampaigns/(\d+)/sendTest", self._send_test)
        self.route("POST", r"/emailCampaigns/(\d+)/sendNow", self._send_now)
        self.route("PUT", r"/emailCampaigns/(\d+)/status", self._status)

    def authenticate(self, headers: Any) -> Reply | None:
        if headers.get("api-key") != self.api_key:
            return Reply(401, {"message": "Key not found", "code": "unauthorized"})
        return None

    def extra_headers(self) -> dict[str, str]:
        return {"x-sib-ratelimit-limit": "100", "x-sib-ratelimit-remaining": "99", "x-sib-ratelimit-reset": "3600", "sib-request-id": "fake-request"}

    def error_body(self, status: int, message: str) -> Any:
        code = {404: "document_not_found", 405: "method_not_allowed"}.get(status, "bad_request")
        return {"code": code, "message": message}

    @staticmethod
    def _fail(status: int, code: str, message: str) -> HttpError:
        return HttpError(status, {"code": code, "message": message})

    def _validate(self, schema: str, body: Any) -> None:
        if not isinstance(body, dict):
            raise self._fail(400, "invalid_parameter", "the body must be a JSON object")
        errors = sorted(self.validators[schema].iter_errors(body), key=lambda e: list(e.path))
        if errors:
            where = ".".join(str(p) for p in errors[0].path) or "body"
            raise self._fail(400, "invalid_parameter", f"{where}: {errors[0].message}")

    @staticmethod
    def _int_param(query: dict[str, str], name: str, default: int, maximum: int) -> int:
        try:
            value = int(query.get(name, default))
        except ValueError:
            raise HttpError(400, {"code": "invalid_parameter", "message": f"{name} must be an integer"}) from None
        if not 0 <= value <= maximum:
            raise HttpError(400, {"code": "out_of_range", "message": f"{name} must be between 0 and {maximum}"})
        return value

    def _campaign_or_404(self, match: re.Match[str]) -> dict[str, Any]:
        campaign = self.campaigns.get(int(match.group(1)))
        if campaign is None:
            raise self._fail(404, "document_not_found", "Campaign ID not found")
        return campaign

    # -- routes ------------------------------------------------------------------------------
    def _account(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        return Reply(200, {"email": "contact@example.org", "firstName": "Mobiscol", "lastName": "", "companyName": "Vivacités",
                           "address": {"street": "", "city": "Paris", "zipCode": "75000", "country": "France"},
                           "plan": [{"type": "free", "creditsType": "sendLimit", "credits": 300 if self.credits else 0}]})

    def _senders(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        return Reply(200, {"senders": self.senders})

    def _lists(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        limit = self._int_param(query, "limit", 10, 50)
        offset = self._int_param(query, "offset", 0, 10**9)
        return Reply(200, {"lists": self.lists[offset: offset + limit], "count": len(self.lists)})

    def _public(self, campaign: dict[str, Any], *, html: bool = True) -> dict[str, Any]:
        shown = {k: v for k, v in campaign.items() if not k.startswith("_")}
        if not html:
            shown["htmlContent"] = ""
        return shown

    def _list_campaigns(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        limit = self._int_param(query, "limit", 50, 100)
        offset = self._int_param(query, "offset", 0, 10**9)
        status = query.get("status")
        if status is not None and status not in ("suspended", "archive", "sent", "queued", "draft", "inProcess"):
            raise self._fail(400, "invalid_parameter", "status is not valid")
        wanted = {"inProcess": "in_process"}.get(status or "", status)
        items = [c for c in self.campaigns.values() if wanted is None or c["status"] == wanted]
        items.sort(key=lambda c: c["id"], reverse=query.get("sort", "desc") == "desc")
        html = query.get("excludeHtmlContent") != "true"
        return Reply(200, {"campaigns": [self._public(c, html=html) for c in items[offset: offset + limit]], "count": len(items)})

    def _apply(self, campaign: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("name", "subject", "previewText", "replyTo", "htmlContent", "toField", "tag"):
            if key in body:
                campaign[key] = body[key]
        if "sender" in body:
            sender = body["sender"]
            if "email" in sender and "id" in sender:
                raise self._fail(400, "invalid_parameter", "Only one of either Sender's email or Sender's ID shall be passed")
            known = next((s for s in self.senders if s["email"].lower() == str(sender.get("email", "")).lower() or s["id"] == sender.get("id")), None)
            if known is None or not known["active"]:
                raise self._fail(400, "invalid_parameter", "Sender is invalid / inactive")
            campaign["sender"] = {"email": known["email"], "name": sender.get("name", known["name"]), "id": known["id"]}
        if "recipients" in body:
            list_ids = body["recipients"].get("listIds", [])
            for list_id in list_ids:
                if not any(lst["id"] == list_id for lst in self.lists):
                    raise self._fail(404, "document_not_found", f"List ID {list_id} not found")
            campaign["recipients"] = {"lists": list_ids, "exclusionLists": body["recipients"].get("exclusionListIds", [])}
        if "scheduledAt" in body:
            when = _parse_offset_time(body["scheduledAt"])
            if when is None:
                raise self._fail(400, "invalid_parameter", "scheduledAt should be a date-time with a timezone")
            if when <= self.now():
                raise self._fail(400, "invalid_parameter", "scheduledAt cannot be in the past")
            if not campaign["recipients"]["lists"]:
                raise self._fail(400, "missing_parameter", "listIds are mandatory when scheduledAt is set")
            campaign["scheduledAt"] = _iso(when)
            campaign["status"] = "queued"
        campaign["modifiedAt"] = _iso(self.now())

    def _create(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        self._validate("createEmailCampaign", body)
        if not body.get("subject"):
            raise self._fail(400, "missing_parameter", "subject is missing")
        if not body.get("htmlContent"):
            raise self._fail(400, "missing_parameter", "htmlContent is missing")
        campaign_id = self.next_id
        self.next_id += 1
        now = _iso(self.now())
        campaign: dict[str, Any] = {
            "id": campaign_id, "name": "", "subject": "", "type": "classic", "status": "draft", "scheduledAt": "",
            "testSent": False, "header": "[DEFAULT_HEADER]", "footer": "[DEFAULT_FOOTER]", "sender": {}, "replyTo": "",
            "toField": "", "htmlContent": "", "shareLink": f"https://fake.brevo.test/share/{campaign_id}",
            "createdAt": now, "modifiedAt": now, "inlineImageActivation": False, "mirrorActive": False, "recurring": False,
            "recipients": {"lists": [], "exclusionLists": []}, "statistics": {"globalStats": {}, "campaignStats": [], "mirrorClick": 0, "remaining": 0, "linksStats": {}, "statsByDomain": {}},
        }
        self._apply(campaign, body)
        self.campaigns[campaign_id] = campaign
        return Reply(201, {"id": campaign_id})

    def _get(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        return Reply(200, self._public(self._campaign_or_404(match)))

    def _update(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        campaign = self._campaign_or_404(match)
        self._validate("updateEmailCampaign", body)
        if campaign["status"] in ("sent", "in_process"):
            raise self._fail(400, "campaign_sent" if campaign["status"] == "sent" else "campaign_processing", "Campaign has already been sent")
        self._apply(campaign, body)
        return Reply(204)

    def _send_test(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        campaign = self._campaign_or_404(match)
        self._validate("sendTestEmail", body)
        emails = list(body.get("emailTo", []))
        if self.test_contacts is not None:
            unknown = [e for e in emails if e not in self.test_contacts]
            if unknown:
                return Reply(400, {"code": "invalid_parameter", "message": "The email could not be sent to all recipients", "unexistingEmails": unknown, "withoutListEmails": [], "blackListedEmails": []})
        campaign["testSent"] = True
        self.tests_sent.append((campaign["id"], emails))
        return Reply(204)

    def _send_now(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        campaign = self._campaign_or_404(match)
        if not self.credits:
            raise self._fail(402, "not_enough_credits", "Not enough credits to send the campaign")
        # Only a draft is sent: a `suspended` campaign (a cancelled schedule) must be set back to
        # draft with PUT …/status first (reference/brevo.md, addendum; staff answers in
        # sendinblue/APIv3-nodejs-library issues #102 and #104).
        if campaign["status"] not in ("draft",):
            raise self._fail(400, "campaign_sent" if campaign["status"] == "sent" else "invalid_parameter", "Campaign could not be sent")
        self.deliveries[campaign["id"]] = self.deliveries.get(campaign["id"], 0) + 1
        if self.send_lag is not None:
            campaign["status"] = self.send_lag
            campaign["_settling"] = True
        else:
            campaign["status"] = "sent"
            campaign["sentDate"] = _iso(self.now())
        return Reply(204)

    def settle(self) -> None:
        """The asynchronous sends accepted so far are done: they read `sent`, with their sentDate."""
        with self.lock:
            for campaign in self.campaigns.values():
                if campaign.pop("_settling", False):
                    campaign["status"] = "sent"
                    campaign["sentDate"] = _iso(self.now())

    def _status(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        campaign = self._campaign_or_404(match)
        self._validate("updateCampaignStatus", body)
        campaign["status"] = body["status"]
        return Reply(204)

    def deliver_scheduled(self) -> None:
        """Play the clock: every queued campaign goes to its lists."""
        with self.lock:
            for campaign in self.campaigns.values():
                if campaign["status"] == "queued":
                    campaign["status"] = "sent"
                    campaign["sentDate"] = _iso(self.now())
                    self.deliveries[campaign["id"]] = self.deliveries.get(campaign["id"], 0) + 1


# ===========================================================================================
# Mailjet
# ===========================================================================================

MJ_DRAFT_WRITABLE = {
    "Locale", "Title", "Subject", "Sender", "SenderName", "SenderEmail", "ReplyEmail", "ContactsListID",
    "SegmentationID", "EditMode", "TemplateID", "IsStarred", "IsTextPartIncluded", "Current", "AXFraction",
    "AXFractionName", "AXTesting", "ContactsListAlt", "SegmentationAlt",
}
MJ_DRAFT_REQUIRED = ("Locale", "Sender", "SenderEmail", "Subject", "ContactsListID")
MJ_CONTENT_FIELDS = {"Html-part", "Text-part", "MJMLContent", "Headers"}


class FakeMailjet(FakeServer):
    """Mailjet API v3 REST: sender, contactslist, campaigndraft and its sub-resources (reference/mailjet.md §12)."""

    prefix = "/v3/REST"

    def __init__(self, *, public: str = MJ_PUBLIC, private: str = MJ_PRIVATE) -> None:
        super().__init__()
        self.auth = "Basic " + base64.b64encode(f"{public}:{private}".encode()).decode()
        self.senders: list[dict[str, Any]] = [
            {"ID": 11, "Email": "lettre@example.org", "Name": "Mobiscol", "Status": "Active", "EmailType": "bulk", "IsDefaultSender": True},
            {"ID": 12, "Email": "pending@example.org", "Name": "Old", "Status": "Inactive", "EmailType": "unknown", "IsDefaultSender": False},
        ]
        self.lists: list[dict[str, Any]] = [
            {"ID": 10, "Name": "Mobiscol - lettre", "Address": "abc123", "IsDeleted": False, "SubscriberCount": 980, "CreatedAt": "2024-01-01T00:00:00Z"},
            {"ID": 13, "Name": "Vide", "Address": "def456", "IsDeleted": False, "SubscriberCount": 0, "CreatedAt": "2024-01-01T00:00:00Z"},
        ]
        self.drafts: dict[int, dict[str, Any]] = {}
        self.contents: dict[int, dict[str, str]] = {}
        self.schedules: dict[int, str] = {}
        self.deliveries: dict[int, int] = {}
        self.tests_sent: list[tuple[int, list[str]]] = []
        self.next_id = 101
        self.next_campaign_id = 9001
        # send is asynchronous: it answers "programmed", and the CampaignID and the final status
        # come later (reference/mailjet.md, addendum). When set, an accepted send leaves the draft
        # at this Status (0 or 1) until `settle()`; None: sent at once.
        self.send_lag: int | None = None
        self.settling: set[int] = set()
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.route("GET", r"/sender", self._senders)
        self.route("GET", r"/contactslist/(\d+)", self._list)
        self.route("GET", r"/campaigndraft", self._list_drafts)
        self.route("POST", r"/campaigndraft", self._create)
        self.route("GET", r"/campaigndraft/(\d+)", self._get)
        self.route("PUT", r"/campaigndraft/(\d+)", self._update)
        self.route("GET", r"/campaigndraft/(\d+)/detailcontent", self._get_content)
        # detailcontent and schedule take the methods of the SDKs' lists (reference/mailjet.md,
        # addendum: mailjet-gem `campaigndraft_detailcontent.rb` GET/POST, `campaigndraft_schedule.rb`
        # POST/DELETE/GET; the TypeScript types agree): a PUT on either answers 405 here.
        self.route("POST", r"/campaigndraft/(\d+)/detailcontent", self._post_content)
        self.route("POST", r"/campaigndraft/(\d+)/test", self._test)
        self.route("POST", r"/campaigndraft/(\d+)/send", self._send)
        self.route("POST", r"/campaigndraft/(\d+)/schedule", self._schedule_post)
        self.route("GET", r"/campaigndraft/(\d+)/schedule", self._schedule_get)
        self.route("DELETE", r"/campaigndraft/(\d+)/schedule", self._schedule_delete)

    def authenticate(self, headers: Any) -> Reply | None:
        if headers.get("Authorization") != self.auth:
            return Reply(401, b"")  # Mailjet may answer 401 with an empty body
        return None

    def error_body(self, status: int, message: str) -> Any:
        return {"ErrorInfo": "", "ErrorMessage": message, "StatusCode": status}

    @staticmethod
    def _fail(status: int, message: str, info: Any = "") -> HttpError:
        return HttpError(status, {"ErrorInfo": info, "ErrorMessage": message, "StatusCode": status})

    @staticmethod
    def envelope(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
        return {"Count": len(items), "Data": items, "Total": len(items) if total is None else total}

    def rate_limited(self, times: int = 1) -> Fault:
        """Mailjet's 429: an HTML body and no retry header."""
        return self.inject("GET", r".*", status=429, body="<html><body><h1>429 Too Many Requests</h1></body></html>", times=times)

    def _draft_or_404(self, match: re.Match[str]) -> dict[str, Any]:
        draft = self.drafts.get(int(match.group(1)))
        if draft is None or draft["Status"] == -2:
            raise self._fail(404, "Object not found")
        return draft

    def _check_props(self, body: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise self._fail(400, "Invalid json input: expected an object")
        unknown = sorted(set(body) - allowed)
        if unknown:
            raise self._fail(400, "Object properties invalid", {"Properties": [{name: "Property not defined"} for name in unknown]})
        return body

    def _senders(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        # Filters of reference/mailjet.md §8. A domain sender is `*@example.org` with IsDomainSender
        # (addendum): the Email filter matches the address as written, so it does not return it.
        items = [s for s in self.senders if "Email" not in query or s["Email"].lower() == query["Email"].lower()]
        if "IsDomainSender" in query:
            wanted = query["IsDomainSender"].lower() in ("true", "1")
            items = [s for s in items if bool(s.get("IsDomainSender")) == wanted]
        return Reply(200, self.envelope(items))

    def domain_sender(self, domain: str = "example.org", *, status: str = "Active") -> None:
        """Validate a whole domain instead of addresses: the only sender becomes `*@domain`."""
        with self.lock:
            self.senders = [{"ID": 21, "Email": f"*@{domain}", "Name": "", "Status": status, "EmailType": "bulk",
                             "IsDefaultSender": False, "IsDomainSender": True}]

    def _sender_allowed(self, address: str) -> bool:
        address = address.lower()
        domain = "*@" + address.rpartition("@")[2]
        return any(s["Status"] == "Active" and s["Email"].lower() in (address, domain) for s in self.senders)

    def _list(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        found = [lst for lst in self.lists if lst["ID"] == int(match.group(1))]
        if not found:
            raise self._fail(404, "Object not found")
        return Reply(200, self.envelope(found))

    def _list_drafts(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        limit = int(query.get("Limit", 10))
        offset = int(query.get("Offset", 0))
        if not 0 <= limit <= 1000:
            raise self._fail(400, "Limit must be between 0 and 1000")
        items = [d for d in self.drafts.values() if "Status" not in query or d["Status"] == int(query["Status"])]
        items.sort(key=lambda d: d["ID"])
        return Reply(200, self.envelope(items[offset: offset + limit], total=len(items)))

    def _validate_draft(self, draft: dict[str, Any]) -> None:
        if not self._sender_allowed(str(draft.get("SenderEmail", ""))):
            raise self._fail(400, "Please specify a valid and active sender")
        if not any(lst["ID"] == draft.get("ContactsListID") for lst in self.lists):
            raise self._fail(400, "ContactsListID: object not found")

    def _create(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        props = self._check_props(body, MJ_DRAFT_WRITABLE)
        missing = [name for name in MJ_DRAFT_REQUIRED if props.get(name) in (None, "")]
        if missing:
            raise self._fail(400, f"Mandatory properties missing: {', '.join(missing)}")
        draft_id = self.next_id
        self.next_id += 1
        now = _iso(self.now())
        draft: dict[str, Any] = {
            "ID": draft_id, "Title": "", "Subject": "", "Locale": "", "Sender": "", "SenderName": "", "SenderEmail": "",
            "ReplyEmail": "", "ContactsListID": 0, "SegmentationID": 0, "CampaignID": 0, "Status": 0, "EditMode": "tool2",
            "IsStarred": False, "IsTextPartIncluded": False, "AXTesting": None, "AXFractionName": "", "Current": 0,
            "TemplateID": 0, "CreatedAt": now, "ModifiedAt": now, "DeliveredAt": "", "Preset": "",
            "Url": f"https://app.fake-mailjet.test/campaigns/{draft_id}", "Used": False,
        }
        draft.update(props)
        self._validate_draft(draft)
        self.drafts[draft_id] = draft
        return Reply(201, self.envelope([draft]))

    def _get(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        return Reply(200, self.envelope([self._draft_or_404(match)]))

    def _update(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        props = self._check_props(body, MJ_DRAFT_WRITABLE | {"Status"})
        if draft["Status"] not in (0, 1):
            raise self._fail(400, "Newsletter has to be in status draft or programmed")
        if all(draft.get(k) == v for k, v in props.items()):
            return Reply(304)
        candidate = dict(draft, **props)
        self._validate_draft(candidate)
        draft.update(props, ModifiedAt=_iso(self.now()))
        return Reply(200, self.envelope([draft]))

    def _get_content(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        return Reply(200, self.envelope([self.contents.get(draft["ID"], {"Html-part": "", "Text-part": ""})]))

    def _write_content(self, match: re.Match[str], body: Any) -> dict[str, str]:
        """POST replaces: a part left out is emptied (reference/mailjet.md §4)."""
        draft = self._draft_or_404(match)
        props = self._check_props(body, MJ_CONTENT_FIELDS)
        if draft["Status"] not in (0, 1):
            raise self._fail(400, "Newsletter has to be in status draft or programmed")
        new = {"Html-part": "", "Text-part": ""}
        new.update({k: v for k, v in props.items() if k in ("Html-part", "Text-part")})
        self.contents[draft["ID"]] = new
        return new

    def _post_content(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        return Reply(201, self.envelope([self._write_content(match, body)]))


    def _test(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        props = self._check_props(body, {"Recipients"})
        recipients = props.get("Recipients")
        if not isinstance(recipients, list) or not recipients or not all(isinstance(r, dict) and "@" in str(r.get("Email", "")) for r in recipients):
            raise self._fail(400, "Recipients: a list of {Email, Name} is required")
        self._preconditions(draft, allow_programmed=True)
        self.tests_sent.append((draft["ID"], [r["Email"] for r in recipients]))
        return Reply(201, self.envelope([{"Status": "Draft"}]))

    def _preconditions(self, draft: dict[str, Any], *, allow_programmed: bool) -> None:
        self._validate_draft(draft)
        if not draft.get("Sender") or not draft.get("Subject"):
            raise self._fail(400, "Sender and Subject must not be empty")
        lst = next(lst for lst in self.lists if lst["ID"] == draft["ContactsListID"])
        if lst["SubscriberCount"] < 2:
            raise self._fail(400, "The contacts list needs more than one active subscribed recipient")
        content = self.contents.get(draft["ID"], {})
        if not content.get("Html-part") and not content.get("Text-part"):
            raise self._fail(400, "Html-part or Text-part is required")
        if draft["Status"] not in ((0, 1) if allow_programmed else (0,)):
            raise self._fail(400, "Newsletter has to be in status draft or programmed")

    def _send(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        self._check_props(body if body is not None else {}, set())
        self._preconditions(draft, allow_programmed=True)
        if self.send_lag is not None:
            self.deliveries[draft["ID"]] = self.deliveries.get(draft["ID"], 0) + 1
            draft["Status"] = self.send_lag
            self.settling.add(draft["ID"])
        else:
            self._deliver(draft)
        return Reply(201, self.envelope([{"Status": "programmed"}]))

    def settle(self) -> None:
        """The asynchronous sends accepted so far are done (Status 2, CampaignID and DeliveredAt set)."""
        with self.lock:
            for draft_id in sorted(self.settling):
                self._deliver(self.drafts[draft_id], count=False)
            self.settling.clear()

    def _deliver(self, draft: dict[str, Any], *, count: bool = True) -> None:
        draft["Status"] = 2
        draft["CampaignID"] = self.next_campaign_id
        self.next_campaign_id += 1
        draft["DeliveredAt"] = _iso(self.now())
        self.schedules.pop(draft["ID"], None)
        if count:
            self.deliveries[draft["ID"]] = self.deliveries.get(draft["ID"], 0) + 1

    def _schedule_date(self, body: Any) -> dt.datetime:
        props = self._check_props(body, {"Date", "date"})
        when = _parse_offset_time(props.get("Date", props.get("date")))
        if when is None:
            raise self._fail(400, "Date must be an ISO 8601 date-time with an offset")
        if when <= self.now():
            raise self._fail(400, "Date of scheduling is in the past or too close to the execution")
        return when

    def _schedule_post(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        when = self._schedule_date(body)
        self._preconditions(draft, allow_programmed=False)
        draft["Status"] = 1
        self.schedules[draft["ID"]] = when.isoformat()
        return Reply(201, self.envelope([{"Date": when.isoformat(), "Status": "programmed"}]))

    def _schedule_get(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        if draft["ID"] not in self.schedules:
            raise self._fail(404, "Object not found")
        return Reply(200, self.envelope([{"Date": self.schedules[draft["ID"]], "Status": "programmed"}]))

    def _schedule_delete(self, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
        draft = self._draft_or_404(match)
        self.schedules.pop(draft["ID"], None)
        draft["Status"] = 0
        return Reply(204)

    def deliver_scheduled(self) -> None:
        """Play the clock: every programmed draft goes to its list."""
        with self.lock:
            for draft in self.drafts.values():
                if draft["Status"] == 1:
                    self._deliver(draft)
