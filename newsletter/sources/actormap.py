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

from newsletter import formats
from newsletter.config import ActorMapSection
from newsletter.errors import SourceError
from newsletter.i18n import _, ngettext
from newsletter.sources import SourceReport
from newsletter.sources.fetch import (
    FetchOptions,
    describe_unexpected,
    network_error,
    read_capped,
    resolve_feed_location,
)
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
UNREADABLE_JSON = ("recursion limit exceeded", "number out of range")
ERROR_BODY_BYTES = 10_000  # of an error page: enough for its message
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


@dataclass(repr=False)
class MapData:
    """Everything read from the map."""

    actors: list[Actor] = field(default_factory=list)
    licence_url: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        # Short: anyio formats the repr of a finished task (its result, a MapOutcome) when it cancels
        # a connection attempt; the repr of 50k actors cost 0.5 s each time (bench/actormap.py).
        return f"MapData(<{len(self.actors)} actors>, licence_url={self.licence_url!r}, warnings={self.warnings!r})"

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
        invalid = [error for error in exc.errors() if error["type"] == "json_invalid"]
        if not invalid:
            raise
        reason = str((invalid[0].get("ctx") or {}).get("error", ""))
        if reason.startswith(UNREADABLE_JSON):
            # JSON, but beyond what any reader accepts (200,000 levels deep, a 5,000-digit number).
            raise SourceError(_("{what} is JSON that cannot be read ({reason})").format(what=what, reason=reason)) from None
    stripped = body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if stripped.startswith(TOKEN_MARKERS):
        raise SourceError(
            _("the map's API is protected by a token ({what})").format(what=what),
            hint=_("ask the map's administrators for an API token and add ?token=… to [actor_map] url"),
        ) from None
    raise SourceError(_("{what} is not JSON, so this is not a GoGoCarto API: {start}").format(what=what, start=repr(stripped[:200]))) from None


def parse_taxonomy(body: bytes) -> list[TaxonomyCategory]:
    """/api/taxonomy.json; SourceError when it is not a GoGoCarto taxonomy."""
    try:
        return validate_json(TAXONOMY, body, _("the map's taxonomy"))
    except ValidationError:
        raise SourceError(_("the map's taxonomy is not a list of categories")) from None


def parse_gogocarto(elements: bytes, taxonomy: list[TaxonomyCategory] | None, *, description_field: str) -> MapData:
    """Actors from the bytes of /api/elements.json (and the taxonomy, for short labels)."""
    what = _("the map's element list")
    page: ElementsPage
    try:
        # Most maps fit throughout: validated first without the per-element fallback (a third
        # faster), and again element by element only when some element does not fit.
        page = validate_json(elements_page_adapter(description_field, lenient=False), elements, what)
    except ValidationError:
        try:
            page = validate_json(elements_page_adapter(description_field), elements, what)
        except ValidationError:
            page = {}
    elements_data = page.get("data")
    if elements_data is None:
        if page.get("error") is not None:
            raise SourceError(_("the map answered an error: {error}").format(error=page.get("error")))
        shown = elements.decode("utf-8", errors="replace").strip()[:200]
        raise SourceError(_("the answer has no 'data' list, so this is not a GoGoCarto API: {start}").format(start=shown))
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
        data.warnings.append(
            ngettext(
                "{n} element without id or name, or not in GoGoCarto's format, was skipped",
                "{n} elements without id or name, or not in GoGoCarto's format, were skipped",
                skipped,
            ).format(n=formats.integer(skipped))
        )
    return data


def parse_geojson(body: bytes, conf: ActorMapSection) -> MapData:
    """Actors from the bytes of a GeoJSON FeatureCollection (a uMap export, for instance); all
    count as validated."""
    try:
        collection: FeatureCollection = validate_json(FEATURE_COLLECTION, body, _("the GeoJSON map"))
    except ValidationError:
        raise SourceError(_("the answer is not a GeoJSON FeatureCollection (no 'features' list)")) from None
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


