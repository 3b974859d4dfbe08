"""SFTP targets through paramiko, with the host key checked before any password is sent.

Accepted host keys live in the workspace's `state/known_hosts` (OpenSSH's format), written only
by `--accept-host-key SHA256:…`; the user's `~/.ssh/known_hosts` is read too, never written, so a
server she already trusts with `ssh` needs nothing more.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import os
import socket
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from newsletter.errors import HostKeyError, PublishError
from newsletter.fsutil import write_atomic
from newsletter.i18n import _
from newsletter.publish.ftp import fail_network
from newsletter.publish.remote import BytesSent, Connection, parent_folders, temp_name
from newsletter.publish.target import PublishTarget

if TYPE_CHECKING:
    import paramiko

USER_KNOWN_HOSTS = Path("~/.ssh/known_hosts")
KEY_FILES = ("id_ed25519", "id_ecdsa", "id_rsa")
CHUNK = 32 * 1024  # SFTP servers accept writes of 32 KiB at least (OpenSSH: up to 256 KiB)


def fingerprint(key: paramiko.PKey) -> str:
    """The key's SHA256 fingerprint as OpenSSH prints it (`ssh-keygen -lf`)."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")


def _host_name(target: PublishTarget) -> str:
    port = target.default_port
    return target.host if port == 22 else f"[{target.host}]:{port}"


def _matches(name: str, hostnames: list[str]) -> bool:
    import paramiko

    for entry in hostnames:
        if entry.startswith("|1|"):  # OpenSSH's HashKnownHosts: compare hashes
            with contextlib.suppress(Exception):
                if paramiko.HostKeys.hash_host(name, entry) == entry:
                    return True
        elif entry == name:
            return True
    return False


def _known_keys(files: list[Path], name: str) -> dict[str, tuple[paramiko.PKey, Path, int]]:
    """Key type -> the first key known for `name`, with the file and line it is on (to name them if it changed)."""
    from paramiko.hostkeys import HostKeyEntry

    found: dict[str, tuple[paramiko.PKey, Path, int]] = {}
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith(("#", "@")):
                continue  # comments, and @cert-authority / @revoked lines, which this checker does not use
            try:
                entry = HostKeyEntry.from_line(line, number)
            except Exception:  # paramiko raises several types for a damaged line: skip it, as ssh does
                continue
            if entry is not None and entry.key is not None and _matches(name, entry.hostnames):
                found.setdefault(entry.key.get_name(), (entry.key, path, number))
    return found


def check_host_key(target: PublishTarget, key: paramiko.PKey, connection: Connection) -> None:
    """Refuse a host whose key is unknown (unless its fingerprint was accepted) or changed."""
    name = _host_name(target)
    shown = fingerprint(key)
    known = _known_keys([connection.known_hosts, USER_KNOWN_HOSTS.expanduser()], name)
    same_type = known.get(key.get_name())
    if same_type is not None:
        recorded, where, number = same_type
        if recorded.asbytes() == key.asbytes():
            return
        raise HostKeyError(
            _("the host key of {host} CHANGED: it is now {fingerprint}, not the key recorded on line {line} of {file} ({recorded}). "
              "Someone may be intercepting the connection; nothing was sent, not even the password").format(
                host=name, fingerprint=shown, line=number, file=where, recorded=fingerprint(recorded)
            ),
            hint=_("ask the server's administrator whether its key changed; only if it did, delete line {line} of {file}, "
                   "then run `newsletter publish` again: it will show the new fingerprint to accept").format(line=number, file=where),
        )
    if connection.accept_key is not None and connection.accept_key.strip() == shown:
        line = f"{name} {key.get_name()} {key.get_base64()}\n"
        try:
            previous = connection.known_hosts.read_text(encoding="utf-8")
        except FileNotFoundError:
            previous = ""
        write_atomic(connection.known_hosts, previous + ("" if previous.endswith("\n") or not previous else "\n") + line)
        return
    mismatch = (
        _(" (the fingerprint given with --accept-host-key, {given}, is not this one)").format(given=connection.accept_key)
        if connection.accept_key
        else ""
    )
    raise HostKeyError(
        _("the server {host} is not known yet: its host key has the fingerprint {fingerprint}{mismatch}; nothing was sent").format(
            host=name, fingerprint=shown, mismatch=mismatch
        ),
        hint=_("check that fingerprint with the server's administrator (or your host's documentation), then run "
               "`newsletter publish --accept-host-key {fingerprint}`; the key is kept in {file}").format(fingerprint=shown, file=connection.known_hosts),
    )


