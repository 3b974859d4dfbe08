"""Campaign state: which campaign each issue has on each provider, in one human-readable JSON file.

The file is `<state_dir>/campaigns.json`, keyed by issue stem, then provider:

    {
      "version": 1,
      "issues": {
        "2026-12": {
          "brevo": {"issue": "2026-12", "provider": "brevo", "id": "12", "name": "mobiscol-2026-12",
                    "status": "scheduled", "created_at": "…", "updated_at": "…",
                    "scheduled_at": "2026-12-08T09:30:00+01:00", "sent_at": null,
                    "last_test_at": null, "stats": null}
        }
      }
    }

Every change is written at once and whole (`write_atomic`), so the campaign id survives a crash
right after the provider created it. `stats` is what `newsletter stats` read last (`CachedStats`).

One way in: the file goes through pydantic models. A key this version does not know (written by a
newer one) is no error and is kept when the entry is written again; a missing key or a wrong kind
of value is a StateError in words.

API: `load_state(state_dir)` -> `CampaignState` (`.get(issue, provider)`, `.records()`,
`.issues()`); `record_campaign(...)`, `mark_status(...)`, `record_test(...)`, `set_stats(...)`
each load, change one entry, write and return the new `CampaignRecord`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from newsletter.errors import StateError
from newsletter.fsutil import write_atomic
from newsletter.i18n import _
from newsletter.providers.base import CampaignStats
from newsletter.validation import describe_error

STATE_FILE = "campaigns.json"
STATE_VERSION = 1

#: Campaign statuses as the state records them (provider statuses are mapped onto these).
#: `maybe-sent`: a send was asked for and its outcome is not known yet (the answer was lost, the
#: command was interrupted, or the provider has not shown it yet: sending is asynchronous).
STATUSES = ("draft", "scheduled", "suspended", "maybe-sent", "sending", "sent", "unknown")
#: Statuses after a send was asked for: a provider that still shows a draft does not undo them.
SEND_STATUSES = ("maybe-sent", "sending", "sent")


# Keys added by a newer version are accepted and written back as they were (forward compatible).
_KEEP_UNKNOWN_KEYS = ConfigDict(extra="allow", frozen=True)


class CachedStats(BaseModel):
    """What `newsletter stats` read last: the figures, the clicks per link, and when."""

    model_config = _KEEP_UNKNOWN_KEYS

    read_at: str | None = None
    figures: CampaignStats | None = None  # validated field by field by pydantic (a dataclass)
    links: dict[str, int] | None = None
    links_read_at: str | None = None


class DigestItem(BaseModel):
    """One item of a sent issue, as the year's report needs it (section, title, link, meta line)."""

    model_config = _KEEP_UNKNOWN_KEYS

    section_id: str
    section: str
    title: str
    url: str
    meta: str = ""


class IssueDigest(BaseModel):
    """What a sent issue held, recorded at send time so that the report needs no issue file."""

    model_config = _KEEP_UNKNOWN_KEYS

    subject: str = ""
    items: list[DigestItem] = []
    map_actors: int | None = None  # validated actors on the map when the issue was drafted (its snapshot)


class CampaignRecord(BaseModel):
    """What we know about one issue's campaign on one provider."""

    model_config = _KEEP_UNKNOWN_KEYS

    issue: str
    provider: str
    id: str
    name: str
    status: str
    created_at: str
    updated_at: str
    scheduled_at: str | None = None
    sent_at: str | None = None
    last_test_at: str | None = None
    stats: CachedStats | None = None
    send_requested_at: str | None = None  # when this tool last asked the provider to send it
    subscribers: int | None = None  # the lists' subscriber count when it was scheduled or sent
    digest: IssueDigest | None = None  # the issue's items when it was scheduled or sent


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    version: int
    issues: dict[str, dict[str, CampaignRecord]]


@dataclass(frozen=True)
class CampaignState:
    """The whole state file, read-only; change it through the module functions."""

    path: Path
    entries: Mapping[str, Mapping[str, CampaignRecord]]

    def get(self, issue: str, provider: str) -> CampaignRecord | None:
        """The record of `issue` on `provider`, or None."""
        return self.entries.get(issue, {}).get(provider)

    def issues(self) -> list[str]:
        """Issue stems that have at least one campaign, sorted."""
        return sorted(stem for stem, by_provider in self.entries.items() if by_provider)

    def records(self) -> list[CampaignRecord]:
        """Every record, sorted by issue then provider."""
        return [self.entries[stem][prov] for stem in sorted(self.entries) for prov in sorted(self.entries[stem])]


