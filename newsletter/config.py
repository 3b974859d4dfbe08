"""Typed settings from newsletter.toml and the environment; secrets come from the environment only."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from newsletter.choices import Layout, Provider
from newsletter.errors import ConfigError

CONFIG_ENV = "NEWSLETTER_CONFIG"
PROVIDER_ENV = "NEWSLETTER_PROVIDER"
DEFAULT_CONFIG_NAME = "newsletter.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


HttpsUrl = Annotated[str, Field(pattern=r"^https?://\S+$")]


class NewsletterSection(_Strict):
    name: str
    title: str
    locale: str = "fr"
    timezone: str = "Europe/Paris"
    provider: Provider = Provider.outbox
    web_url: HttpsUrl | None = None
    subscribe_url: HttpsUrl | None = None
    unsubscribe_url: HttpsUrl | None = None
    website_url: HttpsUrl | None = None
    contact_email: str | None = None
    tagline: str = ""
    organisation: str = ""
    address: str = ""
    logo_url: HttpsUrl | None = None
    logo_alt: str = ""
    issues_dir: str = "issues"
    build_dir: str = "build"
    templates_dir: str = "templates"
    state_dir: str = "state"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("expected an IANA time zone such as 'Europe/Paris'") from exc
        return value


class ThemeSection(_Strict):
    primary_color: str = Field(default="#00806e", pattern=r"^#[0-9a-fA-F]{6}$")
    accent_color: str = Field(default="#f39200", pattern=r"^#[0-9a-fA-F]{6}$")


class SectionConfig(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    layout: Layout = Layout.text
    intro: str = ""
    keywords: list[str] = []
    exclude: list[str] = []
    highlight: bool = False  # a coloured call-out block (the Défi Moov'IDF block, for instance)


class FeedConfig(_Strict):
    name: str
    url: str
    section: str
    keywords: list[str] = []
    exclude: list[str] = []
    enabled: bool = True


class FetchSection(_Strict):
    timeout: float = Field(default=10.0, gt=0)
    deadline: float = Field(default=60.0, gt=0)
    # Requests at once, all hosts together. Feeds live on different sites, so the wait is the
    # slowest answer, not any one server's load: 100 fetches even a large list in one round
    # while bounding our own sockets and memory; `per_host` keeps us polite to any single site.
    concurrency: int = Field(default=100, ge=1, le=100)
    per_host: int = Field(default=4, ge=1, le=100)
    max_bytes: int = Field(default=5_000_000, ge=10_000)
    max_redirects: int = Field(default=5, ge=0, le=20)


class ActorMapSection(_Strict):
    kind: Literal["gogocarto", "geojson"] = "gogocarto"
    url: str
    section: str
    include_updated: bool = False
    exclude_external: bool = False
    description_field: str = "description"
    # Public address of the map for the links in the email, when `url` is a local copy or differs.
    site_url: HttpsUrl | None = None
    licence_url: HttpsUrl = "https://opendatacommons.org/licenses/odbl/summary/"
    licence_name: str = "ODbL"
    # GeoJSON property names (uMap exports use free properties).
    id_property: str = "id"
    name_property: str = "name"
    city_property: str = "city"
    postal_code_property: str = "postcode"
    category_property: str = "category"
    link_property: str = "url"
    updated_property: str = "updated"


class BrevoSection(_Strict):
    base_url: HttpsUrl = "https://api.brevo.com/v3"
    list_ids: list[int] = []
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    test_emails: list[str] = []
    timeout: float = Field(default=20.0, gt=0)


class MailjetSection(_Strict):
    base_url: HttpsUrl = "https://api.mailjet.com/v3/REST"
    contacts_list_id: int | None = None
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    test_emails: list[str] = []
    timeout: float = Field(default=20.0, gt=0)


class OutboxSection(_Strict):
    dir: str = "outbox"
    sender_name: str = ""
    sender_email: str = "lettre@example.org"
    reply_to: str = ""
    test_emails: list[str] = []


class UtmSection(_Strict):
    enabled: bool = True
    source: str = Field(default="newsletter", pattern=r"^[a-z0-9_.-]+$")
    medium: str = Field(default="email", pattern=r"^[a-z0-9_.-]+$")
    campaign: str | None = Field(default=None, pattern=r"^[a-z0-9_.-]+$")


class FileConfig(_Strict):
    """The whole of newsletter.toml, as written by the user."""

    newsletter: NewsletterSection
    theme: ThemeSection = ThemeSection()
    sections: list[SectionConfig] = []
    feeds: list[FeedConfig] = []
    fetch: FetchSection = FetchSection()
    actor_map: ActorMapSection | None = None
    brevo: BrevoSection = BrevoSection()
    mailjet: MailjetSection = MailjetSection()
    outbox: OutboxSection = OutboxSection()
    utm: UtmSection = UtmSection()

    @model_validator(mode="after")
    def _sections_referenced_exist(self) -> FileConfig:
        ids = [s.id for s in self.sections]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"section ids must be unique; repeated: {', '.join(dupes)}")
        for feed in self.feeds:
            if feed.section not in ids:
                raise ValueError(f"feed '{feed.name}' points at section '{feed.section}', which is not among [[sections]] ({', '.join(ids) or 'none'})")
        if self.actor_map and self.actor_map.section not in ids:
            raise ValueError(f"actor_map.section '{self.actor_map.section}' is not among [[sections]] ({', '.join(ids) or 'none'})")
        return self


class Secrets(BaseModel):
    """API keys, read from the environment only and never printed."""

    model_config = ConfigDict(frozen=True)

    brevo_api_key: SecretStr | None = None
    mailjet_public: SecretStr | None = None
    mailjet_private: SecretStr | None = None


class Settings(BaseModel):
    """Everything a command needs, resolved once: the file, the environment, the flags."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config_path: Path
    file: FileConfig
    provider: Provider
    secrets: Secrets = Secrets()

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

    def section_by_id(self, section_id: str) -> SectionConfig | None:
        return next((s for s in self.file.sections if s.id == section_id), None)


