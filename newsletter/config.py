"""Typed settings from newsletter.toml and the environment; secrets come from the environment only."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsletter import formats
from newsletter.choices import Layout, Provider
from newsletter.errors import ConfigError
from newsletter.i18n import N_, _, ngettext
from newsletter.validation import Schema, SchemaError, describe_errors, field, quoted, rule

if TYPE_CHECKING:
    from pydantic import SecretStr

CONFIG_ENV = "NEWSLETTER_CONFIG"
PROVIDER_ENV = "NEWSLETTER_PROVIDER"
PUBLISH_PASSWORD_ENV = "NEWSLETTER_PUBLISH_PASSWORD"
DEFAULT_CONFIG_NAME = "newsletter.toml"

# Every section is a frozen, keyword-only record checked by newsletter.validation (unknown keys
# refused, one error per bad key), not a pydantic model: pydantic's import and schema building
# cost more than the whole render.
_URL = rule(pattern=r"^https?://\S+$", expected=N_("an address starting with https://"))
_COLOUR = rule(pattern=r"^#[0-9a-fA-F]{6}$", expected=N_("a colour written #rrggbb, e.g. '#00806e'"))
_UTM = rule(pattern=r"^[a-z0-9_.-]+$", expected=N_("lowercase letters, digits, '_', '.' or '-' only"))


def _known_timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return N_("an IANA time zone such as 'Europe/Paris'")
    return None


class NewsletterSection(Schema):
    name: str
    title: str
    locale: str = "fr"
    timezone: str = field(default="Europe/Paris", metadata=rule(check=_known_timezone))
    # The first draft's number when no previous issue exists (`init --number`: a series goes on).
    first_number: int = field(default=1, metadata=rule(ge=1))
    provider: Provider = Provider.outbox
    web_url: str | None = field(default=None, metadata=_URL)
    subscribe_url: str | None = field(default=None, metadata=_URL)
    unsubscribe_url: str | None = field(default=None, metadata=_URL)
    website_url: str | None = field(default=None, metadata=_URL)
    contact_email: str | None = None
    tagline: str = ""
    organisation: str = ""
    address: str = ""
    logo_url: str | None = field(default=None, metadata=_URL)
    logo_alt: str = ""
    issues_dir: str = "issues"
    build_dir: str = "build"
    templates_dir: str = "templates"
    state_dir: str = "state"


class ThemeSection(Schema):
    primary_color: str = field(default="#00806e", metadata=_COLOUR)
    accent_color: str = field(default="#f39200", metadata=_COLOUR)


class SectionConfig(Schema):
    id: str = field(metadata=rule(pattern=r"^[a-z0-9][a-z0-9_-]*$", expected=N_("lowercase letters, digits, '_' or '-', e.g. 'veille'")))
    title: str
    layout: Layout = Layout.text
    intro: str = ""
    keywords: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    highlight: bool = False  # a coloured call-out block (the Défi Moov'IDF block, for instance)


class FeedConfig(Schema):
    name: str
    url: str
    section: str
    keywords: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    enabled: bool = True


class FetchSection(Schema):
    timeout: float = field(default=10.0, metadata=rule(gt=0))
    deadline: float = field(default=60.0, metadata=rule(gt=0))
    # Requests at once, all hosts together. Feeds live on different sites, so the wait is the
    # slowest answer, not any one server's load: 100 fetches even a large list in one round
    # while bounding our own sockets and memory; `per_host` keeps us polite to any single site.
    concurrency: int = field(default=100, metadata=rule(ge=1, le=100))
    per_host: int = field(default=4, metadata=rule(ge=1, le=100))
    max_bytes: int = field(default=5_000_000, metadata=rule(ge=10_000))
    max_redirects: int = field(default=5, metadata=rule(ge=0, le=20))


class ActorMapSection(Schema):
    kind: Literal["gogocarto", "geojson"] = "gogocarto"
    url: str
    section: str
    include_updated: bool = False
    exclude_external: bool = False
    description_field: str = "description"
    # Its own cap, above [fetch] max_bytes: a map of 50,000 elements is about 56 MB of JSON.
    max_bytes: int = field(default=100_000_000, metadata=rule(ge=10_000))
    # Public address of the map for the links in the email, when `url` is a local copy or differs.
    site_url: str | None = field(default=None, metadata=_URL)
    licence_url: str = field(default="https://opendatacommons.org/licenses/odbl/summary/", metadata=_URL)
    licence_name: str = "ODbL"
    # GeoJSON property names (uMap exports use free properties).
    id_property: str = "id"
    name_property: str = "name"
    city_property: str = "city"
    postal_code_property: str = "postcode"
    category_property: str = "category"
    link_property: str = "url"
    updated_property: str = "updated"

    @property
    def public_url(self) -> str:
        """The map's address for readers: `site_url`, else `url` without its query, which may hold an API token."""
        return self.site_url or self.url.partition("?")[0]


