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
    assert again.exit_code == 0 and "0 files sent" in again.stdout
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


def test_a_changed_host_key_is_refused_naming_the_line_to_fix(ws: Path, site: Path, cli: Cli, sftp: SftpServer) -> None:
    import asyncssh

    old = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().split()
    (ws / "state").mkdir(exist_ok=True)
    known = ws / "state" / "known_hosts"
    known.write_text(f"lettre.example.org {old[0]} {old[1]}\n[127.0.0.1]:{sftp.port} {old[0]} {old[1]}\n", encoding="utf-8")
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/")
    before = tree(ws)
    result = cli("publish", "--accept-host-key", sftp.fingerprint)  # accepting is for unknown hosts, never a changed key
    assert result.exit_code == 1, result.output
    assert f"the host key of [127.0.0.1]:{sftp.port} CHANGED: it is now {sftp.fingerprint}" in result.output
    assert f"not the key recorded on line 2 of {known}" in result.output
    assert "nothing was sent, not even the password" in result.output
    assert f"delete line 2 of {known}" in result.output and "Traceback" not in result.output
    assert sftp.passwords == [] and tree(sftp.root / "www") == {}
    assert tree(ws) == before  # the known_hosts line is the user's to remove, not ours


def test_a_changed_key_in_the_users_own_known_hosts(ws: Path, site: Path, cli: Cli, sftp: SftpServer, tmp_path: Path) -> None:
    import asyncssh
    import paramiko

    old = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().split()
    user_known = tmp_path / "home" / ".ssh" / "known_hosts"
    user_known.parent.mkdir(parents=True)
    hashed = paramiko.HostKeys.hash_host(f"[127.0.0.1]:{sftp.port}")  # as ssh writes with HashKnownHosts yes
    user_known.write_text(f"# mine\n{hashed} {old[0]} {old[1]}\n", encoding="utf-8")
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/")
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert f"delete line 2 of {user_known}" in result.output
    assert sftp.passwords == [] and tree(sftp.root / "www") == {}


def test_connection_refused(ws: Path, site: Path, cli: Cli) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    set_target(ws, f"sftp://{USER}@127.0.0.1:{port}/www/")
    before = tree(ws)
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert f"127.0.0.1:{port} refused the connection (connecting)" in result.output
    assert "check the server name and port in [publish] target" in result.output and "Traceback" not in result.output
    assert tree(ws) == before


def test_a_wrong_password_is_in_no_output_and_no_file(ws: Path, site: Path, cli: Cli, sftp: SftpServer, tmp_path: Path) -> None:
    wrong = "Wr0ng-Passw0rd-7c1e"
    trust(ws, sftp)
    set_target(ws, f"sftp://{USER}@127.0.0.1:{sftp.port}/www/")
    result = cli("--debug", "-vv", "publish", password=wrong)
    assert result.exit_code == 1, result.output
    assert f"refused the login of user '{USER}'" in result.output and "NEWSLETTER_PUBLISH_PASSWORD" in result.output
    assert sftp.passwords == [wrong]  # it did reach the server (inside SSH), once
    assert wrong not in result.output
    scanned = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(scanned) > 20  # the workspace, its state and site, the server's folder: every file
    for path in scanned:
        assert wrong.encode() not in path.read_bytes(), path
    assert tree(sftp.root / "www") == {}
