"""Campaign statistics for reporting: read from the provider (or the state), map links to items.

`collect_stats` reads the figures of every issue that has a campaign in the state (or of the
issues asked for), stores them in the state with the time they were read (`--cached` then works
offline), and, for a single issue, maps each clicked link back to the item of the issue it
belongs to (UTM parameters ignored). Rates are computed on delivered messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from newsletter import formats
from newsletter.campaigns import (
    CachedStats,
    CampaignRecord,
    Observation,
    follow_provider,
    followed,
    load_state,
    set_stats_many,
)
from newsletter.choices import Provider
from newsletter.config import Settings
from newsletter.errors import NewsletterError, NoCampaignError
from newsletter.i18n import _, ngettext
from newsletter.providers.base import (
    Campaign,
    CampaignStats,
    NotFoundError,
    StatsNotReadyError,
    StatsProvider,
    status_words,
)
from newsletter.urls import url_key

if TYPE_CHECKING:  # httpx (~0.1 s) only when a provider is read, never for --cached
    from newsletter.providers.retry import RetryPolicy

logger = logging.getLogger(__name__)

FIGURES = tuple(f.name for f in fields(CampaignStats))
COLUMNS = ("issue", "provider", "campaign_id", "status", "read_at", "source",
           "sent", "delivered", "unique_opens", "open_rate", "unique_clicks", "click_rate",
           "hard_bounces", "soft_bounces", "unsubscriptions", "complaints", "note")
LINK_COLUMNS = ("issue", "provider", "clicks", "item", "section", "url")


def csv_headers() -> dict[str, str]:
    """Column key -> header: the CSV is read in a spreadsheet by people, so its headers are words, in their language."""
    return {
        "issue": _("Issue"), "provider": _("Provider"), "campaign_id": _("Campaign"), "status": _("Status"),
        "read_at": _("Read at"), "source": _("Source"), "sent": _("Sent"), "delivered": _("Delivered"),
        "unique_opens": _("Unique opens"), "open_rate": _("Open rate"), "unique_clicks": _("Unique clicks"),
        "click_rate": _("Click rate"), "hard_bounces": _("Hard bounces"), "soft_bounces": _("Soft bounces"),
        "unsubscriptions": _("Unsubscriptions"), "complaints": _("Complaints"), "note": _("Note"),
        "clicks": _("Clicks"), "item": _("Item"), "section": _("Section"), "url": _("URL"),
    }


@dataclass(frozen=True)
class LinkClicks:
    """Clicks on one link, with the item of the issue it belongs to (None when it matches none)."""

    url: str
    clicks: int
    item: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class IssueStats:
    """One issue's campaign on one provider: its figures (fresh or cached) and why some are missing."""

    issue: str
    provider: str
    campaign_id: str
    status: str
    figures: CampaignStats | None
    read_at: str | None
    source: str  # "provider" (read now), "cached" (from the state) or "none"
    links: tuple[LinkClicks, ...] | None = None
    note: str | None = None
    failed: bool = False

    @property
    def open_rate(self) -> float | None:
        """Unique opens / delivered messages."""
        return _rate(self.figures, "unique_opens")

    @property
    def click_rate(self) -> float | None:
        """Unique clicks / delivered messages."""
        return _rate(self.figures, "unique_clicks")


def _rate(figures: CampaignStats | None, name: str) -> float | None:
    if figures is None or figures.delivered <= 0:
        return None
    return float(getattr(figures, name)) / figures.delivered


@dataclass(frozen=True)
class StatsReport:
    """What `newsletter stats` shows; `failed` when a provider could not give an issue's figures."""

    rows: tuple[IssueStats, ...]
    single: bool
    generated_at: str

    @property
    def failed(self) -> bool:
        return any(row.failed for row in self.rows)


#: Campaigns read at once. Brevo counts requests per hour (about 100, reference/brevo.md §11) and
#: Mailjet per API key, so reading in parallel sends no more requests than one after the other;
#: it only stops waiting for each answer in turn. Six keeps a burst small for both.
CONCURRENCY = 6


def open_stats_provider(settings: Settings, name: Provider, policy: RetryPolicy) -> StatsProvider:
    """Build Brevo's or Mailjet's client for statistics (ConfigError when its key is missing)."""
    from newsletter.providers import PROVIDERS

    built = PROVIDERS[name](settings, policy, lambda: dt.datetime.now(settings.tz))
    return cast(StatsProvider, built)