# What GoGoCarto's documentation shows is the API's own address (`…/api/elements.json`), which a
# user copies; the config wants the map's address, from which the API paths are built.
_GOGOCARTO_API_SUFFIX = re.compile(r"/api(?:/elements(?:\.json(?:ld)?)?)?/?$")


def gogocarto_site_url(url: str) -> str:
    """The map's address from one copied from the API docs: `https://carte.example.org/api/elements.json`
    -> `https://carte.example.org`; a query (`?token=…`) is kept, a `#fragment` dropped."""
    if not url.startswith(("http://", "https://")):  # a local copy keeps its own layout
        return url
    address, _, query = url.strip().partition("#")[0].partition("?")
    if not _GOGOCARTO_API_SUFFIX.search(address):
        return url
    return _GOGOCARTO_API_SUFFIX.sub("", address) + (f"?{query}" if query else "")


class BrevoSection(Schema):
    base_url: str = field(default="https://api.brevo.com/v3", metadata=_URL)
    list_ids: list[int] = field(default_factory=list)
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    test_emails: list[str] = field(default_factory=list)
    timeout: float = field(default=20.0, metadata=rule(gt=0))


class MailjetSection(Schema):
    base_url: str = field(default="https://api.mailjet.com/v3/REST", metadata=_URL)
    contacts_list_id: int | None = None
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    test_emails: list[str] = field(default_factory=list)
    timeout: float = field(default=20.0, metadata=rule(gt=0))


class OutboxSection(Schema):
    dir: str = "outbox"
    sender_name: str = ""
    sender_email: str = "lettre@example.org"
    reply_to: str = ""
    test_emails: list[str] = field(default_factory=list)


class UtmSection(Schema):
    enabled: bool = True
    source: str = field(default="newsletter", metadata=_UTM)
    medium: str = field(default="email", metadata=_UTM)
    campaign: str | None = field(default=None, metadata=_UTM)


class PublishSection(Schema):
    # A URL: sftp://, ftp://, ftps://, file://, git+ssh://, git+file:// (newsletter.publish.target
    # checks it when a command needs it, so a mistyped target never blocks `render` or `draft`,
    # and a password typed into it is never echoed by the config checker).
    target: str | None = None
    timeout: float = field(default=30.0, metadata=rule(gt=0))  # seconds per network operation
    # ftps:// only: a PEM file of certificates trusted besides the system's (a host's self-signed
    # certificate, or its private CA), relative to the workspace. Never a switch that turns the
    # check off: the password travels inside that TLS connection.
    ca_file: str | None = None


class TypographySection(Schema):
    # "keep": straight apostrophes are left as written (the default: many writers type ' and
    # want it kept); "typographic": the draft and `check --fix` write ’, and the check asks for it.
    apostrophe: Literal["keep", "typographic"] = "keep"


