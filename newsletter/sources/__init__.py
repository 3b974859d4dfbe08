"""Where draft candidates come from: veille feeds (feeds.py) and the actor map (actormap.py).

Both produce `Candidate`s and one `SourceReport` per source; collect.py fetches them all at
once, draft.py selects and writes them. Feeds are split by concern: fetch.py (HTTP), cache.py
(the HTTP cache), normalise.py (entries as Candidates), feeds.py (parsing, discovery, fetch_feed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from newsletter.i18n import N_, _


class ShownEnum(StrEnum):
    """A StrEnum whose value is English words the user reads: `str()` and f-strings give them in
    the language in use (the printers show `str(report.status)` and `f"{count} {reason}"`), while
    the member itself, its comparisons and JSON keep the English value."""

    def __str__(self) -> str:
        return _(self.value)

    def __format__(self, spec: str) -> str:
        return format(_(self.value), spec)


class Drop(ShownEnum):
    """Why a candidate was left out of the draft (shown in the summary table)."""

    outside_window = N_("outside the window")
    published = N_("already published")
    deleted = N_("deleted from an earlier draft")
    duplicate = N_("duplicate")
    filtered = N_("filtered out")
    unusable = N_("no usable link or title")
    pending = N_("not validated yet")


class FetchStatus(ShownEnum):
    """How fetching a source went."""

    ok = N_("ok")
    cached = N_("ok (not modified)")
    redirected = N_("redirected")
    discovered = N_("discovered")
    failed = N_("failed")


@dataclass(frozen=True)
class Candidate:
    """One thing that may go into the draft: an article of a feed, or an actor of the map."""

    section: str
    title: str
    url: str  # canonical, absolute http(s)
    source: str
    summary: str = ""
    date: dt.datetime | None = None  # aware, in the workspace's time zone
    date_known: bool = True  # False: the feed gave no date, `date` is the fetch time
    image: str | None = None
    image_alt: str = ""
    meta: str = ""  # a ready meta line (actors); feeds get "Source · date" from draft.py
    kind: str = "feed"  # feed | actor | actor-updated
    # `url_key(url)`, computed where the entry is parsed (on the parse workers, kept in the parsed
    # cache) so the draft does not recompute 30k keys; "" when unknown. Not part of equality.
    key: str = field(default="", compare=False, repr=False)
    # Title, summary and alt text as a French draft writes them (French spacing, inert Markdown),
    # prepared where the entry is parsed, for the same reason; () when not prepared.
    drafted: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass
class SourceReport:
    """What happened to one source: fetch status, counts, warnings (filled in as work goes)."""

    name: str
    kind: str  # feed | map
    url: str
    status: FetchStatus = FetchStatus.ok
    final_url: str | None = None  # after a redirect or auto-discovery
    error: str | None = None
    unreachable: bool = False  # failed without reaching the site (DNS, connection refused)
    warnings: list[str] = field(default_factory=list)
    found: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    last_item: dt.datetime | None = None

    @property
    def failed(self) -> bool:
        return self.status is FetchStatus.failed

    def fail(self, reason: str, *, unreachable: bool = False) -> None:
        self.status = FetchStatus.failed
        self.error = reason
        self.unreachable = unreachable
