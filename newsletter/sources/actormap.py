"""The actor map: GoGoCarto's public JSON API (or a GeoJSON export), read into `Actor`s.

GoGoCarto has no date filter, so "new since the last issue" is decided by the draft stage
(draft/actors.py) against its snapshot (reference/gogocarto.md §6); this module only fetches
and parses. The payloads are validated by the models of mapmodels.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from pydantic import JsonValue, TypeAdapter, ValidationError

from newsletter.config import ActorMapSection
from newsletter.errors import SourceError
from newsletter.sources import SourceReport
from newsletter.sources.fetch import FetchOptions, network_error, resolve_feed_location
from newsletter.sources.mapmodels import (
    FEATURE_COLLECTION,
    TAXONOMY,
    Element,
    ElementsPage,
    FeatureCollection,
    TaxonomyCategory,
    elements_page_adapter,
)
from newsletter.sources.normalise import html_to_text

logger = logging.getLogger(__name__)

MAP_NAME = "Carte des acteurs"
TOKEN_MARKERS = ("You need to provide a token", "The token you provided")
BOM = b"\xef\xbb\xbf"

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """One element of the map, reduced to what the newsletter shows.

    `description_html`, `image` and `link` are as the map gave them: only the few actors a draft
    keeps are cleaned up and canonicalised (draft/actors.py), not the whole map.
    """

    id: str
    name: str
    status: int
    created: dt.datetime | None
    updated: dt.datetime | None
    updated_raw: str
    city: str = ""
    postal_code: str = ""
    categories: tuple[str, ...] = ()
    description_html: str = ""
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


def parse_datetime(value: str | None) -> dt.datetime | None:
    """An aware datetime from the map's ISO 8601 text (UTC when it has no offset); None if unreadable."""
    if not value or not value.strip():
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


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _taxonomy_labels(taxonomy: list[TaxonomyCategory]) -> tuple[dict[int, str], dict[int, int]]:
    """{option id: short label} and {sub-option id: parent option id}, from /api/taxonomy.json."""
    labels: dict[int, str] = {}
    parents: dict[int, int] = {}

    def walk(categories: list[TaxonomyCategory]) -> None:
        for category in categories:
            for option in category.options:
                option_id = _int(option.id)
                if option_id is None:
                    continue
                labels[option_id] = option.nameShort or option.name or ""
                parent = _int(option.parent)
                if parent is not None:
                    parents[option_id] = parent
                walk(option.subcategories)

    walk(taxonomy)
    return labels, parents


def _categories(element: Element, labels: dict[int, str], parents: dict[int, int]) -> tuple[str, ...]:
    full = element.get("categoriesFull")
    if full:
        ids: list[int] = []
        names: dict[int, str] = {}
        for cat in full:
            cid = _int(cat.get("id"))
            if cid is None:
                continue
            ids.append(cid)
            names[cid] = labels.get(cid) or cat.get("name") or ""
        shown_parents = {parents[i] for i in ids if i in parents}
        return tuple(names[i] for i in ids if i not in shown_parents and names[i])
    return tuple(c for c in element.get("categories") or () if c)


def _text(value: JsonValue) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def validate_json(adapter: TypeAdapter[T], body: bytes, what: str) -> T:
    """`body` validated by `adapter`; a SourceError naming the likely cause when it is not JSON
    (a token page, an HTML page). A JSON document of the wrong shape raises ValidationError."""
    try:
        return adapter.validate_json(body.removeprefix(BOM))
    except ValidationError as exc:
        if not any(error["type"] == "json_invalid" for error in exc.errors()):
            raise
    stripped = body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if stripped.startswith(TOKEN_MARKERS):
        raise SourceError(
            f"the map's API is protected by a token ({what})",
            hint="ask the map's administrators for an API token and add ?token=… to [actor_map] url",
        ) from None
    raise SourceError(f"{what} is not JSON, so this is not a GoGoCarto API: {stripped[:200]!r}") from None


def parse_taxonomy(body: bytes) -> list[TaxonomyCategory]:
    """/api/taxonomy.json; SourceError when it is not a GoGoCarto taxonomy."""
    try:
        return validate_json(TAXONOMY, body, "the map's taxonomy")
    except ValidationError:
        raise SourceError("the map's taxonomy is not a list of categories") from None


def parse_gogocarto(elements: bytes, taxonomy: list[TaxonomyCategory] | None, *, description_field: str) -> MapData:
    """Actors from the bytes of /api/elements.json (and the taxonomy, for short labels)."""
    what = "the map's element list"
    try:
        page: ElementsPage = validate_json(elements_page_adapter(description_field), elements, what)
    except ValidationError:
        page = {}
    elements_data = page.get("data")
    if elements_data is None:
        if page.get("error") is not None:
            raise SourceError(f"the map answered an error: {page.get('error')}")
        shown = elements.decode("utf-8", errors="replace").strip()[:200]
        raise SourceError(f"the answer has no 'data' list, so this is not a GoGoCarto API: {shown}")
    labels, parents = _taxonomy_labels(taxonomy or [])
    data = MapData(licence_url=page.get("licence") or None)
    skipped = 0
    for element in elements_data:
        ident, name = (element.get("id"), element.get("name")) if element is not None else (None, None)
        if element is None or not ident or not name:
            skipped += 1
            continue
        address = element.get("address") or {}
        images = element.get("images")
        updated_raw = element.get("updatedAt")
        data.actors.append(
            Actor(
                id=ident,
                name=html_to_text(name),
                status=element.get("status") or 0,
                created=parse_datetime(element.get("createdAt")),
                updated=parse_datetime(updated_raw),
                updated_raw=updated_raw or "",
                city=address.get("addressLocality") or "",
                postal_code=address.get("postalCode") or "",
                categories=_categories(element, labels, parents),
                description_html=_text(element.get("description")),
                image=images[0] if images else None,
                external=bool(element.get("sourceKey")),
            )
        )
    if skipped:
        data.warnings.append(f"{skipped} element(s) without id or name, or not in GoGoCarto's format, were skipped")
    return data


