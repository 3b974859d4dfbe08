"""Before a campaign goes out: the issue's images (and its web page) must be online under web_url.

With a [publish] target, they are published (only those files) and a successful publish is the
proof: no other network access. Without one, each image URL is asked for (HEAD, then GET for a
server that refuses HEAD) and the missing ones are named.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from newsletter.archive import DEFAULT_DIR, build_issue_page, copy_images, write_issue_page
from newsletter.config import Settings
from newsletter.errors import ImagesOfflineError, UsageError
from newsletter.i18n import _, ngettext
from newsletter.issue import load_issue
from newsletter.publish.pipeline import (
    Progress,
    PublishReport,
    connection_for,
    preview_publish,
    publish_site,
)
from newsletter.publish.target import PublishTarget

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssueImage:
    """An image the email shows, by its URL and its path in the site (under web_url)."""

    url: str
    path: str


def issue_images(settings: Settings, issue_path: Path) -> list[IssueImage]:
    """The images of the issue (and the logo) that live under web_url; others are someone else's to host."""
    base = settings.newsletter.web_url
    if not base:
        return []
    base = base.rstrip("/") + "/"
    issue = load_issue(issue_path, settings.file.sections)
    urls = [image.src for image in issue.images]
    if settings.newsletter.logo_url:
        urls.append(settings.newsletter.logo_url)
    found: dict[str, IssueImage] = {}
    for url in urls:
        if url.startswith(base):
            path = unquote(urlsplit(url[len(base):]).path)
            if path and not path.endswith("/"):
                found.setdefault(url, IssueImage(url, path))
    return list(found.values())


def missing_images(client: httpx.Client, images: Iterable[IssueImage]) -> list[IssueImage]:
    """The images that do not answer 2xx to HEAD nor, for a server that refuses HEAD, to GET."""
    import httpx

    missing: list[IssueImage] = []
    for image in images:
        try:
            answer = client.head(image.url)
            if answer.status_code >= 400:
                with client.stream("GET", image.url) as streamed:
                    answer = streamed
            if not answer.is_success:
                logger.info("%s answered %s", image.url, answer.status_code)
                missing.append(image)
        except httpx.HTTPError as exc:
            logger.info("%s: %s", image.url, exc)
            missing.append(image)
    return missing


def check_images_online(settings: Settings, issue_path: Path, client: httpx.Client) -> int:
    """Raise ImagesOfflineError naming every image of the issue that is not online; return how many were checked."""
    images = issue_images(settings, issue_path)
    missing = missing_images(client, images)
    if missing:
        raise ImagesOfflineError(
            ngettext(
                "{count} image of {issue} is not online yet: the subscribers would get an email with a broken image",
                "{count} images of {issue} are not online yet: the subscribers would get an email with broken images",
                len(missing),
            ).format(
                count=len(missing), issue=issue_path
            ),
            problems=[image.url for image in missing],
            hint=_("upload the site's images: set [publish] target in newsletter.toml and run `newsletter archive --publish` "
                   "(or copy site/images/ to {base}images/ yourself), then run the same command again").format(
                base=(settings.newsletter.web_url or "").rstrip("/") + "/"
            ),
        )
    return len(images)


def publish_issue(
    settings: Settings,
    issue_path: Path,
    *,
    target: PublishTarget,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> PublishReport:
    """Publish the issue's images and its web page (not listed in the index or the feed) to `target`."""
    site = settings.path(DEFAULT_DIR)
    images = issue_images(settings, issue_path)
    local = settings.root / "images"
    absent = [image for image in images if not (local / image.path.removeprefix("images/")).is_file() or not image.path.startswith("images/")]
    if absent:
        raise UsageError(
            ngettext(
                "the email links {count} image under web_url that is not in the workspace's images/ folder",
                "the email links {count} images under web_url that are not in the workspace's images/ folder",
                len(absent),
            ).format(count=len(absent)),
            problems=[image.url for image in absent],
            hint=_("put each file in images/ (the site publishes images/ as {base}images/), or fix the link in the issue").format(
                base=(settings.newsletter.web_url or "").rstrip("/") + "/"
            ),
        )
    files = [image.path for image in images]
    if dry_run:  # nothing is written, not even in site/, and nothing connects: compare with the manifest
        name, page = build_issue_page(settings, issue_path)
        contents = {image.path: (local / image.path.removeprefix("images/")).read_bytes() for image in images}
        contents[name] = page.encode("utf-8")
        return preview_publish(settings, target, contents)
    copy_images(settings, site)
    files.append(write_issue_page(settings, issue_path, site).name)
    return publish_site(settings, site, target=target, connection=connection_for(settings), only=files, progress=progress)