def collect_stats(
    settings: Settings,
    *,
    issue_paths: Sequence[Path] = (),
    cached: bool = False,
    now: Callable[[], dt.datetime],
    policy: RetryPolicy | None = None,
    concurrency: int = CONCURRENCY,
    open_provider: Callable[[Settings, Provider, RetryPolicy], StatsProvider] = open_stats_provider,
) -> StatsReport:
    """Figures of the issues asked for (every issue with a campaign when none), stored in the state.

    Up to `concurrency` campaigns are read at once over one client per provider (1 reads them
    one after the other); the rows keep the order of the state either way.

    Raises NoCampaignError when an issue asked for has no campaign yet. A deleted campaign or a
    provider failure marks its row `failed` (the others are still reported); figures not yet
    available are a note, not a failure.
    """
    state = load_state(settings.state_dir)
    if issue_paths:
        stems = [path.stem for path in issue_paths]
        missing = [stem for stem in stems if not state.entries.get(stem)]
        if missing:
            raise NoCampaignError(
                ngettext(
                    "issue {issues} has no campaign yet ({path}): there are no statistics to read",
                    "issues {issues} have no campaign yet ({path}): there are no statistics to read",
                    len(missing),
                ).format(issues=", ".join(missing), path=state.path),
                hint=_("send it first (newsletter send issues/{issue}.md), or run `newsletter stats` to list the issues that have one").format(
                    issue=missing[0]
                ),
            )
        paths = {path.stem: path for path in issue_paths}
    else:
        stems = state.issues()
        paths = {}
    single = len(stems) == 1 and bool(issue_paths)
    records = [record for stem in stems for record in sorted(state.entries[stem].values(), key=lambda r: r.provider)]
    from newsletter.providers.retry import RetryPolicy

    retry_policy = policy or RetryPolicy()
    opened: dict[Provider, StatsProvider] = {}
    read: list[tuple[CampaignRecord, CachedStats]] = []
    seen: list[Observation] = []
    try:
        # Open each provider needed first, in order, so a missing key fails before any request.
        for record in records:
            name = _online_provider(record, cached=cached)
            if name is not None and name not in opened:
                opened[name] = open_provider(settings, name, retry_policy)

        def one(record: CampaignRecord) -> IssueStats:
            row, stored, campaign = _issue_row(record, cached=cached, links=single, now=now, opened=opened)
            if stored is not None:
                read.append((record, stored))
            if campaign is not None:
                observed = Observation(record.issue, record.provider, campaign.status.value, campaign.sent_at, campaign.scheduled_at)
                seen.append(observed)
                row = replace(row, status=followed(record, observed, now=now()).status)
            return row

        if concurrency <= 1 or len(records) <= 1:
            rows = [one(record) for record in records]
        else:
            pool = ThreadPoolExecutor(max_workers=min(concurrency, len(records)), thread_name_prefix="stats")
            try:
                rows = list(pool.map(one, records))  # map keeps the order of `records`
            finally:
                # On Ctrl-C, start no new read; the few in flight end within their timeout.
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        for client in opened.values():
            client.close()
        # One write for every figure read, even when a later read failed or was interrupted; then
        # the statuses read on the way (a scheduled campaign the provider has sent since).
        if read:
            set_stats_many(settings.state_dir, [(record.issue, record.provider, stored) for record, stored in read], now=now())
        if seen:
            follow_provider(settings.state_dir, seen, now=now())
    if single:
        rows = [_with_items(settings, row, paths.get(row.issue) or settings.issues_dir / f"{row.issue}.md") if row.links is not None else row
                for row in rows]
    return StatsReport(rows=tuple(rows), single=single, generated_at=now().isoformat(timespec="seconds"))


def _online_provider(record: CampaignRecord, *, cached: bool) -> Provider | None:
    """The provider to ask for this record's figures, or None when they come from the state."""
    if cached or record.provider == Provider.outbox:
        return None
    try:
        return Provider(record.provider)
    except ValueError:
        return None


def _cached_figures(record: CampaignRecord) -> tuple[CampaignStats | None, str | None, dict[str, int] | None]:
    stored = record.stats
    if stored is None:
        return None, None, None
    figures = stored.figures
    return figures, stored.read_at if stored.read_at and figures else None, stored.links


