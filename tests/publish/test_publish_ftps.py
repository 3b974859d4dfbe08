"""`newsletter publish` to an FTPS server (explicit TLS: AUTH TLS, then PROT P) on 127.0.0.1.

The server (pyftpdlib's TLS handler) requires TLS on the control and the data connections, so a
client that sent the password or a file in clear would fail these tests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.publish.conftest import Cli, set_target, tree
from tests.support.publish_servers import PASSWORD, USER, FtpServer, self_signed_certificate


@pytest.fixture
def ftps(tmp_path: Path) -> Iterator[FtpServer]:
    root = tmp_path / "ftps-root"
    (root / "www").mkdir(parents=True)
    with FtpServer(root, tls=self_signed_certificate(tmp_path / "tls")) as server:
        yield server


def test_a_self_signed_certificate_is_refused_before_the_password_then_trusted_with_ca_file(
    ws: Path, site: Path, cli: Cli, ftps: FtpServer, tmp_path: Path
) -> None:
    set_target(ws, f"ftps://{USER}@127.0.0.1:{ftps.port}/www/")
    before = tree(ws)
    refused = cli("publish")
    assert refused.exit_code == 1, refused.output
    assert "the TLS certificate of 127.0.0.1 cannot be trusted (self-signed certificate)" in refused.output
    assert "nothing was sent, not even the password" in refused.output
    assert '[publish] ca_file = "that-file.pem"' in refused.output and "Traceback" not in refused.output
    assert ftps.passwords == [] and tree(ftps.root / "www") == {}
    assert tree(ws) == before  # not even a manifest

    shutil.copy(tmp_path / "tls" / "cert.pem", ws / "hebergeur.pem")
    set_target(ws, f"ftps://{USER}@127.0.0.1:{ftps.port}/www/", extra='ca_file = "hebergeur.pem"\n')
    trusted = cli("publish")
    assert trusted.exit_code == 0, trusted.output
    assert "7 files sent" in trusted.stdout
    assert tree(ftps.root / "www") == tree(site)
    assert ftps.passwords == [PASSWORD]  # once, inside TLS
    again = cli("publish")
    assert again.exit_code == 0 and "0 files sent" in again.stdout
    assert ftps.passwords == [PASSWORD]  # nothing changed: no connection at all
    assert PASSWORD not in refused.output + trusted.output + again.output


def test_a_certificate_for_another_name_is_refused_even_when_trusted(ws: Path, site: Path, cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "other-root"
    (root / "www").mkdir(parents=True)
    cert, key = self_signed_certificate(tmp_path / "other", ip="127.0.0.2")
    with FtpServer(root, tls=(cert, key)) as server:
        set_target(ws, f"ftps://{USER}@127.0.0.1:{server.port}/www/", extra=f'ca_file = "{cert}"\n')
        result = cli("publish")
        assert result.exit_code == 1, result.output
        assert "cannot be trusted (IP address mismatch" in result.output and "write that name in [publish] target" in result.output
        assert server.passwords == [] and tree(root / "www") == {}


def test_a_ca_file_that_does_not_exist(ws: Path, site: Path, cli: Cli, ftps: FtpServer) -> None:
    set_target(ws, f"ftps://{USER}@127.0.0.1:{ftps.port}/www/", extra='ca_file = "absent.pem"\n')
    before = tree(ws)
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert f"[publish] ca_file names {ws / 'absent.pem'}, which does not exist" in result.output
    assert ftps.passwords == [] and tree(ws) == before


def test_a_server_without_tls(ws: Path, site: Path, cli: Cli, ftp: FtpServer) -> None:
    set_target(ws, f"ftps://{USER}@127.0.0.1:{ftp.port}/www/")
    before = tree(ws)
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "127.0.0.1 does not offer TLS" in result.output and "nothing was sent, not even the password" in result.output
    assert ftp.passwords == [] and tree(ftp.root / "www") == {} and tree(ws) == before
