"""The letter's year for funders: figures of the issues sent in a period, from the campaign state.

`letter_year` computes every figure from the state's records (their figures as `stats` read
them, the list size and the issue's items kept at send time); `letter_report` words them into a
`Report` (summary, tables, charts). Rates are on delivered messages, as `stats` computes them;
the period's average rates are weighted (all unique opens / all delivered messages).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from newsletter.campaigns import CampaignRecord
from newsletter.urls import url_key


@dataclass(frozen=True)
class IssueRow:
    """One issue sent in the period, with its campaign's figures (None: not read)."""

    issue: str
    sent_on: dt.date
    subject: str
    provider: str
    subscribers: int | None
    recipients: int | None
    delivered: int | None
    unique_opens: int | None
    unique_clicks: int | None
    unsubscriptions: int | None

    @property
    def open_rate(self) -> float | None:
        return _ratio(self.unique_opens, self.delivered)

    @property
    def click_rate(self) -> float | None:
        return _ratio(self.unique_clicks, self.delivered)


def _ratio(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None


@dataclass(frozen=True)
class ClickedItem:
    """An item of an issue and its clicks (all its links' clicks in that issue)."""

    title: str
    issue: str
    section: str
    clicks: int
    url: str


@dataclass(frozen=True)
class LetterYear:
    """Every figure of the report: issues, top items, actors announced, map size, veille per source."""

    start: dt.date
    end: dt.date  # the first day of the last month
    issues: tuple[IssueRow, ...]
    top_items: tuple[ClickedItem, ...]
    #: Every month from the first of the period to the last with an issue sent: 0 when no actor
    #: was announced (or no issue sent), None when the month's issues kept no list of items.
    actors_per_month: tuple[tuple[dt.date, int | None], ...]
    #: Counts by category, département or source, largest first; None: not written in the item.
    actors_by_category: tuple[tuple[str | None, int], ...]
    actors_by_departement: tuple[tuple[str | None, int], ...]
    map_size: tuple[tuple[dt.date, int], ...]
    veille_by_source: tuple[tuple[str | None, int], ...]

    @property
    def open_rate(self) -> float | None:
        """All unique opens / all delivered messages of the period."""
        return _ratio(*_sums(self.issues, "unique_opens"))

    @property
    def click_rate(self) -> float | None:
        """All unique clicks / all delivered messages of the period."""
        return _ratio(*_sums(self.issues, "unique_clicks"))

    @property
    def actors_announced(self) -> int:
        return sum(count or 0 for _, count in self.actors_per_month)


def _sums(rows: Sequence[IssueRow], name: str) -> tuple[int | None, int | None]:
    counted = [row for row in rows if getattr(row, name) is not None and row.delivered]
    if not counted:
        return None, None
    return sum(getattr(row, name) for row in counted), sum(row.delivered or 0 for row in counted)


def month_start(value: dt.date) -> dt.date:
    """The first day of `value`'s month."""
    return value.replace(day=1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of each month from `first`'s to `last`'s, both included."""
    found, month = [], month_start(first)
    while month <= last:
        found.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return found


def _sent_on(record: CampaignRecord, tz: ZoneInfo) -> dt.date | None:
    moment = record.sent_at or (record.scheduled_at if record.status == "sent" else None)
    if record.status != "sent" or not moment:
        return None
    return dt.datetime.fromisoformat(moment).astimezone(tz).date()


def _pick(records: Sequence[CampaignRecord]) -> CampaignRecord:
    """The campaign that counts for an issue sent on several providers: a real one with figures first."""
    return sorted(records, key=lambda r: (r.provider == "outbox", r.stats is None or r.stats.figures is None, r.provider))[0]


_DEPARTEMENT = re.compile(r"\((\d[\dAB]{1,2})\)")


def actor_place_and_category(meta: str) -> tuple[str | None, str | None]:
    """'Ivry-sur-Seine (94) · Pédibus, Parents d'élèves' -> ('94', 'Pédibus'), as the draft writes actors."""
    place, _, categories = meta.partition(" · ")
    found = _DEPARTEMENT.search(place)
    category = categories.split(",")[0].strip() or None
    return (found.group(1) if found else None), category


def item_source(meta: str) -> str | None:
    """'Le Fil des mobilités · 4 novembre 2026' -> 'Le Fil des mobilités' (the draft's meta line)."""
    source = meta.partition(" · ")[0].strip()
    return source or None


def letter_year(
    records: Sequence[CampaignRecord],
    *,
    start: dt.date,
    end: dt.date,
    tz: ZoneInfo,
    actor_sections: Collection[str],
    veille_sections: Collection[str],
    top: int = 10,
) -> LetterYear:
    """The figures of the issues sent from `start`'s month to `end`'s month (both included)."""
    first, last = month_start(start), month_start(end)
    by_issue: dict[str, list[CampaignRecord]] = {}
    dates: dict[str, dt.date] = {}
    for record in records:
        sent_on = _sent_on(record, tz)
        if sent_on is None or not first <= month_start(sent_on) <= last:
            continue
        by_issue.setdefault(record.issue, []).append(record)
        dates[record.issue] = min(sent_on, dates.get(record.issue, sent_on))
    rows: list[IssueRow] = []
    clicked: list[ClickedItem] = []
    per_month: Counter[dt.date] = Counter()
    listed_months: set[dt.date] = set()  # months with an issue that kept its items
    categories: Counter[str | None] = Counter()
    departements: Counter[str | None] = Counter()
    sources: Counter[str | None] = Counter()
    map_size: list[tuple[dt.date, int]] = []
    for stem in sorted(by_issue, key=lambda s: (dates[s], s)):
        record = _pick(by_issue[stem])
        figures = record.stats.figures if record.stats is not None else None
        digest = next((r.digest for r in by_issue[stem] if r.digest is not None), None)
        subscribers = next((r.subscribers for r in by_issue[stem] if r.subscribers is not None), None)
        rows.append(IssueRow(
            issue=stem, sent_on=dates[stem], subject=digest.subject if digest else "", provider=record.provider,
            subscribers=subscribers,
            recipients=figures.sent if figures else None, delivered=figures.delivered if figures else None,
            unique_opens=figures.unique_opens if figures else None, unique_clicks=figures.unique_clicks if figures else None,
            unsubscriptions=figures.unsubscriptions if figures else None,
        ))
        if digest is None:
            continue
        month = month_start(dates[stem])
        listed_months.add(month)
        items = {url_key(item.url): item for item in digest.items}
        clicks: Counter[str] = Counter()
        for url, count in ((record.stats.links or {}) if record.stats else {}).items():
            if url_key(url) in items:
                clicks[url_key(url)] += count
        clicked.extend(ClickedItem(items[key].title, stem, items[key].section, count, items[key].url) for key, count in clicks.items() if count > 0)
        for item in digest.items:
            if item.section_id in actor_sections:
                per_month[month] += 1
                departement, category = actor_place_and_category(item.meta)
                departements[departement] += 1
                categories[category] += 1
            elif item.section_id in veille_sections:
                sources[item_source(item.meta)] += 1
        if digest.map_actors is not None:
            map_size.append((dates[stem], digest.map_actors))
    clicked.sort(key=lambda item: (-item.clicks, item.issue, item.title))

    def ranked(counter: Counter[str | None]) -> tuple[tuple[str | None, int], ...]:
        # Largest first, then by name; what was not written comes last.
        return tuple(sorted(counter.items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or "")))

    sent_months = [month_start(day) for day in dates.values()]
    per_month_all = tuple((month, per_month[month] if month in listed_months or month not in sent_months else None)
                          for month in months(first, max(sent_months))) if sent_months else ()
    return LetterYear(
        start=first, end=last, issues=tuple(rows), top_items=tuple(clicked[:top]),
        actors_per_month=per_month_all, actors_by_category=ranked(categories),
        actors_by_departement=ranked(departements), map_size=tuple(map_size), veille_by_source=ranked(sources),
    )