def _from_cache(record: CampaignRecord, *, note: str | None, failed: bool, links: bool) -> IssueStats:
    figures, read_at, link_map = _cached_figures(record)
    if figures is not None and note is not None:
        note = _("{note}; showing the figures read on {moment}").format(note=note, moment=_moment_words(read_at))
    return IssueStats(
        issue=record.issue, provider=record.provider, campaign_id=record.id, status=record.status,
        figures=figures, read_at=read_at, source="cached" if figures is not None else "none",
        links=_link_rows(link_map) if links and link_map is not None else None, note=note, failed=failed,
    )


def _moment_words(stamp: str | None) -> str:
    """An ISO time from the state as the user reads it: 'December 9, 2026 at 10:00'."""
    try:
        moment = dt.datetime.fromisoformat(stamp or "")
    except ValueError:
        return stamp or ""
    return _("{date} at {time}").format(date=formats.long_date(moment.date()), time=moment.strftime("%H:%M"))


def _link_rows(link_map: dict[str, int]) -> tuple[LinkClicks, ...]:
    return tuple(LinkClicks(url, clicks) for url, clicks in sorted(link_map.items(), key=lambda kv: (-kv[1], kv[0])))


def _issue_row(
    record: CampaignRecord,
    *,
    cached: bool,
    links: bool,
    now: Callable[[], dt.datetime],
    opened: Mapping[Provider, StatsProvider],
) -> tuple[IssueStats, CachedStats | None, Campaign | None]:
    """One campaign's row, the figures to store when they were read now, and the campaign as
    the provider showed it (its status is recorded); runs in a worker thread."""
    if record.provider == Provider.outbox:
        return _from_cache(record, note=_("the outbox keeps no statistics (it only writes files)"), failed=False, links=links), None, None
    if cached:
        figures = _cached_figures(record)[0]
        note = None if figures is not None else _("no figures read yet; run `newsletter stats` without --cached once online")
        return _from_cache(record, note=note, failed=False, links=links), None, None
    name = _online_provider(record, cached=cached)
    if name is None:
        return _from_cache(record, note=_("unknown provider '{provider}' in the state").format(provider=record.provider), failed=True, links=links), None, None
    client = opened[name]
    try:
        reading = client.campaign_stats(record.id)
        link_map = client.link_stats(record.id) if links else None
    except NotFoundError:
        note = _("campaign {campaign} no longer exists on {provider} (deleted there?)").format(campaign=record.id, provider=record.provider)
        return _from_cache(record, note=note, failed=True, links=links), None, None
    except StatsNotReadyError as exc:
        return _from_cache(record, note=_not_ready_note(exc, client, now()), failed=False, links=links), None, exc.campaign
    except NewsletterError as exc:
        return _from_cache(record, note=exc.message, failed=True, links=links), None, None
    figures = reading.figures
    read_at = now().isoformat(timespec="seconds")
    previous = record.stats
    payload = CachedStats(
        read_at=read_at,
        figures=figures,
        # The listing reads no links: keep the ones a single-issue run read before.
        links=link_map if link_map is not None else previous.links if previous else None,
        links_read_at=read_at if link_map is not None else previous.links_read_at if previous else None,
    )
    row = IssueStats(
        issue=record.issue, provider=record.provider, campaign_id=record.id, status=record.status,
        figures=figures, read_at=read_at, source="provider", links=_link_rows(link_map) if link_map is not None else None,
    )
    return row, payload, reading.campaign


def _not_ready_note(exc: StatsNotReadyError, client: StatsProvider, now: dt.datetime) -> str:
    """Why there are no figures: not yet (sent a moment ago), or no longer (older than the provider keeps them)."""
    campaign, kept = exc.campaign, client.stats_retention
    if campaign is not None and campaign.sent_at is not None and kept is not None and now - campaign.sent_at > kept:
        months = kept.days // 30
        return ngettext(
            "{provider} keeps statistics for {n} month only: campaign {campaign} was sent on {date}, so its figures now read 0",
            "{provider} keeps statistics for {n} months only: campaign {campaign} was sent on {date}, so its figures now read 0",
            months,
        ).format(provider=client.name, n=formats.integer(months), campaign=campaign.id, date=formats.long_date(campaign.sent_at.astimezone(now.tzinfo).date()))
    return _("{reason}; statistics appear a few minutes to an hour after sending, try again later").format(reason=exc.message)


def _link_key(url: str) -> str:
    """The comparison key of a clicked link and of an item's link: `url_key` (no UTM or other
    tracking parameter, host case, `www.`, scheme, trailing slash and fragment ignored)."""
    return url_key(url)


