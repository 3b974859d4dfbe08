"""The actor map: GoGoCarto's public JSON API (or a GeoJSON export), diffed against a snapshot.

GoGoCarto has no date filter, so "new since the last issue" is computed here (see
reference/gogocarto.md §6): validated elements absent from the previous snapshot, or, on a
first run, created or validated in the window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx

from newsletter.config import ActorMapSection
from newsletter.draft.snapshot import Elements, SeenElement
from newsletter.errors import SourceError
from newsletter.sources import Candidate, Drop, SourceReport
from newsletter.sources.fetch import FetchOptions, network_error, resolve_feed_location
from newsletter.sources.normalise import html_to_text, shorten
from newsletter.urls import canonical_url

logger = logging.getLogger(__name__)

MAP_NAME = "Carte des acteurs"
TOKEN_MARKERS = ("You need to provide a token", "The token you provided")


@dataclass(frozen=True)
class Actor:
    """One element of the map, reduced to what the newsletter shows."""

    id: str
    name: str
    status: int
    created: dt.datetime | None
    updated: dt.datetime | None
    updated_raw: str
    city: str = ""
    postal_code: str = ""
    categories: tuple[str, ...] = ()
    description: str = ""
    image: str | None = None
    external: bool = False
    link: str | None = None  # GeoJSON: the feature's own page, when it has one

    @property
    def validated(self) -> bool:
        return self.status >= 1


@dataclass
class MapData:
    """Everything read from the map."""

    actors: list[Actor] = field(default_factory=list)
    licence_url: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(1 for actor in self.actors if actor.validated)


def _parse_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


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


def _taxonomy_labels(taxonomy: Any) -> tuple[dict[int, str], dict[int, int]]:
    """{option id: short label} and {sub-option id: parent option id}, from /api/taxonomy.json."""
    labels: dict[int, str] = {}
    parents: dict[int, int] = {}

    def walk(categories: Any) -> None:
        if not isinstance(categories, list):
            return
        for category in categories:
            if not isinstance(category, dict):
                continue
            for option in category.get("options") or []:
                if not isinstance(option, dict):
                    continue
                try:
                    option_id = int(str(option.get("id")))  # a string in the taxonomy, a number elsewhere
                except (TypeError, ValueError):
                    continue
                labels[option_id] = str(option.get("nameShort") or option.get("name") or "")
                if option.get("parent") not in (None, ""):
                    try:
                        parents[option_id] = int(option["parent"])
                    except (TypeError, ValueError):
                        pass
                walk(option.get("subcategories"))

    walk(taxonomy)
    return labels, parents


def _categories(element: dict[str, Any], labels: dict[int, str], parents: dict[int, int]) -> tuple[str, ...]:
    full = element.get("categoriesFull")
    if isinstance(full, list) and full:
        ids: list[int] = []
        names: dict[int, str] = {}
        for cat in full:
            if isinstance(cat, dict):
                try:
                    cid = int(str(cat.get("id")))
                except (TypeError, ValueError):
                    continue
                ids.append(cid)
                names[cid] = labels.get(cid) or str(cat.get("name") or "")
        shown_parents = {parents[i] for i in ids if i in parents}
        return tuple(names[i] for i in ids if i not in shown_parents and names[i])
    plain = element.get("categories")
    if isinstance(plain, list):
        return tuple(str(c) for c in plain if c)
    return ()


def decode_json(body: bytes, what: str) -> Any:
    """JSON from the map, or a SourceError naming the likely cause (token page, HTML page)."""
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        return json.loads(text)
    except ValueError:
        stripped = text.strip()
        if stripped.startswith(TOKEN_MARKERS):
            raise SourceError(
                f"the map's API is protected by a token ({what})",
                hint="ask the map's administrators for an API token and add ?token=… to [actor_map] url",
            ) from None
        raise SourceError(f"{what} is not JSON, so this is not a GoGoCarto API: {stripped[:200]!r}") from None


def parse_gogocarto(elements: Any, taxonomy: Any, *, description_field: str) -> MapData:
    """Actors from /api/elements.json (and the taxonomy, for short labels)."""
    if not isinstance(elements, dict) or not isinstance(elements.get("data"), list):
        shown = json.dumps(elements, ensure_ascii=False)[:200]
        if isinstance(elements, dict) and "error" in elements:
            raise SourceError(f"the map answered an error: {elements['error']}")
        raise SourceError(f"the answer has no 'data' list, so this is not a GoGoCarto API: {shown}")
    labels, parents = _taxonomy_labels(taxonomy)
    data = MapData(licence_url=str(elements.get("licence") or "") or None)
    skipped = 0
    for element in elements["data"]:
        if not isinstance(element, dict) or not element.get("id") or not element.get("name"):
            skipped += 1
            continue
        address = element.get("address") if isinstance(element.get("address"), dict) else {}
        assert isinstance(address, dict)
        try:
            status = int(element.get("status", 0))
        except (TypeError, ValueError):
            status = 0
        images = element.get("images")
        image = canonical_url(str(images[0])) if isinstance(images, list) and images else None
        data.actors.append(
            Actor(
                id=str(element["id"]),
                name=html_to_text(str(element["name"])),
                status=status,
                created=_parse_datetime(element.get("createdAt")),
                updated=_parse_datetime(element.get("updatedAt")),
                updated_raw=str(element.get("updatedAt") or ""),
                city=str(address.get("addressLocality") or ""),
                postal_code=str(address.get("postalCode") or ""),
                categories=_categories(element, labels, parents),
                description=shorten(html_to_text(str(element.get(description_field) or "")), 220),
                image=image,
                external=bool(element.get("sourceKey")),
            )
        )
    if skipped:
        data.warnings.append(f"{skipped} element(s) without id or name were skipped")
    return data


def _prop(props: dict[str, Any], name: str) -> str:
    value = props.get(name)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def parse_geojson(collection: Any, conf: ActorMapSection) -> MapData:
    """Actors from a GeoJSON FeatureCollection (a uMap export, for instance); all count as validated."""
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise SourceError("the answer is not a GeoJSON FeatureCollection (no 'features' list)")
    data = MapData()
    for feature in collection["features"]:
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        assert isinstance(props, dict)
        name = html_to_text(_prop(props, conf.name_property))
        if not name:
            continue
        ident = _prop(props, conf.id_property) or str(feature.get("id") or "")
        if not ident:
            geometry = json.dumps(feature.get("geometry"), sort_keys=True)
            ident = hashlib.sha1(f"{name}|{geometry}".encode()).hexdigest()[:12]
        categories = props.get(conf.category_property)
        cats = tuple(str(c) for c in categories) if isinstance(categories, list) else ((str(categories),) if categories else ())
        link = canonical_url(_prop(props, conf.link_property))
        data.actors.append(
            Actor(
                id=ident,
                name=name,
                status=1,
                created=None,
                updated=_parse_datetime(props.get(conf.updated_property)),
                updated_raw=_prop(props, conf.updated_property),
                city=_prop(props, conf.city_property),
                postal_code=_prop(props, conf.postal_code_property),
                categories=cats,
                description=shorten(html_to_text(_prop(props, conf.description_field)), 220),
                link=link,
            )
        )
    return data


async def _get_json(client: httpx.AsyncClient, url: str, options: FetchOptions, what: str) -> Any:
    _, local = resolve_feed_location(url, options.root)
    if local is not None:
        try:
            body = local.read_bytes()[: options.max_bytes]
        except OSError as exc:
            raise SourceError(f"cannot read {local}: {exc.strerror or exc}") from None
        return decode_json(body, what)
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        raise network_error(exc, url, options.timeout) from exc
    body = response.content[: options.max_bytes]
    if response.status_code >= 400:
        detail = ""
        try:
            payload = json.loads(body)
            if isinstance(payload, dict) and payload.get("error"):
                detail = f": {payload['error']}"
        except ValueError:
            detail = f" (not a GoGoCarto API? {body[:200].decode('utf-8', 'replace')!r})" if response.status_code == 404 else ""
        raise SourceError(f"{what} answered HTTP {response.status_code}{detail}")
    return decode_json(body, what)


def _join(base: str, path: str) -> str:
    if base.startswith(("http://", "https://")):
        return base.rstrip("/") + "/" + path
    return str(base).rstrip("/") + "/" + path.split("/")[-1]


@dataclass
class MapOutcome:
    """The map's report and what was read (None when it failed)."""

    report: SourceReport
    data: MapData | None = None


