"""Git targets (a bare repository, git+file://), and `send` putting the issue's images online first."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.publish.conftest import Cli, set_target, tree


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_git_target_commits_and_pushes_only_changes(ws: Path, site: Path, cli: Cli, tmp_path: Path) -> None:
    repo = tmp_path / "site.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    set_target(ws, f"git+file://{repo}#pages")
    first = cli("publish")
    assert first.exit_code == 0, first.output
    assert "7 files sent" in first.stdout
    files = set(git("ls-tree", "-r", "--name-only", "pages", cwd=repo).split())
    assert files == set(tree(site))
    second = cli("publish")
    assert second.exit_code == 0 and "0 files sent" in second.stdout
    assert git("rev-list", "--count", "pages", cwd=repo).strip() == "1"
    (site / "images" / "pedibus.png").unlink()
    third = cli("publish")
    assert third.exit_code == 0 and "1 removed" in third.stdout, third.output
    assert "images/pedibus.png" not in git("ls-tree", "-r", "--name-only", "pages", cwd=repo)
    assert git("rev-list", "--count", "pages", cwd=repo).strip() == "2"


def test_git_target_that_does_not_exist(ws: Path, site: Path, cli: Cli, tmp_path: Path) -> None:
    set_target(ws, f"git+file://{tmp_path}/missing.git")
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "git failed reading" in result.output and "git ls-remote" in result.output
    assert not (ws / "state" / "publish.json").exists() or "missing.git" not in (ws / "state" / "publish.json").read_text()


class _Images(BaseHTTPRequestHandler):
    online: set[str] = set()

    def do_HEAD(self) -> None:
        self.send_response(405)  # a server that refuses HEAD: the check falls back to GET
        self.end_headers()

    def do_GET(self) -> None:
        found = self.path in self.online
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def image_server() -> Iterator[tuple[str, set[str]]]:
    online: set[str] = set()
    handler = type("Handler", (_Images,), {"online": online})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mobiscol/", online
    server.shutdown()
    server.server_close()


def point_at(ws: Path, base: str) -> None:
    """web_url (and every image link) at the local server; a provider other than the outbox."""
    config = (ws / "newsletter.toml").read_text(encoding="utf-8").replace("https://lettre.example.org/mobiscol/", base)
    (ws / "newsletter.toml").write_text(config, encoding="utf-8")
    issue = ws / "issues" / "2026-11.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("https://lettre.example.org/mobiscol/", base), encoding="utf-8")


def test_send_now_without_target_refuses_while_images_are_missing(ws: Path, cli: Cli, image_server: tuple[str, set[str]]) -> None:
    base, online = image_server
    point_at(ws, base)
    online.update({"/mobiscol/images/logo-mobiscol.png", "/mobiscol/images/velobus.png"})
    before = tree(ws)
    issue = str(ws / "issues" / "2026-11.md")
    result = cli("send", issue, "--now", "--yes", "--provider", "brevo")
    assert result.exit_code == 1, result.output
    assert f"2 images of {issue} are not online yet" in result.output
    assert f"{base}images/pedibus.png" in result.output and f"{base}images/rue-scolaire.png" in result.output
    assert f"{base}images/velobus.png" not in result.output
    assert "newsletter archive --publish" in result.output
    assert {k: v for k, v in tree(ws).items() if not k.endswith(".newsletter.lock")} == before  # no campaign, no state

    test = cli("send", issue, "--test", "--to", "equipe@example.org", "--provider", "outbox")
    # Only a warning: the command goes on (and stops later, at render's own rule on http:// images).
    assert f"Warning: 2 images of {issue} are not online yet" in test.output
    assert f"{issue} has 4 errors; nothing was sent" in test.output


def test_send_now_with_a_target_publishes_images_and_the_unlisted_page_first(ws: Path, cli: Cli, tmp_path: Path) -> None:
    # web_url is lettre.example.org, which this test never asks: with a target, the publish is the proof.
    www = tmp_path / "www"
    www.mkdir()
    set_target(ws, f"file://{www}/")
    result = cli("send", str(ws / "issues" / "2026-11.md"), "--now", "--yes")  # the example's provider: the outbox
    assert result.exit_code == 0, result.output
    assert "Published the issue's images and web page" in result.output
    assert set(tree(www)) == {"2026-11.html", "images/logo-mobiscol.png", "images/pedibus.png", "images/rue-scolaire.png", "images/velobus.png"}
    assert not (www / "index.html").exists()  # the index and feed come with `archive --publish`


def test_a_mistyped_schedule_or_a_missing_test_address_publishes_nothing(ws: Path, cli: Cli, tmp_path: Path) -> None:
    # The cheap checks of the request come before the images go online (they used to come after).
    www = tmp_path / "www"
    www.mkdir()
    set_target(ws, f"file://{www}/")
    issue = str(ws / "issues" / "2026-11.md")
    for args in (["--schedule", "8 décembre 9h30"], ["--schedule", "2020-12-08 09:30"]):
        result = cli("send", issue, *args, "--yes")
        assert result.exit_code == 2, result.output
        assert "--schedule" in result.output and "Published" not in result.output
    result = cli("send", issue, "--test")  # the example's provider, the outbox, has no test_emails
    assert result.exit_code == 2 and "no address to send the test to" in result.output, result.output
    assert tree(www) == {}