def item_index(settings: Settings, issue_path: Path) -> dict[str, tuple[str, str | None]]:
    """URL (without UTM) -> (item title, section title) for the items and other links of an issue."""
    from newsletter.issue import load_issue
    from newsletter.render.pipeline import web_link

    issue = load_issue(issue_path, settings.file.sections)
    index: dict[str, tuple[str, str | None]] = {}
    news = settings.newsletter
    for url, label in ((news.unsubscribe_url, _("(unsubscribe link)")), (news.subscribe_url, _("(subscription page)")),
                       (web_link(settings, issue), _("(web version)")), (news.website_url, _("(network's website)"))):
        if url:
            index[_link_key(url)] = (label, None)
    for link in issue.links:
        index.setdefault(_link_key(link.href), (link.text or link.href, None))
    for section in issue.sections:
        for item in section.items:
            index[_link_key(item.url)] = (item.title, section.title)
    return index


def _with_items(settings: Settings, row: IssueStats, issue_path: Path) -> IssueStats:
    assert row.links is not None
    try:
        index = item_index(settings, issue_path)
    except NewsletterError as exc:
        logger.warning(_("links not mapped to items: {reason}").format(reason=exc.message))
        return row
    mapped = tuple(LinkClicks(link.url, link.clicks, *index.get(_link_key(link.url), (None, None))) for link in row.links)
    return replace(row, links=mapped)


# -- output formats -----------------------------------------------------------------------------


def _row_values(row: IssueStats) -> dict[str, Any]:
    values: dict[str, Any] = {
        "issue": row.issue, "provider": row.provider, "campaign_id": row.campaign_id, "status": row.status,
        "read_at": row.read_at, "source": row.source, "note": row.note,
    }
    for name in FIGURES:
        values[name] = getattr(row.figures, name) if row.figures is not None else None
    values["open_rate"] = round(row.open_rate, 4) if row.open_rate is not None else None
    values["click_rate"] = round(row.click_rate, 4) if row.click_rate is not None else None
    return values


def stats_json(report: StatsReport) -> str:
    """The report as JSON (rates are fractions of delivered messages, 0.4123 = 41.23 %)."""
    issues = []
    for row in report.rows:
        values = {key: _row_values(row)[key] for key in COLUMNS}
        if row.links is not None:
            values["links"] = [asdict(link) for link in row.links]
        issues.append(values)
    payload = {"generated_at": report.generated_at, "rates_computed_on": "delivered", "issues": issues}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def source_words(source: str) -> str:
    """Where a row's figures come from, as the user reads it."""
    words = {"provider": _("read now"), "cached": _("last figures read"), "none": _("no figures")}
    return words.get(source, source)


def _csv_cell(key: str, value: object) -> str:
    """A cell a spreadsheet of the user's language reads: rates as '44,0 %' in French, counts bare."""
    if value is None:
        return ""
    # A person reads the CSV: the words of the table, not the state's values (JSON keeps those).
    if key == "status" and isinstance(value, str):
        return status_words(value)
    if key == "source" and isinstance(value, str):
        return source_words(value)
    if key in {"open_rate", "click_rate"} and isinstance(value, float):
        return formats.csv_percent(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.csv_integer(value)
    return str(value)


def stats_csv(report: StatsReport) -> str:
    """The report as CSV for a spreadsheet in the user's language (French: ';' between cells,
    '44,0 %', headers in French; write it with formats.CSV_ENCODING): one row per campaign; for
    one issue, a blank line then one row per link."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=formats.csv_delimiter(), lineterminator="\n")
    headers = csv_headers()
    writer.writerow([headers[key] for key in COLUMNS])
    for row in report.rows:
        values = _row_values(row)
        values["open_rate"], values["click_rate"] = row.open_rate, row.click_rate  # unrounded: the cell rounds
        writer.writerow([_csv_cell(key, values[key]) for key in COLUMNS])
    link_rows = [(row, link) for row in report.rows for link in (row.links or ())]
    if report.single and link_rows:
        writer.writerow([])
        writer.writerow([headers[key] for key in LINK_COLUMNS])
        for row, link in link_rows:
            writer.writerow([row.issue, row.provider, formats.csv_integer(link.clicks), link.item or "", link.section or "", link.url])
    return buffer.getvalue()


def percent(value: float | None) -> str:
    """'41,2 %' in French, '41.2%' in English, or a dash."""
    return "—" if value is None else formats.percent(value)
