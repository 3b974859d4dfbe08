"""The GoGoCarto client and the snapshot rules."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsletter.config import ActorMapSection
from newsletter.draft.actors import select_actors
from newsletter.draft.snapshot import SeenElement, load_snapshot, save_snapshot
from newsletter.http import build_async_client
from newsletter.sources import SourceReport
from newsletter.sources.actormap import MapOutcome, fetch_actor_map, parse_gogocarto, parse_taxonomy
from newsletter.sources.fetch import FetchOptions
from tests.support.feeds import FeedServer, Route, asset

TZ = ZoneInfo("Europe/Paris")
SINCE = dt.datetime(2026, 11, 10, tzinfo=TZ)
UNTIL = dt.datetime(2026, 12, 1, 23, 59, tzinfo=TZ)


def conf(url: str = "https://carte.example.org", **extra: object) -> ActorMapSection:
    return ActorMapSection.model_validate({"kind": "gogocarto", "url": url, "section": "acteurs", **extra})


def fetch(url: str, tmp_path: Path) -> MapOutcome:
    options = FetchOptions(root=tmp_path, tz=TZ, fetched_at=UNTIL, max_bytes=5_000_000, timeout=2)

    async def run() -> MapOutcome:
        async with build_async_client(timeout=2) as client:
            return await fetch_actor_map(client, conf(url), options)

    return asyncio.run(run())


def test_sample_parses_with_taxonomy_labels() -> None:
    data = parse_gogocarto(asset("gogocarto-elements.json"), parse_taxonomy(asset("gogocarto-taxonomy.json")), description_field="description")
    by_id = {a.id: a for a in data.actors}
    assert by_id["2Kq"].categories == ("Parents d'élèves", "Pédibus", "Locale")
    assert "Vélobus" not in by_id["2Kr"].categories  # the sub-option replaces its parent
    assert by_id["2Kt"].external
    assert data.total == 4  # statuses 1, 3, 4, 7


def test_map_data_repr_stays_short_whatever_the_number_of_actors() -> None:
    # anyio formats the repr of a finished task, whose result holds the whole map, on each cancelled
    # connection attempt: it must not list 50k actors.
    data = parse_gogocarto(asset("gogocarto-elements.json"), parse_taxonomy(asset("gogocarto-taxonomy.json")), description_field="description")
    data.actors *= 10_000
    text = repr(MapOutcome(SourceReport(name="carte", kind="map", url="https://carte.example.org"), data))
    assert f"<{len(data.actors)} actors>" in text and len(text) < 1000


def test_first_run_takes_created_or_validated_in_window() -> None:
    data = parse_gogocarto(asset("map-elements.json"), parse_taxonomy(asset("gogocarto-taxonomy.json")), description_field="description")
    report = SourceReport("map", "map", "x")
    selection = select_actors(data, conf(), report, baseline=None, since=SINCE, until=UNTIL, tz=TZ)
    assert {c.url.rsplit("/", 1)[1] for c in selection.new} == {"2Kq", "2Kr", "2Kw"}
    assert selection.first_run and report.dropped["not validated yet"] == 2
    new = {c.url.rsplit("/", 1)[1]: c for c in selection.new}
    assert new["2Kq"].meta == "Ivry-sur-Seine (94) · Parents d'élèves, Pédibus, Locale"
    assert new["2Kq"].url == "https://carte.example.org/map/2Kq"
    assert "private" not in json.dumps([c.summary for c in selection.new])


def test_with_snapshot_new_is_absent_or_never_validated_and_updates_are_listed() -> None:
    data = parse_gogocarto(asset("map-elements.json"), None, description_field="description")
    baseline = {
        "2Kq": SeenElement(0, "2026-10-28T10:42:07+01:00", False),  # was pending: its validation is news
        "2Kr": SeenElement(3, "2026-11-18T09:12:44+01:00", True),
        "2Ks": SeenElement(4, "2026-01-01T00:00:00+01:00", True),  # edited since
        "2Kt": SeenElement(7, "2026-06-02T08:00:00+02:00", True),
        "2Kw": SeenElement(2, "2026-11-25T10:20:00+01:00", True),
    }
    report = SourceReport("map", "map", "x")
    selection = select_actors(data, conf(include_updated=True), report, baseline=baseline, since=SINCE, until=UNTIL, tz=TZ)
    assert [c.url.rsplit("/", 1)[1] for c in selection.new] == ["2Kq"]
    assert [c.url.rsplit("/", 1)[1] for c in selection.updated] == ["2Ks"]
    assert selection.current["2Ku"].validated is False


def test_map_over_http(server: FeedServer, tmp_path: Path) -> None:
    server.add("/api/elements.json", Route(asset("gogocarto-elements.json"), content_type="application/json"))
    server.add("/api/taxonomy.json", Route(asset("gogocarto-taxonomy.json"), content_type="application/json"))
    outcome = fetch(server.url, tmp_path)
    assert not outcome.report.failed and outcome.report.found == 6


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(b'{ "error": "Element does not exists" }', 500, "application/json"), "HTTP 500: Element does not exists"),
        (Route(b"You need to provide a token to access to this API. Please visit https://x/api", 200, "application/json"), "protected by a token"),
        (Route(b'{"licence": "x", "ontology": "gogofull"}', 200, "application/json"), "no 'data' list"),
        (Route(b"<html>404</html>", 404, "text/html"), "HTTP 404"),
    ],
)
def test_map_faults(server: FeedServer, tmp_path: Path, route: Route, message: str) -> None:
    server.add("/api/elements.json", route)
    report = fetch(server.url, tmp_path).report
    assert report.failed and message in (report.error or "")


def test_elements_without_geo_address_or_categories(server: FeedServer, tmp_path: Path) -> None:
    body = {"licence": "https://example.org/l", "data": [
        {"id": "a1", "name": "Sans rien", "status": 1, "createdAt": "2026-11-20T10:00:00+01:00", "updatedAt": "2026-11-20T10:00:00+01:00"},
        {"id": "a2", "status": 1},
        "not an object",
    ]}
    server.add("/api/elements.json", Route(json.dumps(body).encode(), content_type="application/json"))
    outcome = fetch(server.url, tmp_path)
    assert outcome.data is not None and [a.name for a in outcome.data.actors] == ["Sans rien"]
    assert any("skipped" in w for w in outcome.report.warnings)
    assert any("taxonomy" in w for w in outcome.report.warnings)
    selection = select_actors(outcome.data, conf(), outcome.report, baseline=None, since=SINCE, until=UNTIL, tz=TZ)
    assert selection.new[0].meta == ""


def test_corrupt_snapshot_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "actor-map.json"
    path.write_text("{ broken", encoding="utf-8")
    warnings: list[str] = []
    assert load_snapshot(path, warnings) is None
    assert "corrupt" in warnings[0]


def test_geojson_kind_with_configured_properties() -> None:
    from newsletter.sources.actormap import parse_geojson

    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.3, 48.8]},
         "properties": {"nom": "Vélobus du Parc", "ville": "Rennes", "cp": "35000", "type": ["Vélobus"], "lien": "https://ex.org/velobus?utm_source=x", "maj": "2026-11-20"}},
        {"type": "Feature", "geometry": None, "properties": {"nom": "Sans date"}},
        {"type": "Feature", "properties": {}},
    ]}
    map_conf = ActorMapSection.model_validate({
        "kind": "geojson", "url": "https://umap.example.org/fr/datalayer/1/abc/", "section": "acteurs",
        "name_property": "nom", "city_property": "ville", "postal_code_property": "cp", "category_property": "type",
        "link_property": "lien", "updated_property": "maj",
    })
    data = parse_geojson(json.dumps(collection).encode(), map_conf)
    assert [a.name for a in data.actors] == ["Vélobus du Parc", "Sans date"]
    report = SourceReport("map", "map", "x")
    first = select_actors(data, map_conf, report, baseline=None, since=SINCE, until=UNTIL, tz=TZ)
    assert [(c.title, c.url, c.meta) for c in first.new] == [("Vélobus du Parc", "https://ex.org/velobus", "Rennes (35) · Vélobus")]
    second = select_actors(data, map_conf, SourceReport("map", "map", "x"), baseline=first.current, since=SINCE, until=UNTIL, tz=TZ)
    assert second.new == []


def test_elements_and_taxonomy_are_fetched_at_once(server: FeedServer, tmp_path: Path) -> None:
    """Each route waits (up to 2 s) for the other request to arrive: both pass only when the
    two requests are in flight at the same time."""
    both_in_flight = threading.Barrier(2, timeout=2)
    met: list[str] = []

    def waiting(path: str, body: bytes) -> Callable[[BaseHTTPRequestHandler], Route]:
        def route(handler: BaseHTTPRequestHandler) -> Route:
            try:
                both_in_flight.wait()
                met.append(path)
            except threading.BrokenBarrierError:
                pass
            return Route(body, content_type="application/json")

        return route

    server.add("/api/elements.json", waiting("elements", asset("gogocarto-elements.json")))
    server.add("/api/taxonomy.json", waiting("taxonomy", asset("gogocarto-taxonomy.json")))
    outcome = fetch(server.url, tmp_path)
    assert sorted(met) == ["elements", "taxonomy"]
    assert not outcome.report.failed and outcome.report.warnings == []


def test_failed_element_list_fails_the_map_even_while_the_taxonomy_is_slow(server: FeedServer, tmp_path: Path) -> None:
    server.add("/api/elements.json", Route(b"{}", 503, "application/json"))
    server.add("/api/taxonomy.json", Route(asset("gogocarto-taxonomy.json"), content_type="application/json", delay=0.5))
    report = fetch(server.url, tmp_path).report
    assert report.failed and "HTTP 503" in (report.error or "")


def test_canonical_url_runs_only_for_the_actors_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsletter.draft import actors

    data = parse_gogocarto(asset("map-elements.json"), None, description_field="description")
    assert len(data.actors) == 7
    calls: list[str] = []
    original = actors.canonical_url

    def counting(url: str, base: str = "") -> str | None:
        calls.append(url)
        return original(url, base)

    monkeypatch.setattr(actors, "canonical_url", counting)
    baseline = {a.id: SeenElement(a.status, a.updated_raw, a.validated) for a in data.actors}
    unchanged = select_actors(data, conf(), SourceReport("map", "map", "x"), baseline=baseline, since=SINCE, until=UNTIL, tz=TZ)
    assert unchanged.new == [] and unchanged.updated == [] and calls == []
    first = select_actors(data, conf(), SourceReport("map", "map", "x"), baseline=None, since=SINCE, until=UNTIL, tz=TZ)
    # one link per new actor, and one image for each that has one
    assert len(calls) == len(first.new) + sum(1 for c in first.new if c.image)
    assert first.new[0].image == "https://carte.example.org/uploads/carte_example/images/elements/pedibus-tilleuls.jpg"


def test_an_element_of_the_wrong_shape_is_skipped_not_the_map() -> None:
    body = {"data": [
        {"id": "ok", "name": "Bon", "status": 1, "address": {"postalCode": 94200}},
        {"id": "bad", "name": "Mauvais", "status": "validé"},
        {"id": 42, "name": "Numéro", "status": "1"},
    ]}
    data = parse_gogocarto(json.dumps(body).encode(), None, description_field="description")
    assert [(a.id, a.status, a.postal_code) for a in data.actors] == [("ok", 1, "94200"), ("42", 1, "")]
    assert data.warnings == ["1 element without id or name, or not in GoGoCarto's format, was skipped"]


@pytest.mark.parametrize("bad_element", [False, True])
def test_a_configured_description_field_is_read_with_or_without_an_element_that_does_not_fit(bad_element: bool) -> None:
    # A page that fits throughout is read by the fast validator, one with a bad element by the
    # lenient one: both read the configured field, not `description`.
    elements = [{"id": "a", "name": "A", "status": 1, "description": "pas celle-ci", "texte": "<p>Celle-ci</p>"}]
    if bad_element:
        elements.append({"id": "bad", "name": "Mauvais", "status": "validé"})
    data = parse_gogocarto(json.dumps({"data": elements}).encode(), None, description_field="texte")
    assert [(a.id, a.description_html) for a in data.actors] == [("a", "<p>Celle-ci</p>")]
    assert len(data.warnings) == int(bad_element)


def test_description_comes_from_the_configured_field() -> None:
    data = parse_gogocarto(asset("map-elements.json"), None, description_field="descriptionMore")
    selection = select_actors(data, conf(description_field="descriptionMore"), SourceReport("map", "map", "x"), baseline=None, since=SINCE, until=UNTIL, tz=TZ)
    by_id = {c.url.rsplit("/", 1)[1]: c for c in selection.new}
    assert by_id["2Kq"].summary.startswith("Lancé à la rentrée 2025")


def test_a_bom_before_the_json_is_accepted() -> None:
    data = parse_gogocarto(b"\xef\xbb\xbf" + asset("map-elements.json"), None, description_field="description")
    assert len(data.actors) == 7


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"format": "other"}', "format = 'other': expected one of 'newsletter/actor-map-snapshot/1'"),
        ('{"format": "newsletter/actor-map-snapshot/1", "current": {"a": {"updated": "x"}}}', "current.a.status is missing; this key is required"),
        ("[1, 2]", "not an object of the expected form"),
    ],
)
def test_snapshot_of_the_wrong_shape_is_rebuilt(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "actor-map.json"
    path.write_text(content, encoding="utf-8")
    warnings: list[str] = []
    assert load_snapshot(path, warnings) is None
    assert warnings == [f"the actor-map snapshot {path} is corrupt ({reason}); it is rebuilt, as on a first run"]


def test_snapshot_round_trip_ignores_extra_keys(tmp_path: Path) -> None:
    path = tmp_path / "actor-map.json"
    current = {"a": SeenElement(1, "2026-11-01T00:00:00+01:00", True, "Â"), "b": SeenElement(0)}
    save_snapshot(path, month="2026-12", baseline=None, current=current)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["current"]["a"]["future"] = "ignored"
    path.write_text(json.dumps(raw), encoding="utf-8")
    snapshot = load_snapshot(path, [])
    assert snapshot is not None and snapshot.month == "2026-12" and snapshot.baseline is None
    assert snapshot.current == current


def test_sources_do_not_import_the_draft_stage() -> None:
    """Inputs know nothing of the draft's memory (snapshots, selection): layering, checked."""
    import ast

    import newsletter.sources

    folder = Path(newsletter.sources.__file__).parent
    offenders = []
    for module in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{module.name}: {name}" for name in names if name.startswith("newsletter.draft")]
    assert offenders == []