def _authenticate(transport: paramiko.Transport, target: PublishTarget, password: str | None) -> None:
    """Password first (shared hosting), then the SSH agent's keys, then ~/.ssh keys (the password as passphrase)."""
    import paramiko

    user = target.user or os.environ.get("USER") or "anonymous"
    if password:
        with contextlib.suppress(paramiko.AuthenticationException, paramiko.BadAuthenticationType):
            transport.auth_password(user, password)
            return
    keys: list[paramiko.PKey] = []
    with contextlib.suppress(paramiko.SSHException, OSError):
        keys.extend(paramiko.Agent().get_keys())
    for name in KEY_FILES:
        path = Path("~/.ssh").expanduser() / name
        if path.is_file():
            with contextlib.suppress(paramiko.SSHException, OSError, ValueError):
                keys.append(paramiko.PKey.from_path(path, passphrase=password.encode() if password else None))
    for key in keys:
        with contextlib.suppress(paramiko.AuthenticationException, paramiko.BadAuthenticationType):
            transport.auth_publickey(user, key)
            return
    raise PublishError(
        _("{host} refused the login of user '{user}': wrong password, or none of your SSH keys is accepted").format(host=target.host, user=user),
        hint=_("check the user in [publish] target and the NEWSLETTER_PUBLISH_PASSWORD environment variable (or add your key with ssh-add)"),
    )


