"""The web archive: one page per issue, an index and an Atom feed, as a static site.

Each page is the email's HTML rendered for the web: the unsubscribe link becomes the
subscription page, "Voir dans le navigateur" is left out, UTM parameters say utm_medium=web. Pages are
named `<stem>.html`, the address the email's "Voir dans le navigateur" link points at
(render.web_link), so the published archive is the web version of every email. Links inside
the site are relative; links in the feed are absolute under `web_url`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_lib
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from newsletter import __version__, formats
from newsletter.campaigns import load_state
from newsletter.choices import Provider
from newsletter.config import Settings
from newsletter.errors import IssueError, UsageError
from newsletter.french import french_date
from newsletter.fsutil import write_atomic
from newsletter.i18n import _, ngettext
from newsletter.issue import Issue, read_issue_text
from newsletter.render.checks import Problem
from newsletter.render.images import LocalImage
from newsletter.render.palette import theme_palette
from newsletter.render.pipeline import parse_for_render, render_issue
from newsletter.render.templates import render_template, template_environment
from newsletter.tracking import UNSETTLED

logger = logging.getLogger(__name__)

INDEX_TEMPLATE = "archive/index.html.j2"
FEED_TEMPLATE = "archive/feed.xml.j2"
DEFAULT_DIR = "site"


@dataclass(frozen=True)
class ArchiveEntry:
    """One published issue: what the index and the feed say about it."""

    stem: str
    title: str
    subject: str
    preheader: str
    number: int | None
    date: dt.date
    date_label: str
    page: str  # relative to the site: <stem>.html
    url: str | None  # absolute, under web_url (None when web_url is not set)
    feed_id: str
    updated: str  # RFC 3339


@dataclass(frozen=True)
class ArchiveReport:
    """What `newsletter archive` built, skipped and left out."""

    out_dir: Path
    entries: tuple[ArchiveEntry, ...]
    skipped: tuple[tuple[Path, str], ...]
    unpublished: tuple[str, ...]
    warnings: tuple[str, ...]
    images: int = 0
    rebuilt: tuple[str, ...] = ()  # stems whose page was rendered this time (the others were unchanged)
    kept: tuple[str, ...] = ()  # scheduled or unconfirmed: not listed, but a page already there stays
    unconfirmed: tuple[tuple[str, str], ...] = ()  # stem, why the provider could not confirm its status

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"

    @property
    def feed(self) -> Path:
        return self.out_dir / "feed.xml"


def _base_url(settings: Settings) -> str | None:
    base = settings.newsletter.web_url
    return base.rstrip("/") + "/" if base else None


def _sent_times(settings: Settings) -> tuple[dict[str, str], set[str]]:
    """Issue stem -> when it was sent (the earliest provider), for issues the state says were sent;
    and the issues whose campaign is scheduled or whose send is not settled (their page stays)."""
    sent: dict[str, str] = {}
    pending: set[str] = set()
    for record in load_state(settings.state_dir).records():
        if record.status == "sent":
            when = record.sent_at or record.updated_at
            sent[record.issue] = min(sent.get(record.issue, when), when)
        elif record.status in UNSETTLED:
            pending.add(record.issue)
    return sent, pending - set(sent)


def _feed_id(settings: Settings, stem: str) -> str:
    base = _base_url(settings)
    if base:
        return f"{base}{stem}.html"
    # Stable without a web address: the same issue keeps the same id on every build.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"newsletter:{settings.newsletter.name}:{stem}").urn


# Visits of the archive are not email clicks: its links say so (issue 11 §6).
WEB_MEDIUM = "web"

# The web page replaces the unsubscribe link by the subscription page on purpose.
_IGNORED_ON_THE_WEB = frozenset({"unsubscribe"})


def _web_page(settings: Settings, issue: Issue, source: str, local_images: tuple[LocalImage, ...] = ()) -> tuple[str, list[Problem]]:
    """The email's HTML for the web, with a way back to the index and the feed announced,
    and the error-level problems that keep it from being published (a draft left unfinished)."""
    news = settings.newsletter
    result = render_issue(
        settings,
        issue,
        source=source,
        provider=Provider.outbox,
        extra_context={"web_link": None, "unsubscribe": news.subscribe_url or "", "archive": True},
        local_images=local_images,
        utm_medium=WEB_MEDIUM,
    )
    blocking = [p for p in result.errors if p.code not in _IGNORED_ON_THE_WEB]
    document = result.html
    title = html_lib.escape(f"Les lettres de {news.name} (Atom)")
    head = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="feed.xml">'
    base = _base_url(settings)
    if base:
        head += f'<link rel="canonical" href="{html_lib.escape(base + issue.stem + ".html")}">'
    document = re.sub(r"</head>", lambda _match: head + "</head>", document, count=1, flags=re.IGNORECASE)
    link = theme_palette(settings.file.theme.primary_color, settings.file.theme.accent_color).light.link
    # 16 px side padding: at 375 px the email's cards reach the edge, the link must not; the
    # nl-link class gives it the email's dark-mode link colour.
    nav = (
        '<div class="archive-nav" style="max-width:640px;margin:0 auto;padding:14px 16px 0;'
        'font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;font-size:15px;">'
        f'<a href="index.html" class="nl-link" style="display:inline-block;padding:10px 0;color:{link};font-weight:600;text-decoration:none;">'
        f"&larr; Toutes les lettres de {html_lib.escape(news.name)}</a></div>"
    )
    match = re.search(r"<body[^>]*>", document, flags=re.IGNORECASE)
    if match is not None:
        document = document[: match.end()] + nav + document[match.end():]
    return document, blocking


MANIFEST = "archive.json"  # in the state folder: nothing foreign in the published site
MANIFEST_VERSION = 1


class _Front(BaseModel):
    """What the index and the feed need from an issue's front matter (kept in the manifest)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    title: str
    subject: str
    preheader: str
    number: int | None
    date: dt.date


