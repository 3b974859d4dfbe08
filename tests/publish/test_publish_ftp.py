"""`newsletter publish` to an FTP server on 127.0.0.1 (pyftpdlib), and what may go wrong there."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.publish.conftest import Cli, assert_no_partial, set_target, tree
from tests.support.publish_servers import PASSWORD, USER, FtpServer


def test_first_publish_then_nothing_changed(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftp://{USER}@127.0.0.1:{ftp.port}/www/")
    first = cli("publish")
    assert first.exit_code == 0, first.output
    assert "7 files sent" in first.stdout
    assert tree(ftp.root / "www") == tree(site)
    second = cli("publish")
    assert second.exit_code == 0 and "0 files sent" in second.stdout and "7 unchanged" in second.stdout
    assert PASSWORD not in first.output + second.output


def test_wrong_password(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftp://{USER}@127.0.0.1:{ftp.port}/www/")
    before = tree(ws)
    result = cli("--debug", "-vv", "publish", password="not-the-Password-42")
    assert result.exit_code == 1, result.output
    assert f"refused the login of user '{USER}': wrong user name or password" in result.output
    assert "NEWSLETTER_PUBLISH_PASSWORD" in result.output
    assert "not-the-Password-42" not in result.output
    assert tree(ftp.root / "www") == {}
    assert {k: v for k, v in tree(ws).items() if k != "state/publish.json"} == before
    for data in tree(ws).values():
        assert b"not-the-Password-42" not in data


def test_connection_refused(ws: Path, site: Path, cli: Cli) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    set_target(ws, f"ftp://{USER}@127.0.0.1:{port}/www/")
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert f"127.0.0.1:{port} refused the connection" in result.output and "Traceback" not in result.output


def test_a_timeout_in_the_middle_then_the_next_publish_completes(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftp://{USER}@127.0.0.1:{ftp.port}/www/", timeout=0.3)
    ftp.faults["velobus"] = "stall"
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "did not answer within 0.3 s (sending images/velobus.png)" in result.output
    assert "of 7 files were sent (each file arrives whole or not at all)" in result.output
    assert "run `newsletter publish` again" in result.output
    assert_no_partial(ftp.root / "www", site)
    assert not (ftp.root / "www" / "index.html").exists()  # the index goes last
    ftp.faults.clear()
    again = cli("publish")
    assert again.exit_code == 0, again.output
    assert "0 files sent" not in again.stdout and "7 files sent" not in again.stdout  # only what was missing
    assert {k: v for k, v in tree(ftp.root / "www").items() if ".newsletter-upload" not in k} == tree(site)


def test_a_full_disk(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftp://{USER}@127.0.0.1:{ftp.port}/www/")
    ftp.faults["2026-11"] = "full"
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "no space left for 2026-11.html" in result.output and "free space on the server" in result.output
    assert_no_partial(ftp.root / "www", site)
    assert not (ftp.root / "www" / "2026-11.html").exists()


def test_permission_denied(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftp://reader@127.0.0.1:{ftp.port}/www/")
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "refused to write" in result.output and "check that user 'reader' may write in /www/" in result.output
    assert tree(ftp.root / "www") == {}


def test_a_target_path_that_does_not_exist(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftp://{USER}@127.0.0.1:{ftp.port}/nowhere/")
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "the folder /nowhere/ does not exist on 127.0.0.1" in result.output
    assert not (ftp.root / "nowhere").exists()
