"""Which actors of the map make it into a draft: new since the snapshot, or updated in the window.

GoGoCarto has no date filter, so "new since the last issue" is computed here (see
reference/gogocarto.md §6): validated elements absent from the previous snapshot, or, on a
first run, created or validated in the window. Only the actors kept get their links and
images canonicalised and their description cleaned (a map may hold 50,000 elements).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from newsletter.config import ActorMapSection
from newsletter.draft.snapshot import Elements, SeenElement
from newsletter.sources import Candidate, Drop, SourceReport
from newsletter.sources.actormap import MAP_NAME, Actor, MapData, parse_datetime
from newsletter.sources.normalise import html_to_text, shorten
from newsletter.urls import canonical_url

DESCRIPTION_LENGTH = 220
VALIDATION_DELAY = dt.timedelta(days=90)  # first run: a submission older than this, validated in the window, is not new


def departement(postal_code: str) -> str:
    """The département code of a French postal code: '94200' -> '94', '20090' -> '2A', '97400' -> '974'."""
    code = postal_code.strip()
    if len(code) != 5 or not code.isdigit():
        return ""
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    if code.startswith("20"):
        return "2A" if int(code) < 20200 else "2B"
    return code[:2]


def actor_link(conf: ActorMapSection, actor: Actor) -> str | None:
    """The actor's page: `<site>/map/<id>` (fragment-free, survives click tracking; gogocarto.md §7)."""
    if conf.kind == "geojson":
        return canonical_url(actor.link or "") or canonical_url(conf.public_url)
    site = conf.public_url
    if not site.startswith(("http://", "https://")):
        return None
    parts = urlsplit(site)
    return canonical_url(f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/map/{actor.id}")


def actor_meta(actor: Actor) -> str:
    """'Ivry-sur-Seine (94) · Pédibus, Parents d'élèves'."""
    place = actor.city
    dept = departement(actor.postal_code)
    if place and dept:
        place = f"{place} ({dept})"
    elif not place and dept:
        place = f"({dept})"
    parts = [p for p in (place, ", ".join(actor.categories)) if p]
    return " · ".join(parts)


@dataclass
class ActorSelection:
    """New and updated actors, and the snapshot to save once the draft is written."""

    new: list[Candidate] = field(default_factory=list)
    updated: list[Candidate] = field(default_factory=list)
    first_run: bool = False
    total: int = 0
    licence_url: str | None = None
    current: Elements = field(default_factory=dict)


def select_actors(
    data: MapData,
    conf: ActorMapSection,
    report: SourceReport,
    *,
    baseline: Elements | None,
    since: dt.datetime,
    until: dt.datetime,
    tz: ZoneInfo,
) -> ActorSelection:
    """Apply the snapshot rules; count kept and dropped actors on `report`."""
    selection = ActorSelection(first_run=baseline is None, total=data.total, licence_url=data.licence_url)
    previous = baseline or {}

    def in_window(moment: dt.datetime | None) -> bool:
        return moment is not None and since <= moment <= until

    for actor in data.actors:
        before = previous.get(actor.id)
        selection.current[actor.id] = SeenElement(
            status=actor.status,
            updated=actor.updated_raw,
            validated=actor.validated or bool(before and before.validated),
            name=actor.name,
        )
        if not actor.validated:
            report.dropped[Drop.pending] += 1
            continue
        if baseline is None:
            # First run: created in the window, or validated in it (validation moves updatedAt;
            # statuses 1 and 2 say the last change was a validation) after a recent submission.
            # One created long ago and changed in the window is an update, not a new actor.
            validated_in_window = actor.status in (1, 2) and in_window(actor.updated)
            recent = actor.created is None or actor.created >= since - VALIDATION_DELAY
            is_new = in_window(actor.created) or (validated_in_window and recent)
            if conf.kind == "geojson" and actor.updated is None:
                is_new = False
            is_updated = not is_new and validated_in_window
        else:
            is_new = before is None or not before.validated
            is_updated = (
                not is_new
                and before is not None
                and before.updated != actor.updated_raw  # the same text: unchanged, no date to parse
                and in_window(actor.updated)
                and _changed(before.updated, actor.updated)
            )
        if not (is_new or is_updated):
            report.dropped[Drop.outside_window if baseline is None else Drop.published] += 1
            continue
        link = actor_link(conf, actor)  # only now: canonical_url on the few actors that may be kept
        if link is None:
            report.dropped[Drop.unusable] += 1
        elif is_new:
            selection.new.append(_candidate(actor, conf, link, kind="actor", tz=tz))
        elif conf.include_updated:
            selection.updated.append(_candidate(actor, conf, link, kind="actor-updated", tz=tz))
        else:
            report.dropped[Drop.filtered] += 1
    report.kept = len(selection.new) + len(selection.updated)
    return selection


def _changed(before: str, now: dt.datetime | None) -> bool:
    then = parse_datetime(before)
    if then is None or now is None:
        return bool(before) != bool(now)
    return then != now


def _candidate(actor: Actor, conf: ActorMapSection, link: str, *, kind: str, tz: ZoneInfo) -> Candidate:
    image = canonical_url(actor.image) if actor.image else None
    return Candidate(
        section=conf.section,
        title=actor.name,
        url=link,
        source=MAP_NAME,
        summary=shorten(html_to_text(actor.description_html), DESCRIPTION_LENGTH),
        date=actor.updated.astimezone(tz) if actor.updated else None,
        image=image,
        image_alt=actor.name if image else "",
        meta=actor_meta(actor),
        kind=kind,
    )
