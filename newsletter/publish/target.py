"""`[publish] target`: the URL the site goes to, checked and split into its parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from newsletter.errors import ConfigError
from newsletter.i18n import _

SCHEMES = ("sftp", "ftp", "ftps", "file", "git+ssh", "git+file")
DEFAULT_PORTS = {"sftp": 22, "ftp": 21, "ftps": 21, "git+ssh": 22}
DEFAULT_BRANCH = "main"
_EXAMPLES = "sftp://user@host/path/, ftp://user@host/path/, ftps://user@host/path/, file:///path/, git+ssh://git@host/owner/site.git#main, git+file:///path/site.git"


@dataclass(frozen=True)
class PublishTarget:
    """Where the site goes. `path` is the folder on the server (or the repository, for Git)."""

    scheme: str
    host: str
    port: int | None
    user: str | None
    path: str
    branch: str = DEFAULT_BRANCH  # Git targets only: the branch that receives the site (#branch)

    @property
    def display(self) -> str:
        """The target as shown to the user and kept in the manifest: never a password."""
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        branch = f"#{self.branch}" if self.is_git else ""
        return f"{self.scheme}://{user}{self.host}{port}{self.path}{branch}"

    @property
    def is_git(self) -> bool:
        return self.scheme.startswith("git+")

    @property
    def git_url(self) -> str:
        """The repository as `git` spells it (ssh://… or file://…)."""
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme.removeprefix('git+')}://{user}{self.host}{port}{self.path}"

    @property
    def default_port(self) -> int:
        return self.port or DEFAULT_PORTS.get(self.scheme, 0)


def _shown(text: str) -> str:
    """The text of a bad target, with anything between '://' and '@' hidden (it may hold a password)."""
    return re.sub(r"(://)[^/@]*@", r"\1…@", text)


def parse_target(text: str) -> PublishTarget:
    """Check `[publish] target` and split it; ConfigError says what is wrong and what is expected.

    A password in the URL is refused without being repeated: it belongs in NEWSLETTER_PUBLISH_PASSWORD.
    """
    value = text.strip()
    hint = _("write it as one of: {examples}").format(examples=_EXAMPLES)
    if "://" not in value:
        raise ConfigError(
            _("[publish] target = {target!r} is not a URL").format(target=_shown(value)), hint=hint
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(
            _("[publish] target = {target!r} is not a valid URL ({reason})").format(target=_shown(value), reason=exc), hint=hint
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ConfigError(
            _("[publish] target = {target!r}: newsletter cannot publish to '{scheme}://'").format(target=_shown(value), scheme=scheme),
            hint=hint,
        )
    if parts.password is not None:
        raise ConfigError(
            _("[publish] target holds a password: it must never be written in newsletter.toml"),
            hint=_("remove ':password' from the target and set the NEWSLETTER_PUBLISH_PASSWORD environment variable instead"),
        )
    host = parts.hostname or ""
    path = unquote(parts.path)
    if scheme in ("file", "git+file"):
        if host not in ("", "localhost") or not path.startswith("/"):
            raise ConfigError(
                _("[publish] target = {target!r}: a {scheme}:// target names an absolute folder, e.g. {scheme}:///srv/site/").format(target=_shown(value), scheme=scheme),
                hint=hint,
            )
        host = ""
    elif not host:
        raise ConfigError(_("[publish] target = {target!r} names no server").format(target=_shown(value)), hint=hint)
    if not path:
        path = "/"
    if not scheme.startswith("git+") and parts.fragment:
        raise ConfigError(_("[publish] target = {target!r}: only Git targets take a #branch").format(target=_shown(value)), hint=hint)
    return PublishTarget(
        scheme=scheme, host=host, port=port, user=unquote(parts.username) if parts.username else None,
        path=path, branch=parts.fragment or DEFAULT_BRANCH,
    )
