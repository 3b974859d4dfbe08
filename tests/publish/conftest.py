"""Fixtures of the publish tests: the example workspace with its site built, the CLI, the servers."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.support.publish_servers import PASSWORD, FtpServer, SftpServer

ROOT = Path(__file__).resolve().parent.parent.parent
Cli = Callable[..., Result]


@pytest.fixture(autouse=True)
def no_user_ssh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the developer's ~/.ssh (keys, known_hosts) nor talk to her SSH agent."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(ROOT / "examples", root)
    return root


def set_target(ws: Path, target: str, *, timeout: float = 0.5, extra: str = "") -> None:
    text = (ws / "newsletter.toml").read_text(encoding="utf-8")
    text = text.split("\n[publish]\n")[0]
    (ws / "newsletter.toml").write_text(text + f'\n[publish]\ntarget = "{target}"\ntimeout = {timeout}\n{extra}', encoding="utf-8")


@pytest.fixture
def cli(ws: Path) -> Cli:
    def run(*args: str, password: str | None = PASSWORD) -> Result:
        from newsletter.cli import app

        env = {"NEWSLETTER_PUBLISH_PASSWORD": password} if password else {}
        return CliRunner().invoke(app, ["--config", str(ws / "newsletter.toml"), *args], env=env)

    return run


@pytest.fixture
def site(ws: Path, cli: Cli) -> Path:
    """The example's site, built by `archive --all` (the November page, index, feed, four images)."""
    result = cli("archive", "--all")
    assert result.exit_code == 0, result.output
    return ws / "site"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_no_partial(server_root: Path, site: Path) -> None:
    """Every file on the server under its real name is whole: equal to the site's."""
    expected = tree(site)
    for name, data in tree(server_root).items():
        if ".newsletter-upload" in name:
            continue
        assert data == expected.get(name, data), f"{name} on the server differs from the site"


@pytest.fixture
def ftp(tmp_path: Path) -> Iterator[FtpServer]:
    root = tmp_path / "ftp-root"
    (root / "www").mkdir(parents=True)
    with FtpServer(root) as server:
        yield server


@pytest.fixture
def sftp(tmp_path: Path) -> Iterator[SftpServer]:
    root = tmp_path / "sftp-root"
    (root / "www").mkdir(parents=True)
    with SftpServer(root) as server:
        yield server