def parse_geojson(body: bytes, conf: ActorMapSection) -> MapData:
    """Actors from the bytes of a GeoJSON FeatureCollection (a uMap export, for instance); all
    count as validated."""
    try:
        collection: FeatureCollection = validate_json(FEATURE_COLLECTION, body, "the GeoJSON map")
    except ValidationError:
        raise SourceError("the answer is not a GeoJSON FeatureCollection (no 'features' list)") from None
    data = MapData()
    for feature in collection.features:
        if feature is None:
            continue
        props = feature.properties or {}
        name = html_to_text(_text(props.get(conf.name_property)))
        if not name:
            continue
        ident = _text(props.get(conf.id_property)) or feature.id or ""
        if not ident:
            geometry = json.dumps(feature.geometry, sort_keys=True)
            ident = hashlib.sha1(f"{name}|{geometry}".encode()).hexdigest()[:12]
        categories = props.get(conf.category_property)
        cats = tuple(str(c) for c in categories) if isinstance(categories, list) else ((str(categories),) if categories else ())
        updated_raw = _text(props.get(conf.updated_property))
        data.actors.append(
            Actor(
                id=ident,
                name=name,
                status=1,
                created=None,
                updated=parse_datetime(updated_raw),
                updated_raw=updated_raw,
                city=_text(props.get(conf.city_property)),
                postal_code=_text(props.get(conf.postal_code_property)),
                categories=cats,
                description_html=_text(props.get(conf.description_field)),
                link=_text(props.get(conf.link_property)) or None,
            )
        )
    return data


async def _get_bytes(client: httpx.AsyncClient, url: str, options: FetchOptions, what: str) -> bytes:
    _, local = resolve_feed_location(url, options.root)
    if local is not None:
        try:
            return local.read_bytes()[: options.max_bytes]
        except OSError as exc:
            raise SourceError(f"cannot read {local}: {exc.strerror or exc}") from None
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
    return body


def _join(base: str, path: str) -> str:
    if base.startswith(("http://", "https://")):
        return base.rstrip("/") + "/" + path
    return str(base).rstrip("/") + "/" + path.split("/")[-1]


@dataclass
class MapOutcome:
    """The map's report and what was read (None when it failed)."""

    report: SourceReport
    data: MapData | None = None


async def _read_gogocarto(client: httpx.AsyncClient, conf: ActorMapSection, options: FetchOptions, report: SourceReport) -> MapData:
    elements_url = _join(conf.url, "api/elements.json")
    if conf.exclude_external and elements_url.startswith("http"):
        elements_url += "?excludeExternal=true"

    async def taxonomy() -> list[TaxonomyCategory] | None:
        try:
            body = await _get_bytes(client, _join(conf.url, "api/taxonomy.json"), options, "the map's taxonomy")
            return parse_taxonomy(body)
        except SourceError as exc:
            report.warnings.append(f"taxonomy unavailable ({exc.message}); category names come from the elements")
            return None

    # Both documents at once: the element list is the long wait, the taxonomy rides along.
    taxonomy_task = asyncio.create_task(taxonomy())
    try:
        elements = await _get_bytes(client, elements_url, options, "the map's element list")
        labels = await taxonomy_task
    finally:
        taxonomy_task.cancel()
    # Validating 50,000 elements is CPU work: on a thread, so the feeds' event loop keeps turning.
    data = await asyncio.to_thread(parse_gogocarto, elements, labels, description_field=conf.description_field)
    if conf.exclude_external:
        data.actors = [a for a in data.actors if not a.external]
    return data


async def fetch_actor_map(client: httpx.AsyncClient, conf: ActorMapSection, options: FetchOptions) -> MapOutcome:
    """Read the map (elements, and taxonomy for GoGoCarto, both at once). Never raises SourceError."""
    report = SourceReport(name=MAP_NAME, kind="map", url=conf.url)
    outcome = MapOutcome(report)
    try:
        if conf.kind == "geojson":
            body = await _get_bytes(client, conf.url, options, "the GeoJSON map")
            outcome.data = await asyncio.to_thread(parse_geojson, body, conf)
        else:
            outcome.data = await _read_gogocarto(client, conf, options, report)
        report.warnings.extend(outcome.data.warnings)
        report.found = len(outcome.data.actors)
        dates = [a.updated for a in outcome.data.actors if a.updated]
        report.last_item = max(dates) if dates else None
    except SourceError as exc:
        report.fail(exc.message, unreachable=exc.unreachable)
        outcome.data = None
    return outcome

