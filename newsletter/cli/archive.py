"""`newsletter archive`: the web archive of the sent issues."""

from pathlib import Path
from typing import Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.cli.publish import AcceptKeyOpt
from newsletter.i18n import _


@app.command(
    help=_(
        "Build the web archive: one page per sent issue, an index and an Atom feed (a static site).\n\n"
        "Campaigns the state says are scheduled are first checked on the provider (its API key is "
        "needed then; without it, or offline, their pages are kept as they are).\n\n"
        "Example: newsletter archive --publish"
    )
)
def archive(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help=_("Folder of the site (default: site/ of the workspace)."))] = None,
    include_all: Annotated[bool, typer.Option("--all", help=_("Publish every issue, not only those sent (per the state)."))] = False,
    publish: Annotated[bool, typer.Option("--publish", help=_("Then upload the site to [publish] target (as `newsletter publish`)."))] = False,
    accept_host_key: AcceptKeyOpt = None,
) -> None:
    # The help is the decorator's (translated): build the static site of the sent issues.
    app_ctx = app_context(ctx)
    settings = app_ctx.settings()
    import datetime as dt

    from newsletter.archive import build_archive
    from newsletter.cli.printers import print_archive_report
    from newsletter.tracking import confirm_statuses

    def clock() -> dt.datetime:
        return dt.datetime.now(settings.tz)

    if publish:  # a missing or bad target stops the command before the build, not after
        from newsletter.publish.pipeline import require_target

        app_ctx.guard(lambda: require_target(settings))
    with app_ctx.workspace_lock(settings, "archive"):
        # A scheduled campaign may have been sent since: ask its provider first (--all publishes every issue anyway).
        unconfirmed = {} if include_all else app_ctx.guard(lambda: confirm_statuses(settings, now=clock, policy=app_ctx.retry_policy()))
        report = app_ctx.guard(lambda: build_archive(settings, out_dir=out, include_all=include_all, now=clock(), unconfirmed=unconfirmed))
        print_archive_report(app_ctx.output, report)
        if publish:
            from newsletter.cli.printers import print_publish_report
            from newsletter.cli.publish import run_publish

            print_publish_report(app_ctx.output, run_publish(app_ctx, settings, report.out_dir, dry_run=False, accept_key=accept_host_key))
