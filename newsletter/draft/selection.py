"""Which feed entries make it into a draft: the window, keyword filters, and the memory of
every link already published in the issue files (nothing is announced twice)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsletter.config import Settings
from newsletter.i18n import _
from newsletter.sources import Candidate, Drop, SourceReport
from newsletter.sources.feeds import FeedOutcome
from newsletter.urls import url_key

logger = logging.getLogger(__name__)

URL_RE = re.compile(r"https?://[^\s<>()\[\]\"'`]+")


# Every link of a big draft (1000 feeds x 30 entries) fits: an LRU of 16k missed every time on
# the second pass over 30k links (the memory) and computed each key again.
_LINK_KEYS: dict[str, str] = {}
_LINK_KEYS_MAX = 1 << 17


def link_key(url: str) -> str:
    """`url_key`, memoised: a draft compares each link several times (selection, merge, memory)."""
    key = _LINK_KEYS.get(url)
    if key is None:
        key = url_key(url)
        _remember(url, key)
    return key


def _remember(url: str, key: str) -> None:
    if len(_LINK_KEYS) >= _LINK_KEYS_MAX:  # a long-lived process (tests) never grows without bound
        _LINK_KEYS.clear()
    _LINK_KEYS[url] = key


def candidate_key(candidate: Candidate) -> str:
    """The candidate's `url_key`: the one computed at parse time when there is one."""
    if candidate.key:
        if candidate.url not in _LINK_KEYS:
            _remember(candidate.url, candidate.key)  # the memory's pass over the same links finds it
        return candidate.key
    return link_key(candidate.url)


class _Uncombined(dict[int, int | None]):
    """A str.translate table deleting combining marks, filled one character at a time."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_UNCOMBINED = _Uncombined()


def fold(text: str) -> str:
    """Lowercase, accents removed, typographic apostrophes made plain: for keyword matching."""
    if text.isascii():  # nothing to decompose nor replace: most titles
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe"))
    # translate() in C with a memo per character: the generator over each character cost 1 s a 30k-entry draft.
    return decomposed.translate(_UNCOMBINED).lower()


def keyword_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word, case- and accent-insensitive: "vélo" matches "Vélo" and "velo", not "vélodrome"."""
    parts = [r"\s+".join(re.escape(piece) for piece in fold(word).split()) for word in words if word.strip()]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@dataclass(frozen=True)
class Filter:
    """Keep when some keyword matches (or there are none) and no excluded word matches."""

    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    @classmethod
    def of(cls, keywords: list[str], exclude: list[str]) -> Filter:
        return cls(keyword_pattern(keywords), keyword_pattern(exclude))

    def accepts(self, text: str) -> bool:
        if self.include is None and self.exclude is None:
            return True
        folded = fold(text)
        if self.exclude is not None and self.exclude.search(folded):
            return False
        return self.include is None or bool(self.include.search(folded))


_NON_WORD = re.compile(r"[^\w]+")


def title_key(title: str) -> str:
    return _NON_WORD.sub(" ", fold(title)).strip()


def issue_links(issues_dir: Path) -> dict[str, set[str]]:
    """The URL keys of the links of every issue file, by file stem."""
    links: dict[str, set[str]] = {}
    if not issues_dir.is_dir():
        return links
    for path in sorted(issues_dir.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError as exc:
            logger.warning(_("cannot read {path} to know what it published ({reason}): its links may be proposed again").format(path=path, reason=exc.strerror or exc))
            continue
        links[path.stem] = {link_key(url) for url in URL_RE.findall(text)}
    return links


def select_feed_items(
    outcomes: list[FeedOutcome],
    settings: Settings,
    *,
    since: dt.datetime | Callable[[str], dt.datetime],
    until: dt.datetime,
    published: set[str],
    seen_urls: set[str],
    deleted: Collection[str] = (),
) -> list[Candidate]:
    """Window (one start, or one per source name), filters, memory and duplicates; counts every drop on the source's report."""
    kept: list[Candidate] = []
    seen_titles: set[str] = set()
    feeds = {feed.name: feed for feed in settings.file.feeds}
    for outcome in outcomes:
        report = outcome.report
        if report.failed:
            continue
        feed = feeds.get(report.name)
        section = settings.section_by_id(outcome.candidates[0].section) if outcome.candidates else None
        feed_filter = Filter.of(feed.keywords, feed.exclude) if feed else Filter(None, None)
        section_filter = Filter.of(section.keywords, section.exclude) if section else Filter(None, None)
        if outcome.unusable:
            report.dropped[Drop.unusable] += outcome.unusable
        start = since(report.name) if callable(since) else since
        for candidate in outcome.candidates:
            text = f"{candidate.title} {candidate.summary}"
            key = candidate_key(candidate)
            tkey = ""
            if candidate.date_known and candidate.date is not None and not (start <= candidate.date <= until):
                reason: Drop | None = Drop.outside_window
            elif not feed_filter.accepts(text) or not section_filter.accepts(text):
                reason = Drop.filtered
            elif key in published:
                reason = Drop.published
            elif key in deleted:
                reason = Drop.deleted
            elif key in seen_urls or ((tkey := title_key(candidate.title)) and tkey in seen_titles):
                reason = Drop.duplicate
            else:
                reason = None
            if reason is not None:
                report.dropped[reason] += 1
                continue
            seen_urls.add(key)
            seen_titles.add(tkey)
            kept.append(candidate)
            report.kept += 1
    return kept


def drop_published(
    candidates: list[Candidate], published: set[str], seen: set[str], report: SourceReport, *, deleted: Collection[str] = ()
) -> list[Candidate]:
    """The candidates whose link is neither published nor in `deleted` (counted on `report`)."""
    kept = []
    for candidate in candidates:
        key = candidate_key(candidate)
        if key in published or key in deleted:
            report.dropped[Drop.published if key in published else Drop.deleted] += 1
            report.kept -= 1
        else:
            seen.add(key)
            kept.append(candidate)
    return kept
