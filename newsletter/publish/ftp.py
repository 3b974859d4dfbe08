"""FTP and FTPS (explicit TLS, `AUTH TLS` on port 21) targets, through the standard library's ftplib."""

from __future__ import annotations

import contextlib
import ftplib
import io
import socket
import ssl
from typing import NoReturn

from newsletter import formats
from newsletter.errors import PublishError
from newsletter.i18n import _
from newsletter.publish.remote import BytesSent, Connection, parent_folders, temp_name
from newsletter.publish.target import PublishTarget

BLOCK = 32 * 1024


def _reply_code(exc: ftplib.Error) -> str:
    return str(exc)[:3]


def fail_network(target: PublishTarget, exc: BaseException, *, doing: str, timeout: float) -> NoReturn:
    """Turn a socket error into a PublishError in words (shared by FTP and SFTP)."""
    where = f"{target.host}:{target.default_port}"
    if isinstance(exc, ConnectionRefusedError):
        raise PublishError(
            _("{where} refused the connection ({doing})").format(where=where, doing=doing),
            hint=_("check the server name and port in [publish] target, and that the server is running"),
        ) from None
    if isinstance(exc, TimeoutError | socket.timeout):
        raise PublishError(
            _("{where} did not answer within {seconds} s ({doing})").format(where=where, seconds=formats.decimal(timeout), doing=doing),
            hint=_("check your connection, or raise [publish] timeout in newsletter.toml; then run `newsletter publish` again: it sends only what is missing"),
        ) from None
    if isinstance(exc, socket.gaierror):
        raise PublishError(
            _("the server name {host} cannot be found").format(host=target.host),
            hint=_("check the server name in [publish] target, and that this computer is online"),
        ) from None
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    raise PublishError(
        _("the connection to {where} failed ({doing}): {reason}").format(where=where, doing=doing, reason=reason),
        hint=_("run `newsletter publish` again: it sends only what is missing"),
    ) from None


def tls_context(connection: Connection) -> ssl.SSLContext:
    """The system's trusted certificates, plus [publish] ca_file; the server name is always checked."""
    context = ssl.create_default_context()
    if connection.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(connection.ca_file))
        except FileNotFoundError:
            raise PublishError(
                _("[publish] ca_file names {path}, which does not exist").format(path=connection.ca_file),
                hint=_("save the server's certificate there (a PEM file), or fix the path in newsletter.toml"),
            ) from None
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise PublishError(
                _("[publish] ca_file {path} holds no certificate that can be read ({reason})").format(
                    path=connection.ca_file, reason=getattr(exc, "reason", None) or type(exc).__name__
                ),
                hint=_("it must be a PEM file (text starting with -----BEGIN CERTIFICATE-----)"),
            ) from None
    return context


