"""`newsletter publish`: send the files of site/ that changed, remove the ones this tool put there and the site dropped."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from newsletter.config import Settings
from newsletter.errors import PublishError, UsageError
from newsletter.i18n import _, ngettext
from newsletter.publish.hashes import SiteHashes
from newsletter.publish.local import LocalRemote
from newsletter.publish.manifest import Files, load_manifest, save_manifest
from newsletter.publish.remote import Connection, Remote
from newsletter.publish.target import PublishTarget, parse_target

logger = logging.getLogger(__name__)

KNOWN_HOSTS = "known_hosts"  # in the state folder: the SSH host keys accepted with --accept-host-key
LAST = ("index.html", "feed.xml")  # sent after the pages they link, removed files go after them too

#: progress(path being sent, bytes sent so far, bytes to send in all)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PublishPlan:
    """What a publish does: files to send (in order), unchanged ones, files to remove."""

    target: PublishTarget
    upload: tuple[str, ...]
    unchanged: tuple[str, ...]
    remove: tuple[str, ...]
    bytes: int


@dataclass(frozen=True)
class PublishReport:
    """What a publish did (or would do, with dry_run)."""

    target: str
    sent: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    bytes: int
    dry_run: bool


def open_remote(target: PublishTarget, connection: Connection) -> Remote:
    """Connect to `target`; PublishError says what went wrong in plain words (never the password)."""
    # Each protocol module is imported only when its target is used: paramiko alone takes a
    # third of a second to import, and `newsletter --help` or `render` need none of them.
    if target.scheme == "file":
        return LocalRemote(Path(target.path))
    if target.scheme in ("ftp", "ftps"):
        from newsletter.publish.ftp import FtpRemote

        return FtpRemote.connect(target, connection)
    if target.scheme == "sftp":
        from newsletter.publish.sftp import SftpRemote

        return SftpRemote.connect(target, connection)
    from newsletter.publish.git import GitRemote

    return GitRemote.connect(target, connection)


def configured_target(settings: Settings) -> PublishTarget | None:
    """`[publish] target`, checked; None when it is not set."""
    text = settings.file.publish.target
    return parse_target(text) if text else None


def require_target(settings: Settings) -> PublishTarget:
    target = configured_target(settings)
    if target is None:
        raise UsageError(
            _("no [publish] target in {config}: newsletter does not know where the site goes").format(config=settings.config_path),
            hint=_('add a [publish] section with target = "sftp://user@host/path/" (or ftp://, ftps://, file://, git+ssh://), '
                   "and the password in the NEWSLETTER_PUBLISH_PASSWORD environment variable"),
        )
    return target


def connection_for(settings: Settings, *, accept_key: str | None = None) -> Connection:
    """How to connect: the password from the environment, the timeout, the accepted host keys."""
    password = settings.secrets.publish_password
    ca_file = settings.file.publish.ca_file
    return Connection(
        password=password.get_secret_value() if password is not None else None,
        timeout=settings.file.publish.timeout,
        known_hosts=settings.state_dir / KNOWN_HOSTS,
        accept_key=accept_key,
        ca_file=settings.path(ca_file) if ca_file else None,
    )


def site_files(site_dir: Path) -> dict[str, Path]:
    """Every file of the site by its relative path; hidden files (temporary, .git) are left out."""
    if not site_dir.is_dir():
        raise UsageError(
            _("there is no site to publish in {path}").format(path=site_dir),
            hint=_("run `newsletter archive` first (or `newsletter archive --publish`)"),
        )
    files: dict[str, Path] = {}
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path
    return files


def preview_publish(settings: Settings, target: PublishTarget, contents: dict[str, bytes]) -> PublishReport:
    """A dry run for files held in memory: which of them the manifest says `target` lacks (or holds in another version)."""
    published = load_manifest(settings.state_dir).get(target.display, {})
    changed = tuple(path for path, data in contents.items() if published.get(path) != hashlib.sha256(data).hexdigest())
    unchanged = tuple(path for path in contents if path not in changed)
    return PublishReport(target.display, changed, unchanged, (), sum(len(contents[path]) for path in changed), True)


def plan_publish(
    target: PublishTarget,
    files: dict[str, Path],
    published: Files,
    *,
    digests: Callable[[dict[str, Path]], dict[str, str]],
    only: Collection[str] | None = None,
) -> tuple[PublishPlan, Files]:
    """Compare the site with what the manifest says is on the target; also return the new hashes.

    With `only` (send publishes an issue's images and page), just those files are considered and
    nothing is removed. `digests` hashes the files considered (`SiteHashes.digests`, which keeps
    them between runs).
    """
    chosen = {path: files[path] for path in files if only is None or path in only}
    hashes = digests(chosen)
    changed = [path for path in chosen if published.get(path) != hashes[path]]
    order = sorted(changed, key=lambda p: (p in LAST, LAST.index(p) if p in LAST else 0, p))
    unchanged = tuple(path for path in chosen if path not in changed)
    removed = () if only is not None else tuple(sorted(set(published) - set(files)))
    total = sum(chosen[path].stat().st_size for path in order)
    return PublishPlan(target, tuple(order), unchanged, removed, total), hashes


def publish_site(
    settings: Settings,
    site_dir: Path,
    *,
    target: PublishTarget,
    connection: Connection,
    only: Collection[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    connect: Callable[[PublishTarget, Connection], Remote] = open_remote,
) -> PublishReport:
    """Send what changed since the last publish to `target`, then remove what this tool had sent and the site no longer has.

    Each file arrives whole (a temporary name, then a rename). The manifest records each file
    once it has arrived, even when a later one fails, so running the command again completes
    the publish. With nothing to do, no connection is opened.
    """
    manifest = load_manifest(settings.state_dir)
    published = dict(manifest.get(target.display, {}))
    site_hashes = SiteHashes(settings.state_dir, complete=only is None)
    plan, hashes = plan_publish(target, site_files(site_dir), published, only=only, digests=site_hashes.digests)
    if dry_run or not (plan.upload or plan.remove):
        if not dry_run:
            site_hashes.save()
        return PublishReport(target.display, plan.upload, plan.unchanged, plan.remove, plan.bytes, dry_run)
    sent_bytes = 0
    done: list[str] = []
    removed: list[str] = []
    remote = connect(target, connection)
    try:
        for path in plan.upload:
            base = sent_bytes

            def on_bytes(count: int, path: str = path) -> None:
                nonlocal sent_bytes
                sent_bytes += count
                if progress is not None:
                    progress(path, sent_bytes, plan.bytes)

            if progress is not None:
                progress(path, sent_bytes, plan.bytes)
            remote.put(path, (site_dir / path).read_bytes(), on_bytes)
            sent_bytes = base + (site_dir / path).stat().st_size
            done.append(path)
            if not remote.transactional:
                published[path] = hashes[path]
        for path in plan.remove:
            remote.remove(path)
            removed.append(path)
            if not remote.transactional:
                published.pop(path, None)
        # The commit message of a Git target: written into the site's repository, in English like the tool's name.
        remote.finish(f"newsletter: publish {len(done)} files, remove {len(removed)}")
        if remote.transactional:
            published.update({path: hashes[path] for path in done})
            for path in removed:
                published.pop(path, None)
    except PublishError as exc:
        left = len(plan.upload) - (0 if remote.transactional else len(done))
        what = (
            _("nothing was changed on the target (Git pushes all or nothing)")
            if remote.transactional
            else ngettext(
                "{done} of {total} file was sent (each file arrives whole or not at all)",
                "{done} of {total} files were sent (each file arrives whole or not at all)",
                len(plan.upload),
            ).format(done=len(done), total=len(plan.upload))
        )
        hint = exc.hint or ngettext(
            "fix the cause, then run `newsletter publish` again: it sends only the file still missing",
            "fix the cause, then run `newsletter publish` again: it sends only the {count} files still missing",
            left,
        ).format(count=left)
        raise type(exc)(_("{message}; {what}").format(message=exc.message, what=what), problems=exc.problems, hint=hint) from exc
    finally:
        remote.close()
        manifest[target.display] = published
        save_manifest(settings.state_dir, manifest)
    site_hashes.save()
    logger.info("published %d file(s) to %s, removed %d", len(done), target.display, len(removed))
    return PublishReport(target.display, tuple(done), plan.unchanged, tuple(removed), plan.bytes, False)