class SftpRemote:
    """A folder on an SSH server, written through SFTP."""

    transactional = False

    def __init__(self, target: PublishTarget, transport: paramiko.Transport, sftp: paramiko.SFTPClient, timeout: float) -> None:
        self.target = target
        self.transport = transport
        self.sftp = sftp
        self.timeout = timeout
        self._made: set[str] = set()

    @classmethod
    def connect(cls, target: PublishTarget, connection: Connection) -> SftpRemote:
        """Connect, check the host key, log in and enter the target folder."""
        import paramiko

        timeout = connection.timeout
        try:
            sock = socket.create_connection((target.host, target.default_port), timeout=timeout)
        except OSError as exc:
            fail_network(target, exc, doing=_("connecting"), timeout=timeout)
        transport = paramiko.Transport(sock)
        transport.banner_timeout = transport.handshake_timeout = transport.auth_timeout = timeout
        try:
            transport.start_client(timeout=timeout)
            check_host_key(target, transport.get_remote_server_key(), connection)
            _authenticate(transport, target, connection.password)
            sftp = paramiko.SFTPClient.from_transport(transport)
            if sftp is None:
                raise PublishError(_("{host} does not offer SFTP").format(host=target.host), hint=_("check [publish] target"))
            channel = sftp.get_channel()
            if channel is not None:
                channel.settimeout(timeout)
        except PublishError:
            transport.close()
            raise
        except paramiko.SSHException as exc:
            transport.close()
            raise PublishError(
                _("the SSH connection to {host} failed: {reason}").format(host=target.host, reason=str(exc) or type(exc).__name__),
                hint=_("check the server name and port in [publish] target; then run `newsletter publish` again"),
            ) from None
        except OSError as exc:
            transport.close()
            fail_network(target, exc, doing=_("connecting"), timeout=timeout)
        remote = cls(target, transport, sftp, timeout)
        try:
            if not stat.S_ISDIR(sftp.stat(target.path).st_mode or 0):
                raise FileNotFoundError(target.path)
            sftp.chdir(target.path)
        except OSError as exc:
            remote.close()
            if isinstance(exc, TimeoutError | socket.timeout):
                fail_network(target, exc, doing=_("opening {path}").format(path=target.path), timeout=timeout)
            raise PublishError(
                _("the folder {path} does not exist on {host} (or user '{user}' may not open it)").format(path=target.path, host=target.host, user=target.user or ""),
                hint=_("create it on the server (or fix the path in [publish] target), then run `newsletter publish` again"),
            ) from None
        return remote

    def _refused(self, exc: OSError, path: str) -> NoReturn:
        if isinstance(exc, TimeoutError | socket.timeout):
            fail_network(self.target, exc, doing=_("sending {path}").format(path=path), timeout=self.timeout)
        text = str(exc)
        if exc.errno == errno.ENOSPC or "space" in text.lower() or "quota" in text.lower():
            raise PublishError(
                _("{host} has no space left for {path} ({reason})").format(host=self.target.host, path=path, reason=text),
                hint=_("free space on the server (or ask the host for more), then run `newsletter publish` again"),
            ) from None
        if exc.errno == errno.EACCES or "permission" in text.lower():
            raise PublishError(
                _("{host} refused to write {path}: permission denied").format(host=self.target.host, path=path),
                hint=_("check that user '{user}' may write in {folder} on the server, then run `newsletter publish` again").format(
                    user=self.target.user or "", folder=self.target.path
                ),
            ) from None
        raise PublishError(
            _("{host} failed to store {path}: {reason}").format(host=self.target.host, path=path, reason=text or type(exc).__name__),
            hint=_("run `newsletter publish` again: it sends only what is missing"),
        ) from None

    def _make_folders(self, path: str) -> None:
        for folder in parent_folders(path):
            if folder in self._made:
                continue
            try:
                self.sftp.stat(folder)
            except FileNotFoundError:
                self.sftp.mkdir(folder)
            self._made.add(folder)

    def put(self, path: str, data: bytes, sent: BytesSent) -> None:
        import paramiko

        temporary = temp_name(path)
        reported = 0

        def progress(done: int, _total: int) -> None:
            nonlocal reported
            sent(done - reported)
            reported = done

        try:
            self._make_folders(path)
            with self.sftp.open(temporary, "wb") as handle:
                # Not pipelined (unlike paramiko's putfo): each write waits for the server's
                # answer, so a full disk or a refused write is reported on the file it hits
                # rather than lost (a pipelined write's error status is dropped).
                handle.set_pipelined(False)
                for start in range(0, len(data), CHUNK):
                    handle.write(data[start:start + CHUNK])
                    progress(min(start + CHUNK, len(data)), len(data))
            if self.sftp.stat(temporary).st_size != len(data):
                raise OSError(errno.EIO, _("the server kept {size} bytes of {expected}").format(size=self.sftp.stat(temporary).st_size, expected=len(data)))
            try:
                self.sftp.posix_rename(temporary, path)  # replaces the old file in one step
            except OSError:
                # A server without the posix-rename extension: plain SFTP rename will not overwrite.
                with contextlib.suppress(FileNotFoundError):
                    self.sftp.remove(path)
                self.sftp.rename(temporary, path)
        except OSError as exc:
            if not isinstance(exc, TimeoutError | socket.timeout):
                with contextlib.suppress(OSError, paramiko.SSHException):
                    self.sftp.remove(temporary)
            self._refused(exc, path)
        except paramiko.SSHException as exc:
            raise PublishError(
                _("the SSH connection to {host} broke while sending {path}: {reason}").format(host=self.target.host, path=path, reason=str(exc)),
                hint=_("run `newsletter publish` again: it sends only what is missing"),
            ) from None

    def remove(self, path: str) -> None:
        try:
            self.sftp.remove(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            self._refused(exc, path)

    def finish(self, message: str) -> None:
        return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.sftp.close()
        with contextlib.suppress(Exception):
            self.transport.close()
