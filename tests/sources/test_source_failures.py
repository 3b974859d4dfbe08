"""Issue 9 §6: whatever goes wrong inside one source fails that source alone, with a plain reason.

Each test drives `newsletter draft` through the CLI against a real 127.0.0.1 server.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from tests.support.feeds import PREVIOUS_ISSUE, FeedServer, Route, serve_realistic, write_workspace

DRAFT = ["draft", "--month", "2026-12", "--today", "2026-12-01"]
DEEP = b"[" * 200_000 + b"]" * 200_000


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.output


def workspace(server: FeedServer, root: Path) -> Path:
    serve_realistic(server)
    config = write_workspace(root, server.url)
    (root / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
    return config


def assert_only_the_map_failed(code: int, output: str, *reason: str) -> None:
    assert code == 0, output
    for text in ("Traceback", "Task exception", "overall deadline", "unexpected internal error"):
        assert text not in output, output
    for fragment in reason:
        assert fragment in output, output


def test_map_error_page_nested_too_deep_fails_the_map_alone(server: FeedServer, tmp_path: Path) -> None:
    config = workspace(server, tmp_path)
    server.add("/carte/api/elements.json", Route(DEEP, status=500, content_type="application/json"))
    code, output = run(config, *DRAFT)
    assert_only_the_map_failed(code, output, "HTTP 500")
    assert "rencontre-nationale-2027" in (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")


def test_map_with_json_beyond_any_reader_says_so(server: FeedServer, tmp_path: Path) -> None:
    config = workspace(server, tmp_path)
    body = b'{"data": [{"id": "a", "name": "b", "status": 1, "description": ' + DEEP + b"}]}"
    server.add("/carte/api/elements.json", Route(body, content_type="application/json"))
    code, output = run(config, *DRAFT)
    assert_only_the_map_failed(code, output, "JSON that cannot be read", "recursion limit")
    assert "not JSON" not in output


def test_map_expanding_past_max_bytes_is_refused_by_size(server: FeedServer, tmp_path: Path) -> None:
    # 30 MB of JSON (a list padded with blanks) sent as a gzip of about 30 kB.
    config = workspace(server, tmp_path)
    text = config.read_text(encoding="utf-8").replace('include_updated = true\n', "include_updated = true\nmax_bytes = 1000000\n")
    config.write_text(text, encoding="utf-8")
    padded = b'{"data": [' + b" " * 30_000_000 + b"]}"
    server.add("/carte/api/elements.json", Route(padded, content_type="application/json", gzip=True))
    code, output = run(config, *DRAFT)
    assert_only_the_map_failed(code, output, "larger than max_bytes", "[actor_map] max_bytes")
    assert "not JSON" not in output


def _cache_files(root: Path, suffix: str) -> list[Path]:
    """The HTTP cache's files ending in `suffix` (".json": the answers' metadata; ".parse.json")."""
    found = sorted((root / ".user-cache" / "newsletter" / "http").glob(f"*{suffix}"))
    return found if suffix != ".json" else [p for p in found if not p.name.endswith(".parse.json")]


def test_corrupt_cached_answer_is_deleted_and_fetched_again(server: FeedServer, tmp_path: Path) -> None:
    config = write_workspace(tmp_path, server.url, feeds=[("Mobiscol", "/wordpress/feed/", "reseau")], actor_map=False)
    serve_realistic(server)
    assert run(config, *DRAFT)[0] == 0
    (meta,) = _cache_files(tmp_path, ".json")
    entry = json.loads(meta.read_text(encoding="utf-8"))
    # Nested too deep for json.loads (RecursionError, which is no ValueError).
    meta.write_text('{"url": ' + json.dumps(entry["url"]) + ', "x": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    server.requests.clear()
    code, output = run(config, *DRAFT, "--force")
    assert code == 0, output
    assert "Traceback" not in output and "overall deadline" not in output, output
    assert "was corrupt" in output, output
    # The bad entry is gone: the feed was fetched in full (no validator sent), and the entry rebuilt.
    feed_requests = [headers for path, headers in server.requests if path == "/wordpress/feed/"]
    assert feed_requests and all("If-None-Match" not in headers for headers in feed_requests)
    assert json.loads(meta.read_text(encoding="utf-8"))["etag"] == '"wp-1"'


def test_cached_validator_that_is_no_header_is_deleted(server: FeedServer, tmp_path: Path) -> None:
    config = write_workspace(tmp_path, server.url, feeds=[("Mobiscol", "/wordpress/feed/", "reseau")], actor_map=False)
    serve_realistic(server)
    assert run(config, *DRAFT)[0] == 0
    (meta,) = _cache_files(tmp_path, ".json")
    entry = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**entry, "etag": 1e400}), encoding="utf-8")
    code, output = run(config, *DRAFT, "--force")
    assert code == 0, output
    assert "Traceback" not in output and "Mobiscol" in output and "was corrupt" in output, output
    assert json.loads(meta.read_text(encoding="utf-8"))["etag"] == '"wp-1"'


def test_corrupt_parsed_entry_is_deleted_and_the_feed_parsed_again(server: FeedServer, tmp_path: Path) -> None:
    config = write_workspace(tmp_path, server.url, feeds=[("Mobiscol", "/wordpress/feed/", "reseau")], actor_map=False)
    serve_realistic(server)
    assert run(config, *DRAFT)[0] == 0
    (parsed,) = _cache_files(tmp_path, ".parse.json")
    data = json.loads(parsed.read_text(encoding="utf-8"))
    # A number like 1e400 where a count is expected: int(inf) raises OverflowError.
    parsed.write_text(json.dumps({**data, "unusable": 1e400}), encoding="utf-8")
    assert "Infinity" in parsed.read_text(encoding="utf-8")
    code, output = run(config, *DRAFT, "--force")
    assert code == 0, output
    assert "Traceback" not in output and "overall deadline" not in output, output
    assert "was corrupt" in output, output
    assert "rencontre-nationale-2027" in (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")
    assert "Infinity" not in parsed.read_text(encoding="utf-8")  # the bad entry was replaced



def test_a_job_that_raises_is_its_own_failure_not_a_missed_deadline() -> None:
    import asyncio

    from newsletter.sources.collect import gather_bounded

    async def broken() -> None:
        raise RecursionError("maximum recursion depth exceeded")

    async def fine() -> str:
        return "ok"

    results = asyncio.run(gather_bounded([("a", broken), ("b", fine)], concurrency=2, deadline=5))
    assert isinstance(results["a"], RecursionError) and results["b"] == "ok"