async def _get_bytes(client: httpx.AsyncClient, url: str, options: FetchOptions, what: str, *, max_bytes: int) -> bytes:
    """The whole document, streamed and refused past `max_bytes` (decoded bytes: a small gzip
    that expands to a gigabyte stops there)."""
    # The report keeps only the message, so the fix is in it.
    too_large = SourceError(
        _("{what} is larger than max_bytes ({size} bytes); if the map really is that large, raise [actor_map] max_bytes").format(
            what=what, size=formats.integer(max_bytes)
        )
    )
    _url, local = resolve_feed_location(url, options.root)
    if local is not None:
        try:
            with local.open("rb") as handle:
                body = handle.read(max_bytes + 1)
        except OSError as exc:
            raise SourceError(_("cannot read {path}: {reason}").format(path=local, reason=exc.strerror or exc)) from None
        if len(body) > max_bytes:
            raise too_large
        return body
    try:
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                head, _more = await read_capped(response, ERROR_BODY_BYTES)
                raise SourceError(
                    _("{what} answered HTTP {code}{detail}").format(what=what, code=response.status_code, detail=_error_detail(head, response.status_code))
                )
            body, truncated = await read_capped(response, max_bytes)
    except httpx.HTTPError as exc:
        raise network_error(exc, url, options.timeout) from exc
    if truncated:
        raise too_large
    return body


def _error_detail(head: bytes, status: int) -> str:
    """What an error page says: GoGoCarto's {"error": ...}, or the start of a 404 page."""
    try:
        payload = json.loads(head)
    except (ValueError, RecursionError):
        start = repr(head[:200].decode("utf-8", "replace"))
        return " " + _("(not a GoGoCarto API? {start})").format(start=start) if status == 404 else ""
    if isinstance(payload, dict) and payload.get("error"):
        return f": {str(payload['error'])[:200]}"
    return ""


def _join(base: str, path: str, *, query: str = "") -> str:
    """`path` under the map's address; the address's own query (`?token=…`, README) goes last, with `query`."""
    if base.startswith(("http://", "https://")):
        address, _, own = base.partition("?")
        params = "&".join(part for part in (own, query) if part)
        return address.rstrip("/") + "/" + path + (f"?{params}" if params else "")
    return str(base).rstrip("/") + "/" + path.split("/")[-1]


@dataclass
class MapOutcome:
    """The map's report and what was read (None when it failed)."""

    report: SourceReport
    data: MapData | None = None


async def _read_gogocarto(client: httpx.AsyncClient, conf: ActorMapSection, options: FetchOptions, report: SourceReport) -> MapData:
    elements_url = _join(conf.url, "api/elements.json", query="excludeExternal=true" if conf.exclude_external else "")

    async def taxonomy() -> list[TaxonomyCategory] | None:
        try:
            body = await _get_bytes(client, _join(conf.url, "api/taxonomy.json"), options, _("the map's taxonomy"), max_bytes=conf.max_bytes)
            return parse_taxonomy(body)
        except SourceError as exc:
            report.warnings.append(_("taxonomy unavailable ({reason}); category names come from the elements").format(reason=exc.message))
            return None
        except Exception as exc:  # never left unretrieved in its task, whatever it is
            report.warnings.append(
                _("taxonomy unavailable ({reason}); category names come from the elements").format(reason=describe_unexpected(exc))
            )
            return None

    # Both documents at once: the element list is the long wait, the taxonomy rides along.
    taxonomy_task = asyncio.create_task(taxonomy())
    try:
        elements = await _get_bytes(client, elements_url, options, _("the map's element list"), max_bytes=conf.max_bytes)
        labels = await taxonomy_task
    finally:
        taxonomy_task.cancel()
    # Validating 50,000 elements is CPU work: on a thread, so the feeds' event loop keeps turning.
    data = await asyncio.to_thread(parse_gogocarto, elements, labels, description_field=conf.description_field)
    if conf.exclude_external:
        data.actors = [a for a in data.actors if not a.external]
    return data


async def fetch_actor_map(client: httpx.AsyncClient, conf: ActorMapSection, options: FetchOptions) -> MapOutcome:
    """Read the map (elements, and taxonomy for GoGoCarto, both at once). Never raises: any
    failure, even one no reader expected, becomes the map's failure with a plain reason."""
    report = SourceReport(name=MAP_NAME, kind="map", url=conf.url)
    outcome = MapOutcome(report)
    try:
        if conf.kind == "geojson":
            body = await _get_bytes(client, conf.url, options, _("the GeoJSON map"), max_bytes=conf.max_bytes)
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
    except Exception as exc:
        logger.debug("the actor map failed unexpectedly", exc_info=True)
        report.fail(describe_unexpected(exc))
        outcome.data = None
    return outcome