async def fetch_actor_map(client: httpx.AsyncClient, conf: ActorMapSection, options: FetchOptions) -> MapOutcome:
    """Read the map (elements, and taxonomy for GoGoCarto). Never raises SourceError."""
    report = SourceReport(name=MAP_NAME, kind="map", url=conf.url)
    outcome = MapOutcome(report)
    try:
        if conf.kind == "geojson":
            outcome.data = parse_geojson(await _get_json(client, conf.url, options, "the GeoJSON map"), conf)
        else:
            elements_url = _join(conf.url, "api/elements.json")
            if conf.exclude_external and elements_url.startswith("http"):
                elements_url += "?excludeExternal=true"
            elements = await _get_json(client, elements_url, options, "the map's element list")
            taxonomy: Any = None
            try:
                taxonomy = await _get_json(client, _join(conf.url, "api/taxonomy.json"), options, "the map's taxonomy")
            except SourceError as exc:
                report.warnings.append(f"taxonomy unavailable ({exc.message}); category names come from the elements")
            outcome.data = parse_gogocarto(elements, taxonomy, description_field=conf.description_field)
            if conf.exclude_external:
                outcome.data.actors = [a for a in outcome.data.actors if not a.external]
        report.warnings.extend(outcome.data.warnings)
        report.found = len(outcome.data.actors)
        dates = [a.updated for a in outcome.data.actors if a.updated]
        report.last_item = max(dates) if dates else None
    except SourceError as exc:
        report.fail(exc.message, unreachable=exc.unreachable)
        outcome.data = None
    return outcome