class FileConfig(Schema):
    """The whole of newsletter.toml, as written by the user."""

    newsletter: NewsletterSection
    theme: ThemeSection = field(default_factory=ThemeSection)
    sections: list[SectionConfig] = field(default_factory=list)
    feeds: list[FeedConfig] = field(default_factory=list)
    fetch: FetchSection = field(default_factory=FetchSection)
    actor_map: ActorMapSection | None = None
    brevo: BrevoSection = field(default_factory=BrevoSection)
    mailjet: MailjetSection = field(default_factory=MailjetSection)
    outbox: OutboxSection = field(default_factory=OutboxSection)
    utm: UtmSection = field(default_factory=UtmSection)
    publish: PublishSection = field(default_factory=PublishSection)
    typography: TypographySection = field(default_factory=TypographySection)

    def reference_problems(self) -> list[str]:
        """What the keys say about each other: unique section ids, feeds and map on known sections."""
        ids = [s.id for s in self.sections]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            return [_("section ids must be unique; repeated: {ids}").format(ids=", ".join(dupes))]
        known = ", ".join(ids) or _("none")
        problems = [
            _("feed '{feed}' points at section '{section}', which is not among [[sections]] ({known})").format(
                feed=feed.name, section=feed.section, known=known
            )
            for feed in self.feeds
            if feed.section not in ids
        ]
        if self.actor_map and self.actor_map.section not in ids:
            problems.append(
                _("actor_map.section '{section}' is not among [[sections]] ({known})").format(section=self.actor_map.section, known=known)
            )
        return problems


class Secrets:
    """API keys, read from the environment only and never printed.

    Each key is handed out as a pydantic SecretStr, built on first use: only the commands that
    talk to a provider pay for importing pydantic.
    """

    def __init__(
        self,
        *,
        brevo_api_key: str | None = None,
        mailjet_public: str | None = None,
        mailjet_private: str | None = None,
        publish_password: str | None = None,
    ) -> None:
        self._values = {
            "brevo_api_key": brevo_api_key,
            "mailjet_public": mailjet_public,
            "mailjet_private": mailjet_private,
            "publish_password": publish_password,
        }

    def _secret(self, name: str) -> SecretStr | None:
        value = self._values[name]
        if not value:
            return None
        from pydantic import SecretStr

        return SecretStr(value)

    @property
    def brevo_api_key(self) -> SecretStr | None:
        return self._secret("brevo_api_key")

    @property
    def mailjet_public(self) -> SecretStr | None:
        return self._secret("mailjet_public")

    @property
    def mailjet_private(self) -> SecretStr | None:
        return self._secret("mailjet_private")

    @property
    def publish_password(self) -> SecretStr | None:
        """The FTP/SFTP password or SSH key passphrase of [publish] target (NEWSLETTER_PUBLISH_PASSWORD)."""
        return self._secret("publish_password")

    def values(self) -> list[str]:
        """The keys that are set, in clear: only for redacting them from what the CLI prints."""
        return [value for value in self._values.values() if value]

    def __repr__(self) -> str:
        return "Secrets(" + ", ".join(f"{name}={'**********' if value else None}" for name, value in self._values.items()) + ")"


