"""Publish targets on 127.0.0.1, started by the tests: an FTP server (pyftpdlib) and an SFTP
server (asyncssh), each serving a folder, with faults to inject per file name."""

from __future__ import annotations

import asyncio
import errno
import threading
import time
from pathlib import Path
from typing import Any

USER = "lettre"
PASSWORD = "Tr3s-S3cret!pw"  # asserted absent from every output and file


class FtpServer:
    """pyftpdlib, one thread per connection (a stalled upload blocks only its own connection).

    faults: file-name fragment -> "stall" (the write sleeps past the client's timeout) or "full"
    (STOR answered 452, insufficient storage). A user "reader" may only read.
    """

    def __init__(self, root: Path, *, tls: tuple[Path, Path] | None = None) -> None:
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.filesystems import AbstractedFS
        from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
        from pyftpdlib.servers import ThreadedFTPServer

        self.root = root
        self.faults: dict[str, str] = {}
        self.passwords: list[str] = []  # every PASS the server received (none before TLS, for ftps)
        faults, passwords = self.faults, self.passwords
        base: Any = TLS_FTPHandler if tls else FTPHandler

        class _Writer:
            def __init__(self, handle: Any, name: str) -> None:
                self.handle, self.name = handle, name

            def write(self, data: bytes) -> int:
                for fragment, fault in list(faults.items()):
                    if fragment in self.name:
                        if fault == "stall":
                            time.sleep(1.5)
                return int(self.handle.write(data))

            def __getattr__(self, attr: str) -> Any:
                return getattr(self.handle, attr)

        class _FS(AbstractedFS):  # type: ignore[misc]
            def open(self, filename: str, mode: str) -> Any:
                handle = super().open(filename, mode)
                return _Writer(handle, filename) if "w" in mode else handle

        authorizer = DummyAuthorizer()
        authorizer.add_user(USER, PASSWORD, str(root), perm="elradfmwMT")
        authorizer.add_user("reader", PASSWORD, str(root), perm="elr")
        class _Handler(base):  # type: ignore[misc,valid-type]
            def ftp_PASS(self, line: str) -> Any:
                passwords.append(line)
                return super().ftp_PASS(line)

            def ftp_STOR(self, file: str, mode: str = "w") -> Any:
                if any(fragment in file and fault == "full" for fragment, fault in faults.items()):
                    # What RFC 959 says a server answers when its disk is full.
                    self.respond("452 Insufficient storage space in system.")
                    return None
                return super().ftp_STOR(file, mode)

        handler = type("Handler", (_Handler,), {"authorizer": authorizer, "abstracted_fs": _FS, "banner": "test"})
        handler.auth_failed_timeout = 0  # pyftpdlib waits 3 s after a wrong password by default
        if tls:
            # Explicit TLS required on both connections: a client that skipped PROT P fails here.
            handler.certfile, handler.keyfile = str(tls[0]), str(tls[1])
            handler.tls_control_required = handler.tls_data_required = True
        self.server = ThreadedFTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"timeout": 0.05, "handle_exit": False}, daemon=True)

    def __enter__(self) -> FtpServer:
        import logging

        logging.getLogger("pyftpdlib").setLevel(logging.CRITICAL)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close_all()


class SftpServer:
    """asyncssh's SFTP server in its own thread and event loop, chrooted in `root`.

    faults: file-name fragment -> "stall", "full" (ENOSPC) or "denied" (EACCES on open).
    """

    def __init__(self, root: Path) -> None:
        import asyncssh

        self.root = root
        self.faults: dict[str, str] = {}
        self.passwords: list[str] = []  # every password the server received
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.fingerprint = self.host_key.get_fingerprint("sha256")
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def known_hosts_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.host_key.export_public_key('openssh').decode().split()[0]} {self.host_key.export_public_key('openssh').decode().split()[1]}\n"

    def _run(self) -> None:
        import asyncssh

        faults, root, passwords = self.faults, self.root, self.passwords
        connections = self.connections = []  # type: ignore[var-annotated]
        handles = self.handles = []  # type: ignore[var-annotated]

        class _Auth(asyncssh.SSHServer):  # type: ignore[misc]
            def connection_made(self, conn: Any) -> None:
                connections.append(conn)

            def begin_auth(self, username: str) -> bool:
                return True

            def password_auth_supported(self) -> bool:
                return True

            def validate_password(self, username: str, password: str) -> bool:
                passwords.append(password)
                return username == USER and password == PASSWORD

        class _Sftp(asyncssh.SFTPServer):  # type: ignore[misc]
            def __init__(self, chan: Any) -> None:
                super().__init__(chan, chroot=str(root).encode())

            def _fault(self, path: bytes) -> str | None:
                name = path.decode(errors="replace")
                return next((fault for fragment, fault in faults.items() if fragment in name), None)

            def open(self, path: bytes, pflags: int, attrs: Any) -> Any:
                if pflags & asyncssh.FXF_WRITE and self._fault(path) == "denied":
                    raise PermissionError(errno.EACCES, "Permission denied")
                handle = super().open(path, pflags, attrs)
                self._names = getattr(self, "_names", {})
                self._names[id(handle)] = path
                self._handles = [*getattr(self, "_handles", []), handle]
                handles.append(handle)
                return handle

            def exit(self) -> None:  # the client went away in the middle of a write: close its files
                for handle in list(getattr(self, "_handles", [])):
                    handle.close()
                super().exit()

            async def write(self, file_obj: Any, offset: int, data: bytes) -> Any:
                fault = self._fault(getattr(self, "_names", {}).get(id(file_obj), b""))
                if fault == "stall":
                    await asyncio.sleep(1.5)
                elif fault == "full":
                    raise OSError(errno.ENOSPC, "No space left on device")
                return super().write(file_obj, offset, data)

        async def start() -> None:
            server = await asyncssh.create_server(_Auth, "127.0.0.1", 0, server_host_keys=[self.host_key], sftp_factory=_Sftp, allow_scp=False)
            self.port = server.sockets[0].getsockname()[1]
            self.server = server

        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(start())
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self._shutdown())
        self.loop.close()

    async def _shutdown(self) -> None:
        self.server.close()
        await self.server.wait_closed()
        for conn in self.connections:
            conn.close()
        for conn in self.connections:
            await conn.wait_closed()
        for handle in self.handles:  # a write stalled on purpose may outlive its connection
            handle.close()

    def __enter__(self) -> SftpServer:
        import logging

        logging.getLogger("asyncssh").setLevel(logging.CRITICAL)
        self.thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def self_signed_certificate(folder: Path, *, ip: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `ip` (as a small host's FTPS server has): cert.pem, key.pem."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ftp.example.test")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "cert.pem", folder / "key.pem"