def find_config(explicit: Path | None, environ: Mapping[str, str]) -> Path:
    """The config file: --config, else $NEWSLETTER_CONFIG, else ./newsletter.toml."""
    if explicit is not None:
        return explicit
    from_env = environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    return Path.cwd() / DEFAULT_CONFIG_NAME


def _describe_error(error: Mapping[str, Any]) -> str:
    location = ".".join(str(part) if not isinstance(part, int) else f"[{part}]" for part in error["loc"]).replace(".[", "[")
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return f"{location}: unknown key (value {value!r}); remove it or check its spelling"
    if kind == "missing":
        return f"{location}: missing; this key is required"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"expected one of {expected}"
    shown = "" if isinstance(value, dict) else f" = {value!r}"
    if not location:
        return message
    return f"{location}{shown}: {message}"


def parse_config(text: str, *, source: str) -> FileConfig:
    """Parse and validate the TOML text of a config; ConfigError lists one line per problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{source} is not valid TOML: {exc}",
            hint="fix the line it names (quotes around text, [section] headers, key = value)",
        ) from exc
    try:
        return FileConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [_describe_error(err) for err in exc.errors()]
        raise ConfigError(f"{source} has {len(problems)} problem(s)", problems=problems) from None


def _secret(environ: Mapping[str, str], name: str) -> SecretStr | None:
    value = environ.get(name)
    return SecretStr(value) if value else None


def read_secrets(environ: Mapping[str, str]) -> Secrets:
    """The API keys found in the environment (absent ones are None)."""
    return Secrets(
        brevo_api_key=_secret(environ, "BREVO_API_KEY"),
        mailjet_public=_secret(environ, "MJ_APIKEY_PUBLIC"),
        mailjet_private=_secret(environ, "MJ_APIKEY_PRIVATE"),
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
        raise ConfigError(
            f"no configuration file at {path}",
            hint="run the command from your workspace folder, pass --config PATH, or create a workspace with `newsletter init DIR`",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", hint="save it again as UTF-8 in your editor") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    file_config = parse_config(text, source=str(path))
    chosen = provider
    if chosen is None and env.get(PROVIDER_ENV):
        try:
            chosen = Provider(env[PROVIDER_ENV])
        except ValueError:
            raise ConfigError(
                f"{PROVIDER_ENV} = {env[PROVIDER_ENV]!r}: expected one of brevo, mailjet, outbox"
            ) from None
    return Settings(
        config_path=path.resolve(),
        file=file_config,
        provider=chosen or file_config.newsletter.provider,
        secrets=read_secrets(env),
    )
