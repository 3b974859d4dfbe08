"""The outbox: the embedded provider for anyone without an account; the campaign is a folder of files.

`outbox/<issue>/message.eml` is the whole email (multipart/alternative, text then HTML), and
`outbox/<issue>/campaign.json` records the campaign: status, schedule, tests, sending.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from newsletter.errors import ProviderError, StateError
from newsletter.fsutil import write_atomic
from newsletter.i18n import _
from newsletter.providers.base import Campaign, MailingList, Message, Status
from newsletter.validation import quoted


def build_eml(message: Message, *, now: dt.datetime, unsubscribe: str) -> bytes:
    """The email as a provider would send it: both parts and the headers a reader checks."""
    email = EmailMessage(policy=SMTP)
    email["Subject"] = message.subject
    email["From"] = formataddr((message.sender_name, message.sender_email))
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Date"] = format_datetime(now)
    domain = message.sender_email.rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<{message.name}@{domain}>"
    email["List-Unsubscribe"] = unsubscribe
    if unsubscribe.startswith("<https://"):
        # RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders; it is
        # only valid with an https URI in List-Unsubscribe.
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.text, subtype="plain", charset="utf-8")
    email.add_alternative(message.html, subtype="html", charset="utf-8")
    return email.as_bytes()


class OutboxProvider:
    """Writes each campaign to `<root>/<issue>/`; `now` is the clock (pinned in the demo and tests)."""

    name = "outbox"

    def __init__(self, root: Path, *, now: Callable[[], dt.datetime], unsubscribe_url: str | None, contact_email: str | None) -> None:
        self.root = root
        self.now = now
        self.unsubscribe_url = unsubscribe_url
        self.contact_email = contact_email

    def _folder(self, campaign_id: str) -> Path:
        return self.root / campaign_id

    def _read(self, campaign_id: str) -> dict[str, Any] | None:
        path = self._folder(campaign_id) / "campaign.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StateError(_("the outbox file {path} is unreadable or corrupt").format(path=path), hint=_("delete that folder and send again")) from exc
        if not isinstance(data, dict) or data.get("id") != campaign_id:
            raise StateError(_("the outbox file {path} belongs to another campaign").format(path=path), hint=_("delete that folder and send again"))
        known = {status.value for status in Status}
        if not isinstance(data.get("name"), str) or data.get("status") not in known:
            raise StateError(
                _("the outbox file {path} has no campaign name or an unknown status {status} (expected one of {known})").format(
                    path=path, status=quoted(data.get("status")), known=", ".join(sorted(known))
                ),
                hint=_("undo your edit of that file, or delete the folder and send again"),
            )
        return data

    def _existing(self, campaign: Campaign) -> dict[str, Any]:
        data = self._read(campaign.id)
        if data is None:
            raise StateError(
                _("the outbox folder of campaign {id} has disappeared ({path})").format(id=campaign.id, path=self._folder(campaign.id)),
                hint=_("run `newsletter send` for this issue again to write it anew"),
            )
        return data

    def _write(self, data: dict[str, Any]) -> None:
        write_atomic(self._folder(data["id"]) / "campaign.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def _stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def close(self) -> None:
        """Nothing to release."""

    def preflight(self, message: Message) -> list[MailingList]:
        """No key and no list: the sender address must be set; the 'list' is the folder."""
        if not message.sender_email:
            raise ProviderError(_("no sender address: set [outbox] sender_email in newsletter.toml"))
        return [MailingList(id="outbox", name=_("files in {path}").format(path=self.root), subscribers=0)]

    def _campaign(self, data: dict[str, Any]) -> Campaign:
        scheduled = data.get("scheduled_at")
        return Campaign(
            id=data["id"],
            name=data["name"],
            status=Status(data["status"]),
            raw_status=data["status"],
            subject=data.get("subject", ""),
            scheduled_at=dt.datetime.fromisoformat(scheduled) if scheduled else None,
            url=(self._folder(data["id"]) / "message.eml").as_uri(),
        )

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        """The campaign of that folder, or None."""
        data = self._read(campaign_id)
        return self._campaign(data) if data else None

    def find_campaign(self, name: str) -> Campaign | None:
        """The outbox id is the issue's stem, which ends the name; look there."""
        for folder in sorted(self.root.glob("*/campaign.json")) if self.root.is_dir() else []:
            data = self._read(folder.parent.name)
            if data and data.get("name") == name:
                return self._campaign(data)
        return None

    def _unsubscribe(self, message: Message) -> str:
        if self.unsubscribe_url:
            return f"<{self.unsubscribe_url}>"
        return f"<mailto:{self.contact_email or message.sender_email}?subject=unsubscribe>"

    def _save(self, campaign_id: str, message: Message, *, old: dict[str, Any] | None, schedule_at: dt.datetime | None) -> None:
        now = self._stamp()
        write_atomic(self._folder(campaign_id) / "message.eml", build_eml(message, now=self.now(), unsubscribe=self._unsubscribe(message)))
        data: dict[str, Any] = dict(old or {"id": campaign_id, "created_at": now, "status": "draft", "scheduled_at": None, "sent_at": None, "tests": []})
        data.update(
            name=message.name,
            subject=message.subject,
            preheader=message.preheader,
            sender=formataddr((message.sender_name, message.sender_email)),
            reply_to=message.reply_to or None,
            updated_at=now,
        )
        if schedule_at is not None:
            data.update(status="scheduled", scheduled_at=schedule_at.isoformat(timespec="seconds"))
        self._write(data)

    def create_campaign(self, message: Message, *, schedule_at: dt.datetime | None, on_created: Callable[[str], None]) -> None:
        """Write the folder; its id is the issue stem."""
        self._save(message.issue, message, old=None, schedule_at=schedule_at)
        on_created(message.issue)

    def update_campaign(self, campaign: Campaign, message: Message, *, schedule_at: dt.datetime | None) -> None:
        """Rewrite message.eml and campaign.json, keeping the history."""
        self._save(campaign.id, message, old=self._read(campaign.id), schedule_at=schedule_at)

    def test_message_path(self, campaign_id: str) -> Path:
        """Where `send --test` writes the test message: outbox/<issue>/test.eml."""
        return self._folder(campaign_id) / "test.eml"

    def send_test(self, campaign: Campaign, emails: Sequence[str]) -> None:
        """Write the test message, addressed to `emails`, to test.eml and record it in
        campaign.json (nothing leaves the computer)."""
        data = self._existing(campaign)
        campaign_eml = self._folder(campaign.id) / "message.eml"
        try:
            email = message_from_bytes(campaign_eml.read_bytes(), policy=SMTP)
        except OSError as exc:
            raise StateError(
                _("cannot read the outbox file {path}: {reason}").format(path=campaign_eml, reason=exc.strerror or exc),
                hint=_("run `newsletter send` for this issue again"),
            ) from None
        del email["To"]
        email["To"] = ", ".join(emails)
        write_atomic(self.test_message_path(campaign.id), email.as_bytes())
        data.setdefault("tests", []).append({"to": list(emails), "at": self._stamp()})
        self._write(data)

    def send_now(self, campaign: Campaign) -> None:
        """Mark the campaign sent in campaign.json."""
        data = self._existing(campaign)
        data.update(status="sent", sent_at=self._stamp(), scheduled_at=None)
        self._write(data)