class FtpRemote:
    """A folder on an FTP server; `ftps://` negotiates TLS first and protects the data connection too."""

    transactional = False

    def __init__(self, target: PublishTarget, ftp: ftplib.FTP, timeout: float) -> None:
        self.target = target
        self.ftp = ftp
        self.timeout = timeout
        self._made: set[str] = set()

    @classmethod
    def connect(cls, target: PublishTarget, connection: Connection) -> FtpRemote:
        """Log in and enter the target folder; PublishError for a refused login or a missing folder."""
        ftp: ftplib.FTP = ftplib.FTP_TLS(context=tls_context(connection)) if target.scheme == "ftps" else ftplib.FTP()
        try:
            ftp.connect(target.host, target.default_port, timeout=connection.timeout)
            if isinstance(ftp, ftplib.FTP_TLS):
                cls._secure(ftp, target)  # before the password goes anywhere
            ftp.login(target.user or "anonymous", connection.password or "")
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()  # the files travel encrypted too, not only the password
        except ssl.SSLCertVerificationError as exc:
            cls._close(ftp)
            raise PublishError(
                _("the TLS certificate of {host} cannot be trusted ({reason}); nothing was sent, not even the password").format(
                    host=target.host, reason=exc.verify_message or exc.reason or str(exc)
                ),
                hint=_("if your host gave you its certificate (or its own CA's), save it as a PEM file and set "
                       '[publish] ca_file = "that-file.pem" in newsletter.toml; if the certificate names another server, '
                       "write that name in [publish] target"),
            ) from None
        except PublishError:
            cls._close(ftp)
            raise
        except ftplib.error_perm as exc:
            cls._close(ftp)
            if _reply_code(exc) in ("530", "331", "332"):
                raise PublishError(
                    _("{host} refused the login of user '{user}': wrong user name or password").format(host=target.host, user=target.user or "anonymous"),
                    hint=_("check the user in [publish] target and the NEWSLETTER_PUBLISH_PASSWORD environment variable"),
                ) from None
            raise PublishError(_("{host} refused the login: {reply}").format(host=target.host, reply=str(exc)), hint=_("check [publish] target")) from None
        except (ftplib.Error, ssl.SSLError) as exc:
            cls._close(ftp)
            raise PublishError(
                _("{host} answered the login with an error: {reply}").format(host=target.host, reply=str(exc)),
                hint=_("for ftps://, the server must support explicit TLS (AUTH TLS); otherwise check [publish] target"),
            ) from None
        except OSError as exc:
            cls._close(ftp)
            fail_network(target, exc, doing=_("connecting"), timeout=connection.timeout)
        remote = cls(target, ftp, connection.timeout)
        try:
            ftp.cwd(target.path)
        except ftplib.error_perm:
            remote.close()
            raise PublishError(
                _("the folder {path} does not exist on {host}").format(path=target.path, host=target.host),
                hint=_("create it on the server (or fix the path in [publish] target), then run `newsletter publish` again"),
            ) from None
        except OSError as exc:
            remote.close()
            fail_network(target, exc, doing=_("opening {path}").format(path=target.path), timeout=connection.timeout)
        return remote

    @staticmethod
    def _secure(ftp: ftplib.FTP_TLS, target: PublishTarget) -> None:
        """AUTH TLS, with its refusal worded (ftplib's `login` would send it too, but say less)."""
        try:
            ftp.auth()
        except ftplib.error_perm as exc:
            raise PublishError(
                _("{host} does not offer TLS (it answered AUTH TLS with: {reply}); nothing was sent, not even the password").format(
                    host=target.host, reply=str(exc)
                ),
                hint=_("ask your host for the FTPS (explicit TLS) address; ftp:// would send the password unencrypted"),
            ) from None

    def _refused(self, exc: ftplib.Error, path: str) -> NoReturn:
        code = _reply_code(exc)
        if code in ("452", "552") or "space" in str(exc).lower():
            raise PublishError(
                _("{host} has no space left for {path} ({reply})").format(host=self.target.host, path=path, reply=str(exc)),
                hint=_("free space on the server (or ask the host for more), then run `newsletter publish` again"),
            ) from None
        raise PublishError(
            _("{host} refused to write {path} ({reply})").format(host=self.target.host, path=path, reply=str(exc)),
            hint=_("check that user '{user}' may write in {folder} on the server, then run `newsletter publish` again").format(
                user=self.target.user or "anonymous", folder=self.target.path
            ),
        ) from None

    def _make_folders(self, path: str) -> None:
        for folder in parent_folders(path):
            if folder in self._made:
                continue
            with contextlib.suppress(ftplib.error_perm):  # it exists already (servers word that differently)
                self.ftp.mkd(folder)
            self._made.add(folder)

    def put(self, path: str, data: bytes, sent: BytesSent) -> None:
        temporary = temp_name(path)
        try:
            try:
                self._make_folders(path)
                self.ftp.storbinary(f"STOR {temporary}", io.BytesIO(data), blocksize=BLOCK, callback=lambda block: sent(len(block)))
            except OSError as exc:
                if isinstance(exc, TimeoutError | socket.timeout):
                    raise
                # The server closed the data connection (a full disk, a refused write): its reason
                # is the reply waiting on the control connection.
                try:
                    self.ftp.voidresp()
                except ftplib.Error as reply:
                    raise reply from exc
                except (OSError, EOFError):
                    pass
                raise
            try:
                self.ftp.rename(temporary, path)
            except ftplib.error_perm:
                # Some servers refuse to rename onto an existing file: delete it, then rename.
                with contextlib.suppress(ftplib.error_perm):
                    self.ftp.delete(path)
                self.ftp.rename(temporary, path)
        except ftplib.Error as exc:
            self._discard(temporary)
            self._failed(exc, path)
        except OSError as exc:
            fail_network(self.target, exc, doing=_("sending {path}").format(path=path), timeout=self.timeout)

    def _failed(self, exc: ftplib.Error, path: str) -> NoReturn:
        if isinstance(exc, ftplib.error_perm) or _reply_code(exc) == "452" or "space" in str(exc).lower():
            self._refused(exc, path)
        raise PublishError(
            _("{host} failed to store {path} ({reply})").format(host=self.target.host, path=path, reply=str(exc)),
            hint=_("run `newsletter publish` again: it sends only what is missing"),
        ) from None

    def _discard(self, temporary: str) -> None:
        with contextlib.suppress(ftplib.Error, OSError):
            self.ftp.delete(temporary)

    def remove(self, path: str) -> None:
        try:
            self.ftp.delete(path)
        except ftplib.error_perm as exc:
            if _reply_code(exc) == "550":  # not there (any more): what we wanted
                return
            self._refused(exc, path)
        except ftplib.Error as exc:
            raise PublishError(_("{host} failed to remove {path} ({reply})").format(host=self.target.host, path=path, reply=str(exc))) from None
        except OSError as exc:
            fail_network(self.target, exc, doing=_("removing {path}").format(path=path), timeout=self.timeout)

    def finish(self, message: str) -> None:
        return None

    def close(self) -> None:
        self._close(self.ftp)

    @staticmethod
    def _close(ftp: ftplib.FTP) -> None:
        try:
            ftp.quit()
        except (ftplib.Error, OSError, AttributeError):
            ftp.close()
