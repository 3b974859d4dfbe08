"""`newsletter publish`: put the site that `archive` built online, on the configured target."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter import formats
from newsletter.cli.app import app, app_context
from newsletter.i18n import _

if TYPE_CHECKING:
    from newsletter.cli.app import AppContext
    from newsletter.config import Settings
    from newsletter.publish.pipeline import PublishReport

SITE_DIR = "site"  # archive.DEFAULT_DIR, without importing the archive (and the renderer) to publish
SiteOpt = Annotated[Path | None, typer.Option("--site", help=_("Folder of the site (default: site/ of the workspace)."))]
AcceptKeyOpt = Annotated[
    str | None,
    typer.Option("--accept-host-key", metavar="SHA256:…", help=_("Trust the SFTP server's host key with this fingerprint (checked with its administrator), then publish.")),
]


def run_publish(app_ctx: "AppContext", settings: "Settings", site: Path | None, *, dry_run: bool, accept_key: str | None) -> "PublishReport":
    """Publish the whole site with a progress bar (the caller holds the workspace lock)."""
    from newsletter.cli.printers import byte_progress
    from newsletter.publish.pipeline import connection_for, publish_site, require_target

    target = app_ctx.guard(lambda: require_target(settings))
    with byte_progress(app_ctx.output, _("Publishing")) as progress:
        return app_ctx.guard(
            lambda: publish_site(
                settings, site or settings.path(SITE_DIR), target=target,
                connection=connection_for(settings, accept_key=accept_key), dry_run=dry_run, progress=progress,
            )
        )


@app.command(
    help=_(
        "Upload the site built by `newsletter archive` to [publish] target: only what changed.\n\n"
        "Removes on the server only the files it published itself and the site no longer has. "
        "The password comes from NEWSLETTER_PUBLISH_PASSWORD, never from newsletter.toml.\n\n"
        "Example: newsletter publish --dry-run"
    )
)
def publish(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Say what would be sent and removed; connect to nothing."))] = False,
    site: SiteOpt = None,
    accept_host_key: AcceptKeyOpt = None,
) -> None:
    """`newsletter publish`: the help text is in the decorator, for the catalog."""
    from newsletter.cli.printers import print_publish_report

    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    with app_ctx.workspace_lock(settings, "publish"):
        report = run_publish(app_ctx, settings, site, dry_run=dry_run, accept_key=accept_host_key)
    print_publish_report(app_ctx.output, report)


def put_issue_online(app_ctx: "AppContext", settings: "Settings", issue: Path, *, strict: bool, dry_run: bool) -> None:
    """Before `send`: publish the issue's images and page to the target, else check its images answer.

    `strict` (schedule or send now, to a real provider) refuses on failure; otherwise (a test,
    the outbox) a failure is only a warning.
    """
    from newsletter.cli.printers import byte_progress
    from newsletter.errors import NewsletterError
    from newsletter.i18n import ngettext
    from newsletter.publish.online import check_images_online, issue_images, publish_issue
    from newsletter.publish.pipeline import configured_target

    output = app_ctx.output

    def run() -> None:
        target = configured_target(settings)
        if target is None:
            if not issue_images(settings, issue):
                return
            from newsletter.http import build_client

            with build_client(timeout=settings.file.fetch.timeout) as client:
                count = check_images_online(settings, issue, client)
            output.note(ngettext("The issue's image is online", "The {count} images of the issue are online", count).format(count=count))
            return
        with byte_progress(output, _("Publishing")) as progress:
            report = publish_issue(settings, issue, target=target, dry_run=dry_run, progress=progress)
        if report.dry_run and report.sent:
            output.note(
                _("Dry run: would publish to {target}: {files} (files of the issue already there: {unchanged})").format(
                    target=report.target, files=", ".join(report.sent), unchanged=formats.integer(len(report.unchanged))
                )
            )
        elif report.dry_run:
            output.note(_("Dry run: the issue's images and web page are already on {target}: nothing to publish").format(target=report.target))
        else:
            sent = ngettext("{sent} file sent", "{sent} files sent", len(report.sent)).format(sent=len(report.sent))
            output.note(
                _("Published the issue's images and web page to {target}: {sent}, {unchanged} already there "
                  "(the page stays out of the index and the feed until the campaign is sent)").format(
                    target=report.target, sent=sent, unchanged=len(report.unchanged)
                )
            )

    if strict:
        app_ctx.guard(run)
        return
    try:
        run()
    except NewsletterError as exc:
        output.warn(_("{message} ({hint})").format(message=exc.message, hint=exc.hint) if exc.hint else exc.message, problems=exc.problems)
