"""Benchmark of the actor map: 50,000 GoGoCarto elements and the taxonomy served on 127.0.0.1.

Compares, in one run and interleaved: the floor (a bare httpx fetch of both documents at once,
then `json.loads` of both) and ours (`fetch_actor_map`: fetch + validation into Actors, then
`select_actors` against a snapshot that lacks 50 of them). Also the parse step alone: pydantic
`TypeAdapter.validate_json` on the bytes (ours) against `json.loads` of the same bytes.
The server runs in its own process. Run alone: `PYTHONPATH=$PWD .venv/bin/python bench/actormap.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.config import ActorMapSection  # noqa: E402
from newsletter.draft.actors import select_actors  # noqa: E402
from newsletter.draft.snapshot import SeenElement  # noqa: E402
from newsletter.http import build_async_client  # noqa: E402
from newsletter.sources.actormap import MapOutcome, fetch_actor_map  # noqa: E402
from newsletter.sources.fetch import FetchOptions  # noqa: E402
from newsletter.sources.mapmodels import elements_page_adapter  # noqa: E402

ELEMENTS = 50_000
NEW = 50
RUNS = 5
TARGET = 3.0
TZ = ZoneInfo("Europe/Paris")
UNTIL = dt.datetime(2026, 12, 1, 23, 59, tzinfo=TZ)
SINCE = dt.datetime(2026, 11, 1, tzinfo=TZ)
TAXONOMY = (ROOT / "tests" / "assets" / "draft" / "gogocarto-taxonomy.json").read_bytes()


def element(n: int) -> dict[str, Any]:
    day = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=37 * n)
    return {
        "id": f"E{n:06d}",
        "name": f"Pédibus de l'école n°{n} &amp; associés",
        "geo": {"latitude": 48.8 + n / 1e6, "longitude": 2.3 + n / 1e6},
        "address": {"streetAddress": f"{n} rue des Tilleuls", "addressLocality": "Ivry-sur-Seine", "postalCode": "94200", "addressCountry": "FR"},
        "createdAt": day.isoformat(),
        "updatedAt": (day + dt.timedelta(days=3)).isoformat(),
        "status": (1, 2, 3, 4, 0, 7)[n % 6],
        "categories": ["Parents d'élèves", "Pédibus", "Locale"],
        "categoriesFull": [
            {"id": 4, "name": "Parents d'élèves", "description": None, "index": 0},
            {"id": 7, "name": "Pédibus", "description": "2 lignes, départs 8h05", "index": 1},
            {"id": 19, "name": "Locale", "description": None, "index": 2},
        ],
        "description": "<p>Deux lignes de pédibus animées par une vingtaine de parents bénévoles, tous les matins d'école.</p>",
        "descriptionMore": "Lancé à la rentrée 2025 avec l'appui de la ville et de l'association de parents d'élèves.",
        "telephone": "01 23 45 67 89",
        "website": f"https://example.org/pedibus-{n}",
        "images": [f"https://carte.example.org/uploads/images/elements/pedibus-{n}.jpg?utm_source=x"],
        "email": "private",
    }


def elements_body() -> bytes:
    page = {"licence": "https://opendatacommons.org/licenses/odbl/summary/", "ontology": "gogofull", "data": [element(n) for n in range(ELEMENTS)]}
    return json.dumps(page, ensure_ascii=False).encode()


def serve(ready: Any, lifetime: float) -> None:
    bodies = {"/api/elements.json": elements_body(), "/api/taxonomy.json": TAXONOMY}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = bodies.get(self.path.split("?")[0], b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    ready.put((server.server_address[1], len(bodies["/api/elements.json"])))
    server.timeout = 0.05
    end = time.monotonic() + lifetime  # stops by itself, even if the benchmark dies
    while time.monotonic() < end:
        server.handle_request()


async def _floor(base: str) -> None:
    async with build_async_client(timeout=60) as client:
        elements, taxonomy = await asyncio.gather(client.get(f"{base}/api/elements.json"), client.get(f"{base}/api/taxonomy.json"))
    json.loads(elements.content)
    json.loads(taxonomy.content)


def floor(base: str) -> float:
    start = time.perf_counter()
    asyncio.run(_floor(base))
    return time.perf_counter() - start


def ours(base: str, conf: ActorMapSection, options: FetchOptions) -> tuple[float, int]:
    async def run() -> MapOutcome:
        async with build_async_client(timeout=60) as client:
            return await fetch_actor_map(client, conf, options)

    start = time.perf_counter()
    outcome = asyncio.run(run())
    assert outcome.data is not None, outcome.report.error
    baseline = {a.id: SeenElement(a.status, a.updated_raw, a.validated) for a in outcome.data.actors[NEW:]}
    selection = select_actors(outcome.data, conf, outcome.report, baseline=baseline, since=SINCE, until=UNTIL, tz=TZ)
    elapsed = time.perf_counter() - start
    return elapsed, len(selection.new)


def main() -> None:
    ready: multiprocessing.Queue[tuple[int, int]] = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(ready, 600.0), daemon=True)
    process.start()
    port, size = ready.get(timeout=120)
    base = f"http://127.0.0.1:{port}"
    conf = ActorMapSection.model_validate({"kind": "gogocarto", "url": base, "section": "acteurs"})
    samples: dict[str, list[float]] = {"floor": [], "ours": [], "json.loads": [], "validate_json": []}
    body = elements_body()
    adapter = elements_page_adapter("description", lenient=False)  # what parse_gogocarto tries first
    try:
        with tempfile.TemporaryDirectory() as tmp:
            options = FetchOptions(root=Path(tmp), tz=TZ, fetched_at=UNTIL, max_bytes=200_000_000, timeout=60)
            for _ in range(RUNS):
                samples["floor"].append(floor(base))
                elapsed, new = ours(base, conf, options)
                assert new > 0
                samples["ours"].append(elapsed)
                start = time.perf_counter()
                json.loads(body)
                samples["json.loads"].append(time.perf_counter() - start)
                start = time.perf_counter()
                adapter.validate_json(body)
                samples["validate_json"].append(time.perf_counter() - start)
                print(", ".join(f"{k} {v[-1]:.2f} s" for k, v in samples.items()), file=sys.stderr)
    finally:
        process.terminate()
        process.join()
    m = {key: statistics.median(values) for key, values in samples.items()}
    verdict = "ok" if m["ours"] <= TARGET else "MISSED"
    lines = [
        "## actor map",
        "",
        f"{ELEMENTS:,} GoGoCarto elements ({size / 1e6:.0f} MB of JSON) and the taxonomy served on 127.0.0.1 by a separate "
        f"process; medians of {RUNS} runs, interleaved. Run alone: `PYTHONPATH=$PWD .venv/bin/python bench/actormap.py`.",
        "",
        "| run | median | target | verdict | floor (same run) | ratio to floor |",
        "|---|---|---|---|---|---|",
        f"| fetch + parse + selection (`fetch_actor_map`, `select_actors`, {NEW} new) | {m['ours']:.2f} s | ≤ {TARGET:g} s | {verdict} "
        f"| {m['floor']:.2f} s (bare fetch of both at once + `json.loads`) | {m['ours'] / m['floor']:.2f} |",
        f"| parse the element list: pydantic `TypeAdapter.validate_json` (ours) | {m['validate_json']:.2f} s | | "
        f"| {m['json.loads']:.2f} s (`json.loads`, no model) | {m['validate_json'] / m['json.loads']:.2f} |",
        "",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