class Settings(Schema):
    """Everything a command needs, resolved once: the file, the environment, the flags."""

    config_path: Path
    file: FileConfig
    provider: Provider
    secrets: Secrets = field(default_factory=Secrets, compare=False)

    @property
    def root(self) -> Path:
        """The workspace folder: relative paths in the config are relative to it."""
        return self.config_path.parent

    @property
    def newsletter(self) -> NewsletterSection:
        return self.file.newsletter

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.file.newsletter.timezone)

    def path(self, relative: str) -> Path:
        """Resolve a path from the config against the workspace folder."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    @property
    def issues_dir(self) -> Path:
        return self.path(self.file.newsletter.issues_dir)

    @property
    def build_dir(self) -> Path:
        return self.path(self.file.newsletter.build_dir)

    @property
    def templates_dir(self) -> Path:
        return self.path(self.file.newsletter.templates_dir)

    @property
    def state_dir(self) -> Path:
        return self.path(self.file.newsletter.state_dir)

    @property
    def typographic_apostrophes(self) -> bool:
        """Whether ’ replaces the straight apostrophe ([typography] apostrophe = "typographic")."""
        return self.file.typography.apostrophe == "typographic"

    def section_by_id(self, section_id: str) -> SectionConfig | None:
        return next((s for s in self.file.sections if s.id == section_id), None)


def find_config(explicit: Path | None, environ: Mapping[str, str]) -> Path:
    """The config file: --config, else $NEWSLETTER_CONFIG, else the first newsletter.toml in the
    current folder or a folder above it (as git finds .git: a command run from issues/ works);
    ./newsletter.toml when there is none, for the error to name."""
    if explicit is not None:
        return explicit
    from_env = environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_CONFIG_NAME
        if candidate.is_file():
            return candidate
    return here / DEFAULT_CONFIG_NAME


def parse_config(text: str, *, source: str) -> FileConfig:
    """Parse and validate the TOML text of a config; ConfigError lists one line per problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("{source} is not valid TOML: {reason}").format(source=source, reason=exc),
            hint=_("fix the line it names (quotes around text, [section] headers, key = value)"),
        ) from exc
    try:
        config = FileConfig.model_validate(raw)
    except SchemaError as exc:
        problems = describe_errors(exc.errors())
        raise ConfigError(_problem_count(source, problems), problems=problems) from None
    problems = config.reference_problems()
    if problems:
        raise ConfigError(_problem_count(source, problems), problems=problems)
    conf = config.actor_map
    if conf is not None and conf.kind == "gogocarto" and gogocarto_site_url(conf.url) != conf.url:
        config = config.model_copy(update={"actor_map": conf.model_copy(update={"url": gogocarto_site_url(conf.url)})})
    return config


def _problem_count(source: str, problems: list[str]) -> str:
    count = len(problems)
    return ngettext("{source} has {n} problem", "{source} has {n} problems", count).format(source=source, n=formats.integer(count))


def read_secrets(environ: Mapping[str, str]) -> Secrets:
    """The API keys found in the environment (absent ones are None)."""
    return Secrets(
        brevo_api_key=environ.get("BREVO_API_KEY"),
        mailjet_public=environ.get("MJ_APIKEY_PUBLIC"),
        mailjet_private=environ.get("MJ_APIKEY_PRIVATE"),
        publish_password=environ.get(PUBLISH_PASSWORD_ENV),
    )


def load_settings(
    config: Path | None = None,
    *,
    provider: Provider | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings once: flag > NEWSLETTER_* environment > newsletter.toml > defaults."""
    env = os.environ if environ is None else environ
    path = find_config(config, env)
    try:
        text = path.read_text(encoding="utf-8-sig")  # Windows Notepad starts UTF-8 files with a BOM
    except FileNotFoundError:
        searched = config is None and not env.get(CONFIG_ENV)
        raise ConfigError(
            _("no configuration file at {path}, nor in any folder above it").format(path=path)
            if searched
            else _("no configuration file at {path}").format(path=path),
            hint=_("run the command from your workspace folder (or a folder inside it), pass --config PATH, or create a workspace with `newsletter init DIR`"),
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(_("{path} is not UTF-8 text").format(path=path), hint=_("save it again as UTF-8 in your editor")) from None
    except OSError as exc:
        raise ConfigError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    file_config = parse_config(text, source=str(path))
    chosen = provider
    if chosen is None and env.get(PROVIDER_ENV):
        try:
            chosen = Provider(env[PROVIDER_ENV])
        except ValueError:
            raise ConfigError(
                _("{variable} = {value}: expected one of brevo, mailjet, outbox").format(variable=PROVIDER_ENV, value=quoted(env[PROVIDER_ENV]))
            ) from None
    return Settings(
        config_path=path.resolve(),
        file=file_config,
        provider=chosen or file_config.newsletter.provider,
        secrets=read_secrets(env),
    )
