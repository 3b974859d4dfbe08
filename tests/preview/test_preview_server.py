"""The live preview, in-process on port 0: the page, /version, the email, re-render on save, errors."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from newsletter.config import load_settings
from newsletter.errors import UsageError
from newsletter.preview import PreviewServer
from newsletter.workspace import default_theme_dir
from tests.support.workspace import BODY, FRONT, make_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def server(workspace: tuple[Path, Path]) -> Iterator[PreviewServer]:
    config, issue = workspace
    preview = PreviewServer(load_settings(config, environ={}), issue, port=0, poll_seconds=0.05)
    preview.start()
    try:
        yield preview
    finally:
        preview.stop()


def get(server: PreviewServer, path: str) -> httpx.Response:
    response = httpx.get(server.url.rstrip("/") + path, timeout=5)
    assert response.status_code == 200, response.text
    return response


def version(server: PreviewServer) -> int:
    return int(get(server, "/version").json()["version"])


def wait_until(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not true within {seconds} s")


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_page_shows_both_widths_text_part_and_report(server: PreviewServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    page = get(server, "/").text
    assert 'width="375"' in page and 'width="700"' in page
    assert page.count('src="/email.html?v=1"') == 2
    assert '<pre class="text-part">' in page
    assert "Rues scolaires et vélobus en décembre" in page  # the subject
    assert "Checks" in page
    assert "/version" in page  # the page polls for changes
    assert version(server) == 1
    email = get(server, "/email.html").text
    assert email.lower().startswith("<!doctype html>")
    assert "Une rue scolaire à Lyon" in email
    assert "Une rue scolaire à Lyon" in get(server, "/email.txt").text
    assert httpx.get(server.url + "nope", timeout=5).status_code == 404


def test_saving_the_issue_rerenders_within_two_seconds(server: PreviewServer, workspace: tuple[Path, Path]) -> None:
    _, issue = workspace
    save(issue, FRONT + BODY.replace("Une rue scolaire à Lyon", "Un vélobus à Grenoble"))
    wait_until(lambda: "Un vélobus à Grenoble" in get(server, "/email.html").text)
    assert version(server) >= 2
    assert "Un vélobus à Grenoble" in get(server, "/").text


def test_broken_issue_shows_the_error_and_the_server_recovers(server: PreviewServer, workspace: tuple[Path, Path]) -> None:
    _, issue = workspace
    save(issue, "pas de front matter\n" + BODY)
    wait_until(lambda: "The render failed" in get(server, "/panel").text)
    page = get(server, "/").text
    assert "The render failed" in page
    assert "front matter" in page  # the message
    assert "Tip:" in page  # the hint
    assert "Une rue scolaire à Lyon" in get(server, "/email.html").text  # the last good email stays
    save(issue, FRONT + BODY.replace("Une rue scolaire à Lyon", "Une rue réparée"))
    wait_until(lambda: "Une rue réparée" in get(server, "/email.html").text)
    assert "The render failed" not in get(server, "/").text


def test_template_override_and_template_error(server: PreviewServer, workspace: tuple[Path, Path]) -> None:
    config, _ = workspace
    templates = config.parent / "templates"
    templates.mkdir(exist_ok=True)
    original = (default_theme_dir() / "newsletter.txt.j2").read_text(encoding="utf-8")
    override = templates / "newsletter.txt.j2"
    save(override, "MARQUE-DE-TEST\n" + original)
    wait_until(lambda: "MARQUE-DE-TEST" in get(server, "/email.txt").text)
    save(override, "{% if %}\n" + original)
    wait_until(lambda: "The render failed" in get(server, "/panel").text)
    assert "newsletter.txt.j2" in get(server, "/panel").text
    assert version(server) >= 3


def test_port_in_use_is_a_usage_error(server: PreviewServer, workspace: tuple[Path, Path]) -> None:
    config, issue = workspace
    taken = int(server.url.rsplit(":", 1)[1].strip("/"))
    other = PreviewServer(load_settings(config, environ={}), issue, port=taken)
    with pytest.raises(UsageError, match=f"port {taken}"):
        other.start()


def test_images_under_web_url_are_served_from_the_workspace(tmp_path: Path) -> None:
    body = BODY + "\n![Une rue scolaire](https://lettre.example.org/mobiscol/images/rue.png)\n"
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body)
    (tmp_path / "ws" / "images").mkdir()
    (tmp_path / "ws" / "images" / "rue.png").write_bytes(b"\x89PNG\r\n\x1a\n-fake-")
    (tmp_path / "secret.txt").write_text("hors de l'espace de travail", encoding="utf-8")
    preview = PreviewServer(load_settings(config, environ={}), issue, port=0, poll_seconds=0.05)
    preview.start()
    try:
        email = get(preview, "/email.html").text
        assert 'src="/images/rue.png"' in email
        image = get(preview, "/images/rue.png")
        assert image.content == b"\x89PNG\r\n\x1a\n-fake-" and image.headers["content-type"] == "image/png"
        outside = httpx.get(preview.url.rstrip("/") + "/images/..%2F..%2Fsecret.txt", timeout=5)
        assert outside.status_code == 404
    finally:
        preview.stop()
    assert "https://lettre.example.org/mobiscol/images/rue.png" in (issue.read_text(encoding="utf-8"))