# --- selection ----------------------------------------------------------------------------------


def actor_link(conf: ActorMapSection, actor: Actor) -> str | None:
    """The actor's page: `<site>/map/<id>` (fragment-free, survives click tracking; gogocarto.md §7)."""
    if conf.kind == "geojson":
        return actor.link or canonical_url(conf.site_url or conf.url)
    site = conf.site_url or conf.url
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
            # statuses 1 and 2 say the last change was a validation).
            is_new = in_window(actor.created) or (actor.status in (1, 2) and in_window(actor.updated))
            if conf.kind == "geojson" and actor.updated is None:
                is_new = False
            is_updated = False
        else:
            is_new = before is None or not before.validated
            is_updated = (
                not is_new
                and before is not None
                and _changed(before.updated, actor.updated)
                and in_window(actor.updated)
            )
        link = actor_link(conf, actor)
        if (is_new or is_updated) and link is None:
            report.dropped[Drop.unusable] += 1
            continue
        if is_new:
            selection.new.append(_candidate(actor, conf, link or "", kind="actor", tz=tz))
        elif is_updated and conf.include_updated:
            selection.updated.append(_candidate(actor, conf, link or "", kind="actor-updated", tz=tz))
        elif is_updated:
            report.dropped[Drop.filtered] += 1
        elif baseline is None:
            report.dropped[Drop.outside_window] += 1
        else:
            report.dropped[Drop.published] += 1
    report.kept = len(selection.new) + len(selection.updated)
    return selection


def _changed(before: str, now: dt.datetime | None) -> bool:
    then = _parse_datetime(before)
    if then is None or now is None:
        return bool(before) != bool(now)
    return then != now


def _candidate(actor: Actor, conf: ActorMapSection, link: str, *, kind: str, tz: ZoneInfo) -> Candidate:
    image = actor.image
    return Candidate(
        section=conf.section,
        title=actor.name,
        url=link,
        source=MAP_NAME,
        summary=actor.description,
        date=actor.updated.astimezone(tz) if actor.updated else None,
        image=image,
        image_alt=actor.name if image else "",
        meta=actor_meta(actor),
        kind=kind,
    )