def state_path(state_dir: Path) -> Path:
    """Where the campaign state of a workspace lives."""
    return state_dir / STATE_FILE


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def load_state(state_dir: Path) -> CampaignState:
    """Read and validate the state file; an absent file is an empty state.

    Raises StateError when the file is not JSON, not our format, or holds an entry filed under
    an issue or provider other than its own.
    """
    path = state_path(state_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return CampaignState(path=path, entries={})
    except (OSError, UnicodeDecodeError) as exc:
        raise StateError(_("cannot read the state file {path}: {reason}").format(path=path, reason=exc), hint=_repair_hint()) from exc
    try:
        parsed = _FileModel.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise StateError(
            _("the state file {path} is corrupt (not JSON: {reason}, line {line})").format(path=path, reason=exc.msg, line=exc.lineno), hint=_repair_hint()
        ) from None
    except ValidationError as exc:
        raise StateError(
            _("the state file {path} is corrupt ({reason})").format(path=path, reason=describe_error(exc.errors()[0])), hint=_repair_hint()
        ) from None
    if parsed.version != STATE_VERSION:
        raise StateError(
            _("the state file {path} has version {version}; this newsletter understands version {known}").format(
                path=path, version=parsed.version, known=STATE_VERSION
            ),
            hint=_repair_hint(),
        )
    entries: dict[str, dict[str, CampaignRecord]] = {}
    for stem, by_provider in parsed.issues.items():
        for provider, model in by_provider.items():
            if model.issue != stem or model.provider != provider:
                raise StateError(
                    _("the state file {path} is inconsistent: the entry under '{stem}' / '{provider}' belongs to issue '{issue}' on '{owner}'").format(
                        path=path, stem=stem, provider=provider, issue=model.issue, owner=model.provider
                    ),
                    hint=_repair_hint(),
                )
            entries.setdefault(stem, {})[provider] = model
    return CampaignState(path=path, entries=entries)


def _repair_hint() -> str:
    return _(
        "fix or delete that entry by hand (the file is plain JSON); once it is gone, `newsletter send` finds "
        "the campaign again on the provider by its name, so nothing is duplicated"
    )


def _write(state: CampaignState, *records: CampaignRecord) -> CampaignRecord:
    entries = {stem: dict(by_provider) for stem, by_provider in state.entries.items()}
    for record in records:
        entries.setdefault(record.issue, {})[record.provider] = record
    payload = {
        "version": STATE_VERSION,
        "issues": {stem: {prov: rec.model_dump(mode="json") for prov, rec in sorted(by.items())} for stem, by in sorted(entries.items())},
    }
    write_atomic(state.path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return records[-1]


def record_campaign(
    state_dir: Path,
    *,
    issue: str,
    provider: str,
    campaign_id: str,
    name: str,
    status: str,
    now: dt.datetime,
) -> CampaignRecord:
    """Store (or refresh) the campaign id of `issue` on `provider`, keeping its history fields."""
    state = load_state(state_dir)
    old = state.get(issue, provider)
    if old is not None and old.id == campaign_id:
        record = old.model_copy(update={"name": name, "status": status, "updated_at": _iso(now)})
    else:
        record = CampaignRecord(
            issue=issue, provider=provider, id=campaign_id, name=name, status=status,
            created_at=_iso(now), updated_at=_iso(now),
        )
    return _write(state, record)


def _existing(state: CampaignState, issue: str, provider: str) -> CampaignRecord:
    record = state.get(issue, provider)
    if record is None:
        raise StateError(_("no campaign is recorded for issue {issue} on {provider} in {path}").format(issue=issue, provider=provider, path=state.path))
    return record


def mark_status(
    state_dir: Path,
    *,
    issue: str,
    provider: str,
    status: str,
    now: dt.datetime,
    scheduled_at: dt.datetime | None = None,
    send_requested: bool | None = None,
    subscribers: int | None = None,
    digest: IssueDigest | None = None,
) -> CampaignRecord:
    """Record a new status: `scheduled` keeps the time, `sent` stamps `sent_at` with `now`.

    `send_requested` True stamps `send_requested_at` with `now` (a send is being asked for);
    False clears it (the provider refused that send: nothing went out). `subscribers` and
    `digest`, when given, replace the list size and the issue's items kept for the report.
    """
    state = load_state(state_dir)
    old = _existing(state, issue, provider)
    update: dict[str, object] = {
        "status": status,
        "updated_at": _iso(now),
        "scheduled_at": _iso(scheduled_at) if scheduled_at is not None else (old.scheduled_at if status == "scheduled" else None),
        "sent_at": _iso(now) if status == "sent" and old.sent_at is None else old.sent_at,
    }
    if send_requested is not None:
        update["send_requested_at"] = _iso(now) if send_requested else None
    if subscribers is not None:
        update["subscribers"] = subscribers
    if digest is not None:
        update["digest"] = digest
    return _write(state, old.model_copy(update=update))


@dataclass(frozen=True)
class Observation:
    """A campaign's status as a provider showed it (a `Status` value), for `follow_provider`."""

    issue: str
    provider: str
    status: str
    sent_at: dt.datetime | None = None
    scheduled_at: dt.datetime | None = None


def followed(old: CampaignRecord, seen: Observation, *, now: dt.datetime) -> CampaignRecord:
    """The record once it follows what the provider shows (the same record when nothing changes).

    The provider is the truth, with one exception: sending is asynchronous, so a provider that
    still shows a draft (or a Mailjet draft "programmed") after this tool asked it to send does
    not undo the send: the status stays `maybe-sent`/`sending`/`sent` until the provider shows the
    outcome. `sent` is never taken back.
    """
    status = seen.status
    if old.status == "sent" or (old.status in SEND_STATUSES and status in ("draft", "suspended", "unknown")):
        status = old.status
    elif old.status in SEND_STATUSES and status == "scheduled":
        status = "sending"  # Mailjet's Status 1 is "programmed": scheduled, or being sent
    sent_at = old.sent_at or (_iso((seen.sent_at or now).astimezone(now.tzinfo)) if status == "sent" else None)
    scheduled_at = (_iso(seen.scheduled_at) if seen.scheduled_at else old.scheduled_at) if status == "scheduled" else old.scheduled_at if status in SEND_STATUSES else None
    if (status, sent_at, scheduled_at) == (old.status, old.sent_at, old.scheduled_at):
        return old
    return old.model_copy(update={"status": status, "sent_at": sent_at, "scheduled_at": scheduled_at, "updated_at": _iso(now)})


def follow_provider(state_dir: Path, observations: Sequence[Observation], *, now: dt.datetime) -> list[CampaignRecord]:
    """Record what the providers show of several campaigns (see `followed`), in one write, only when something changed.

    Returns the records that changed. An observation of a campaign the state does not have is ignored.
    """
    state = load_state(state_dir)
    changed = []
    for seen in observations:
        old = state.get(seen.issue, seen.provider)
        if old is None:
            continue
        new = followed(old, seen, now=now)
        if new is not old:
            changed.append(new)
    if changed:
        _write(state, *changed)
    return changed


def record_test(state_dir: Path, *, issue: str, provider: str, now: dt.datetime) -> CampaignRecord:
    """Note that a test was sent now."""
    state = load_state(state_dir)
    record = _existing(state, issue, provider).model_copy(update={"last_test_at": _iso(now), "updated_at": _iso(now)})
    return _write(state, record)


def set_stats_many(state_dir: Path, updates: Sequence[tuple[str, str, CachedStats]], *, now: dt.datetime) -> None:
    """Store the latest statistics of several campaigns (issue, provider, stats) in one write."""
    state = load_state(state_dir)
    records = [_existing(state, issue, provider).model_copy(update={"stats": stats, "updated_at": _iso(now)}) for issue, provider, stats in updates]
    _write(state, *records)


def set_stats(state_dir: Path, *, issue: str, provider: str, stats: CachedStats, now: dt.datetime) -> CampaignRecord:
    """Store the latest statistics of a campaign (for `newsletter stats` and `--cached`)."""
    state = load_state(state_dir)
    record = _existing(state, issue, provider).model_copy(update={"stats": stats, "updated_at": _iso(now)})
    return _write(state, record)