class _PageStamp(BaseModel):
    """The page as this tool wrote it: a page edited or deleted since is rebuilt."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    size: int
    mtime_ns: int


class _Built(BaseModel):
    """One issue in the manifest: the key of its inputs, and what came of them (a page, or a skip)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    key: str
    front: _Front | None = None
    page: _PageStamp | None = None
    skipped: str | None = None


class _Manifest(BaseModel):
    """`state/archive.json`: site folder (absolute) -> issue stem -> what was built there."""

    model_config = ConfigDict(extra="ignore")

    version: int
    sites: dict[str, dict[str, _Built]]


def _load_manifest(path: Path) -> _Manifest:
    """What the previous builds made; anything unreadable means "nothing known" (all is rebuilt)."""
    empty = _Manifest(version=MANIFEST_VERSION, sites={})
    try:
        manifest = _Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return empty
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        logger.info(_("the archive manifest {path} is unreadable ({reason}): every page is rebuilt").format(path=path, reason=type(exc).__name__))
        return empty
    return manifest if manifest.version == MANIFEST_VERSION else empty


def _inputs_fingerprint(settings: Settings) -> str:
    """A hash of what every page depends on besides its issue: the package version, the whole
    configuration, and every file of the theme (the workspace's templates/ and the default one).

    Wider than what a page strictly uses (an edit of the index template rebuilds the pages too),
    never narrower: a stale page is worse than a second of rendering.
    """
    from newsletter.workspace import default_theme_dir

    digest = hashlib.sha256()
    digest.update(f"newsletter {__version__}\0".encode())
    digest.update(repr(settings.file).encode())  # every key of newsletter.toml, defaults included
    for folder in dict.fromkeys((settings.templates_dir.resolve(), default_theme_dir().resolve())):
        if not folder.is_dir():
            continue
        digest.update(f"\0{folder}\0".encode())
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(f"{path.relative_to(folder)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _issue_key(fingerprint: str, source: str, sent_at: str | None) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(f"\0{sent_at or ''}\0".encode())
    digest.update(source.encode("utf-8"))
    return digest.hexdigest()


def _stamp(path: Path) -> _PageStamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _PageStamp(size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _write_if_changed(path: Path, text: str) -> bool:
    """Write `text` unless the file already holds it (a publish then sees it unchanged)."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data, durable=False)
    return True


def _entry(settings: Settings, stem: str, front: _Front, sent_at: str | None) -> ArchiveEntry:
    news = settings.newsletter
    base = _base_url(settings)
    updated = sent_at or dt.datetime.combine(front.date, dt.time(0, 0), tzinfo=settings.tz).isoformat(timespec="seconds")
    return ArchiveEntry(
        stem=stem, title=front.title or news.title, subject=front.subject, preheader=front.preheader,
        number=front.number, date=front.date, date_label=french_date(front.date, "d MMMM yyyy", news.locale),
        page=f"{stem}.html", url=f"{base}{stem}.html" if base else None,
        feed_id=_feed_id(settings, stem), updated=updated,
    )


def _build_page(settings: Settings, path: Path, source: str, out: Path, key: str) -> _Built:
    """Render one issue's page and write it; or say why it is not published."""
    try:
        issue, local_images = parse_for_render(settings, source, path)
    except IssueError as exc:
        return _Built(key=key, skipped=_("it does not parse: {problem}").format(problem=exc.problems[0] if exc.problems else exc.message))
    page, blocking = _web_page(settings, issue, source, local_images)
    if blocking:
        first = blocking[0]
        where = _("line {line}: {problem}").format(line=first.line, problem=first.message) if first.line else first.message
        return _Built(
            key=key,
            skipped=ngettext(
                "not published: {n} check at error level: {first}", "not published: {n} checks at error level, first {first}", len(blocking)
            ).format(n=formats.integer(len(blocking)), first=where),
        )
    target = out / f"{issue.stem}.html"
    write_atomic(target, page)
    front = issue.front
    summary = _Front(title=front.title, subject=front.subject, preheader=front.preheader, number=front.number, date=front.date)
    return _Built(key=key, front=summary, page=_stamp(target))


def build_archive(
    settings: Settings,
    *,
    out_dir: Path | None = None,
    include_all: bool = False,
    now: dt.datetime,
    unconfirmed: Mapping[str, str] | None = None,
) -> ArchiveReport:
    """Write `<stem>.html` for each published issue, `index.html` and `feed.xml` into out_dir (default site/).

    Published means sent according to the state, or every issue with `include_all`. An issue
    file that does not parse is skipped (its reason is in `skipped`); the rest still builds.
    The page of an issue whose campaign is scheduled, not settled, or in `unconfirmed` (stem ->
    why the provider could not confirm it; see tracking.confirm_statuses) is never removed:
    the email's "Voir dans le navigateur" link may point at it.

    Incremental: `state/archive.json` keeps, per site folder and issue, a hash of its inputs (its text,
    its sent time, the configuration, the theme files, the package version). A page whose inputs
    did not change and that is still as written is not rendered again; the index and the feed
    are rewritten only when their text changes.
    """
    out = out_dir or settings.path(DEFAULT_DIR)
    news = settings.newsletter
    warnings: list[str] = []
    base = _base_url(settings)
    if base is None:
        warnings.append(
            _(
                "web_url is not set in [newsletter]: the site uses relative links only, the feed has no absolute "
                "links, and the emails leave out their 'Voir dans le navigateur' link"
            )
        )
    sent, pending = ({}, set()) if include_all else _sent_times(settings)
    unsure = dict(unconfirmed or {})
    kept = (pending | set(unsure)) - set(sent)
    files = sorted(settings.issues_dir.glob("*.md")) if settings.issues_dir.is_dir() else []
    manifest_path = settings.state_dir / MANIFEST
    manifest = _load_manifest(manifest_path)
    site_key = str(out.resolve())
    known = manifest.sites.get(site_key, {})
    fingerprint = _inputs_fingerprint(settings)
    built: dict[str, _Built] = {}
    rebuilt: list[str] = []
    entries: list[ArchiveEntry] = []
    skipped: list[tuple[Path, str]] = []
    unpublished: list[str] = []
    try:
        for path in files:
            if not include_all and path.stem not in sent:
                if path.stem not in kept:
                    unpublished.append(path.stem)
                continue
            try:
                source = read_issue_text(path)
            except UsageError as exc:  # a folder, a dead link, no permission: the other issues still build
                result = _Built(key="", skipped=_("it cannot be read: {reason}").format(reason=exc.message))
            except IssueError as exc:
                result = _Built(key="", skipped=_("it does not parse: {problem}").format(problem=exc.problems[0] if exc.problems else exc.message))
            else:
                key = _issue_key(fingerprint, source, sent.get(path.stem))
                previous = known.get(path.stem)
                if previous is not None and previous.key == key and (
                    previous.skipped is not None or (previous.page is not None and _stamp(out / f"{path.stem}.html") == previous.page)
                ):
                    result = previous
                else:
                    result = _build_page(settings, path, source, out, key)
                    rebuilt.append(path.stem)
                built[path.stem] = result
            if result.skipped is not None:
                logger.info(_("skipped {path}: {reason}").format(path=path, reason=result.skipped))
                skipped.append((path, result.skipped))
                continue
            assert result.front is not None
            entries.append(_entry(settings, path.stem, result.front, sent.get(path.stem)))
    finally:
        # Even when a page fails to render (a broken template), the pages already written are known.
        if built != known:
            sites = {**manifest.sites, site_key: built}
            write_atomic(manifest_path, _Manifest(version=MANIFEST_VERSION, sites=sites).model_dump_json(indent=1) + "\n", durable=False)
    entries.sort(key=lambda e: (e.date, e.number or 0, e.stem), reverse=True)
    context: dict[str, Any] = {
        "news": news,
        "theme": settings.file.theme,
        "palette": theme_palette(settings.file.theme.primary_color, settings.file.theme.accent_color),
        "entries": entries,
        "base_url": base,
        "feed_id": f"{base}feed.xml" if base else uuid.uuid5(uuid.NAMESPACE_URL, f"newsletter:{news.name}:feed").urn,
        "feed_updated": max((e.updated for e in entries), default=now.isoformat(timespec="seconds")),
        "generated": french_date(now.date(), "d MMMM yyyy", news.locale),
        "author": news.organisation or news.name,
    }
    env = template_environment(settings)
    _write_if_changed(out / "index.html", render_template(env, INDEX_TEMPLATE, context))
    _write_if_changed(out / "feed.xml", render_template(env, FEED_TEMPLATE, context))
    images = copy_images(settings, out)
    _remove_withdrawn(out, {path.stem for path in files}, {entry.stem for entry in entries} | kept)
    stems = {path.stem for path in files}
    return ArchiveReport(
        out_dir=out, entries=tuple(entries), skipped=tuple(skipped), unpublished=tuple(unpublished),
        warnings=tuple(warnings), images=images, rebuilt=tuple(rebuilt), kept=tuple(sorted(kept & stems)),
        unconfirmed=tuple(sorted(unsure.items())),
    )


def _remove_withdrawn(out: Path, issue_stems: set[str], published: set[str]) -> None:
    """Delete the page of an issue that is no longer published (now unfinished, or not sent).

    Only pages named after an issue file of issues/ are touched: other files in the site stay.
    """
    for stem in sorted(issue_stems - published):
        page = out / f"{stem}.html"
        if page.is_file():
            page.unlink()
            logger.info(_("removed {path}: the issue is no longer published").format(path=page))


def write_issue_page(settings: Settings, issue_path: Path, out_dir: Path | None = None) -> Path:
    """Write one issue's web page into the site without listing it in the index or the feed.

    `send` publishes it before the campaign goes out, so the email's "Voir dans le navigateur"
    link works from the first minute; `build_archive` lists it once the state says it was sent
    (and removes it again if the issue is never sent).
    """
    out = out_dir or settings.path(DEFAULT_DIR)
    name, page = build_issue_page(settings, issue_path)
    target = out / name
    _write_if_changed(target, page)
    return target


def build_issue_page(settings: Settings, issue_path: Path) -> tuple[str, str]:
    """One issue's web page, in memory: its file name in the site and its HTML (`send --dry-run` compares it, writing nothing)."""
    source = read_issue_text(issue_path)
    issue, local_images = parse_for_render(settings, source, issue_path)
    page, blocking = _web_page(settings, issue, source, local_images)
    if blocking:
        first = blocking[0]
        raise IssueError(
            ngettext(
                "the web page of {path} cannot be built: {count} check at error level",
                "the web page of {path} cannot be built: {count} checks at error level",
                len(blocking),
            ).format(path=issue_path, count=len(blocking)),
            problems=[f"{issue_path}:{p.line}: {p.message}" if p.line else p.message for p in blocking],
            hint=_("fix them (`newsletter check {path}` lists them), then run the command again; first: {first}").format(path=issue_path, first=first.message),
        )
    return f"{issue.stem}.html", page


def copy_images(settings: Settings, out_dir: Path) -> int:
    """Copy the workspace's images/ into the site: the emails link them as <web_url>images/…."""
    return _publish_images(settings.root / "images", out_dir / "images")


def _publish_images(source: Path, target: Path) -> int:
    if not source.is_dir():
        return 0
    copied = 0
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            destination = target / path.relative_to(source)
            if not destination.exists() or destination.read_bytes() != path.read_bytes():
                write_atomic(destination, path.read_bytes(), durable=False)
            copied += 1
    return copied
