"""`newsletter publish` to an SFTP server on 127.0.0.1 (asyncssh), host keys included."""

from __future__ import annotations

from pathlib import Path

from tests.publish.conftest import Cli, assert_no_partial, set_target, tree
from tests.support.publish_servers import PASSWORD, USER, SftpServer


def trust(ws: Path, sftp: SftpServer) -> None:
    (ws / "state").mkdir(exist_ok=True)
    (ws / "state" / "known_hosts").write_text(sftp.known_hosts_line(), encoding="utf-8")


def test_unknown_host_key_is_refused_with_its_fingerprint_then_accepted(ws: Path, site: Path, cli: Cli, sftp: SftpServer) -> None:
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/")
    refused = cli("publish")
    assert refused.exit_code == 1, refused.output
    assert f"is not known yet: its host key has the fingerprint {sftp.fingerprint}" in refused.output
    assert f"newsletter publish --accept-host-key {sftp.fingerprint}" in refused.output
    assert tree(sftp.root / "www") == {}
    wrong = cli("publish", "--accept-host-key", "SHA256:AAAAthisIsNotTheKey")
    assert wrong.exit_code == 1 and "is not this one" in wrong.output
    accepted = cli("publish", "--accept-host-key", sftp.fingerprint)
    assert accepted.exit_code == 0, accepted.output
    assert tree(sftp.root / "www") == tree(site)
    assert f"[127.0.0.1]:{sftp.port} ssh-ed25519 " in (ws / "state" / "known_hosts").read_text(encoding="utf-8")
    again = cli("publish")
    assert again.exit_code == 0 and "0 file(s) sent" in again.stdout
    for output in (refused.output, accepted.output, again.output):
        assert PASSWORD not in output


def test_wrong_password(ws: Path, site: Path, cli: Cli, sftp: SftpServer) -> None:
    trust(ws, sftp)
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/")
    result = cli("--debug", "-vv", "publish", password="not-the-Password-42")
    assert result.exit_code == 1, result.output
    assert f"refused the login of user '{USER}'" in result.output and "not-the-Password-42" not in result.output
    assert tree(sftp.root / "www") == {}


def test_a_timeout_in_the_middle_then_the_next_publish_completes(ws: Path, site: Path, cli: Cli, sftp: SftpServer) -> None:
    trust(ws, sftp)
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/", timeout=0.3)
    sftp.faults["rue-scolaire"] = "stall"
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "did not answer within 0.3 s" in result.output and "run `newsletter publish` again" in result.output
    assert_no_partial(sftp.root / "www", site)
    sftp.faults.clear()
    again = cli("publish")
    assert again.exit_code == 0, again.output
    assert {k: v for k, v in tree(sftp.root / "www").items() if ".newsletter-upload" not in k} == tree(site)


def test_permission_denied_and_full_disk(ws: Path, site: Path, cli: Cli, sftp: SftpServer) -> None:
    trust(ws, sftp)
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/")
    sftp.faults["index"] = "denied"
    denied = cli("publish")
    assert denied.exit_code == 1, denied.output
    assert "refused to write index.html: permission denied" in denied.output
    assert not (sftp.root / "www" / "index.html").exists()
    sftp.faults.clear()
    sftp.faults["feed"] = "full"
    full = cli("publish")
    assert full.exit_code == 1, full.output
    assert "no space left for feed.xml" in full.output
    assert_no_partial(sftp.root / "www", site)
    assert not (sftp.root / "www" / "feed.xml").exists()


def test_a_target_path_that_does_not_exist(ws: Path, site: Path, cli: Cli, sftp: SftpServer) -> None:
    trust(ws, sftp)
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/nowhere/")
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert "the folder /nowhere/ does not exist on 127.0.0.1" in result.output
