"""`newsletter send`: push the issue's campaign, then test, schedule or send it."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter.choices import Provider
from newsletter.cli.app import IssueArg, app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import _

if TYPE_CHECKING:
    from newsletter.cli.output import Output
    from newsletter.send import Confirmation


def confirm_prompt(output: "Output", *, yes: bool, interactive: bool) -> "Callable[[Confirmation], bool]":
    """The question asked before mail goes to the lists; refuses without a terminal unless --yes."""
    from newsletter import formats
    from newsletter.cli.printers import format_moment, labelled_lines
    from newsletter.errors import UsageError
    from newsletter.i18n import ngettext

    def subscribers(count: int) -> str:
        return ngettext("{n} subscriber", "{n} subscribers", count).format(n=formats.integer(count))

    def ask(c: "Confirmation") -> bool:
        from newsletter.i18n import ngettext

        if c.warnings:
            count = len(c.warnings)
            output.warn(ngettext("the check found {count} warning on the issue:", "the check found {count} warnings on the issue:", count).format(count=count), problems=c.warnings)
        when = _("NOW") if c.when is None else format_moment(c.when)
        lists = ", ".join(
            _("{name} (id {id}, {subscribers})").format(name=lst.name, id=lst.id, subscribers=subscribers(lst.subscribers)) for lst in c.lists
        )
        about = _("About to send on {provider}:") if c.when is None else _("About to schedule on {provider}:")
        output.note(about.format(provider=c.provider))
        rows = [(_("subject"), c.subject), (_("lists"), lists), (_("subscribers"), formats.integer(c.subscribers))]
        if c.moving_from is not None:
            rows.append((_("moving from"), format_moment(c.moving_from)))
        rows.append((_("time"), when))
        for line in labelled_lines(rows, gap=1):
            output.note("  " + line)
        if yes:
            return True
        if not interactive:
            raise UsageError(
                _("refusing to send without a confirmation: there is no terminal to ask on"),
                hint=_("run the command in a terminal, or pass --yes once you are sure"),
            )
        from newsletter.cli.prompts import ask_yes_no

        return ask_yes_no(
            _("Go ahead?"),
            default=False,
            read=lambda prompt: str(typer.prompt(prompt, default="", show_default=False, err=True, prompt_suffix="")),
            say=output.note,
        )

    return ask


@app.command(
    help=_(
        "Create or update the issue's campaign on the provider, then test, schedule or send it.\n\n"
        "Never duplicates: a second run updates the same campaign, and a sent campaign is never sent again.\n\n"
        'Example: newsletter send issues/2026-12.md --schedule "2026-12-08 09:30"'
    )
)
def send(
    ctx: typer.Context,
    issue: IssueArg,
    provider: Annotated[
        Provider | None,
        typer.Option("--provider", help=_("brevo, mailjet or outbox (default: the configured one)."), envvar="NEWSLETTER_PROVIDER", show_envvar=True),
    ] = None,
    test: Annotated[bool, typer.Option("--test", help=_("Send a test to --to or to the configured test_emails."))] = False,
    to: Annotated[list[str] | None, typer.Option("--to", metavar=_("ADDRESS"), help=_("A test address (repeat for several)."))] = None,
    schedule: Annotated[
        str | None, typer.Option("--schedule", metavar=_('"YYYY-MM-DD HH:MM"'), help=_('Send to the lists at this local time, for example "2026-12-08 09:30".'))
    ] = None,
    now: Annotated[bool, typer.Option("--now", help=_("Send to the lists now."))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Check everything and say what would be done; change nothing."))] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation before sending or scheduling."))] = False,
) -> None:
    # The help is the decorator's (translated): push the campaign, then test, schedule or send it.
    app_ctx = app_context(ctx)
    if sum((test or bool(to), schedule is not None, now)) > 1:
        app_ctx.fail(_("choose one of --test, --schedule and --now"), code=ExitCode.USAGE)
    settings = app_ctx.settings(provider)
    issue = app_ctx.issue_path(settings, issue)
    import datetime as dt

    from newsletter.cli.printers import print_send_report
    from newsletter.providers import build_provider
    from newsletter.send import Action, check_request, send_issue

    action = Action.test if test or to else Action.schedule if schedule is not None else Action.now if now else Action.push
    clock = lambda: dt.datetime.now(settings.tz)  # noqa: E731
    ask = confirm_prompt(app_ctx.output, yes=yes, interactive=sys.stdin.isatty())
    # A mistyped date or a missing test address stops here, before anything is put online.
    app_ctx.guard(lambda: check_request(settings, action=action, test_to=to or (), schedule=schedule, now=dt.datetime.now(settings.tz)))
    with app_ctx.workspace_lock(settings, "send"):
        if action is not Action.push:
            from newsletter.cli.publish import put_issue_online

            # The email links its images and web page under web_url: they go online first.
            strict = action is not Action.test and settings.provider is not Provider.outbox
            put_issue_online(app_ctx, settings, issue, strict=strict, dry_run=dry_run)
        chosen = app_ctx.guard(lambda: build_provider(settings, now=clock, policy=app_ctx.retry_policy()))
        try:
            report = app_ctx.guard(
                lambda: send_issue(settings, chosen, issue, action=action, test_to=to or (), schedule=schedule, dry_run=dry_run, confirm=ask, now=clock)
            )
        finally:
            chosen.close()
    outbox: Path | None = settings.path(settings.file.outbox.dir) if settings.provider is Provider.outbox else None
    print_send_report(app_ctx.output, report, outbox_dir=outbox)
