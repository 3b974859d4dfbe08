"""Commands that render an issue: `render`, `check` and `preview`."""

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter import formats
from newsletter.cli.app import AppContext, IssueArg, ProviderOpt, app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import _, ngettext

if TYPE_CHECKING:
    from newsletter.config import Settings


@app.command(
    help=_(
        "Render an issue to build/<issue>.html, .txt and .mjml, and check it.\n\n"
        "Example: newsletter render issues/2026-12.md --open"
    )
)
def render(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help=_("Output folder (default: build/ of the workspace)."))] = None,
    open_browser: Annotated[bool, typer.Option("--open", help=_("Open the HTML in the browser."))] = False,
) -> None:
    """`newsletter render`: the help is the decorator's, in the user's language."""
    app_ctx = app_context(ctx)
    settings = app_ctx.settings(provider)
    issue = app_ctx.issue_path(settings, issue)
    from newsletter.cli.printers import print_render_report
    from newsletter.render.pipeline import render_to_files

    result = app_ctx.guard(lambda: render_to_files(settings, issue, out_dir=out))
    print_render_report(app_ctx.output, result)
    if open_browser and result.html_path is not None:
        import webbrowser

        webbrowser.open(result.html_path.resolve().as_uri())
    if result.has_errors:
        raise typer.Exit(int(ExitCode.FAILURE))


@app.command(
    help=_(
        "Run the email rules on an issue without writing files; exit 1 on any error (for CI).\n\n"
        "With --fix, the French typography of the file is fixed first (no-break spaces, 1er, and ’ "
        'when [typography] apostrophe = "typographic"), then checked.\n\n'
        "Example: newsletter check issues/2026-12.md --links"
    )
)
def check(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    links: Annotated[bool, typer.Option("--links", help=_("Also fetch every link and image and report broken ones."))] = False,
    fix: Annotated[bool, typer.Option("--fix", help=_("First fix the French typography in the issue file (a backup copy is kept next to it) and list each change."))] = False,
) -> None:
    """`newsletter check` (and `check --fix`): the help is the decorator's, in the user's language."""
    app_ctx = app_context(ctx)
    settings = app_ctx.settings(provider)
    issue = app_ctx.issue_path(settings, issue)
    from newsletter.cli.printers import print_render_report
    from newsletter.render.pipeline import check_issue

    if fix:
        import datetime as dt

        from newsletter.cli.printers import print_typography_fixes
        from newsletter.typography import fix_issue_file

        with app_ctx.workspace_lock(settings, "check --fix"):
            fixed = app_ctx.guard(lambda: fix_issue_file(issue, apostrophes=settings.typographic_apostrophes, now=dt.datetime.now(settings.tz)))
        print_typography_fixes(app_ctx.output, issue, fixed)

    result = app_ctx.guard(lambda: check_issue(settings, issue))
    if links:
        from newsletter.linkcheck import with_link_problems

        result = app_ctx.guard(lambda: with_link_problems(result))
    print_render_report(app_ctx.output, result)
    if result.has_errors:
        raise typer.Exit(int(ExitCode.FAILURE))


@app.command(
    help=_(
        "Serve a live preview: phone and desktop widths, text part and checks, re-rendered on save.\n\n"
        "Example: newsletter preview issues/2026-12.md"
    )
)
def preview(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    # No min/max here: Click would print "0<=x<=65535" in the help; the range is checked below.
    port: Annotated[int, typer.Option("--port", metavar="PORT", help=_("Local port, 0 to 65535 (0 picks a free one)."))] = 8025,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help=_("Open the preview in the browser."))] = True,
) -> None:
    """`newsletter preview`: the help is the decorator's, in the user's language."""
    app_ctx = app_context(ctx)
    if not 0 <= port <= 65535:
        app_ctx.fail(_("--port {port} is not a port number: give 0 to 65535 (0 picks a free one)").format(port=port), code=ExitCode.USAGE)
    settings = app_ctx.settings(provider)
    issue = app_ctx.issue_path(settings, issue)
    app_ctx.guard(lambda: serve_preview(app_ctx, settings, issue, port=port, open_browser=open_browser))


def wait_for_interrupt() -> None:
    """Block until Ctrl-C (a short sleep loop, so the signal is handled at once on every OS)."""
    while True:
        time.sleep(0.5)


def serve_preview(app_ctx: AppContext, settings: "Settings", issue_path: Path, *, port: int, open_browser: bool) -> None:
    """Serve the live preview until Ctrl-C; print the address and one line per re-render."""
    from newsletter.cli.output import escape
    from newsletter.errors import UsageError
    from newsletter.preview import PreviewServer, PreviewState

    output = app_ctx.output
    if not issue_path.is_file():
        raise UsageError(
            _("issue file not found: {path}").format(path=issue_path),
            hint=_("check the path; issues live in issues/ and are named YYYY-MM.md, for example 2026-12.md"),
        )

    def report(state: PreviewState) -> None:
        if state.error:
            output.warn(_("render failed: {reason}").format(reason=state.error), problems=state.details)
        elif state.result is not None and state.version > 1:
            errors, warnings = len(state.result.errors), len(state.result.warnings)
            output.note(
                _("re-rendered {name} at {time}: {errors}, {warnings}").format(
                    name=issue_path.name,
                    time=state.rendered_at,
                    errors=ngettext("{n} error", "{n} errors", errors).format(n=formats.integer(errors)),
                    warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=formats.integer(warnings)),
                )
            )

    server = PreviewServer(settings, issue_path, port=port, on_render=report)
    server.start()
    try:
        message = _("Preview of {issue} at {url} (re-rendered on every save; press Ctrl+C to stop)")
        output.note(message.format(issue=escape(str(issue_path)), url=f"[bold]{server.url}[/bold]"), markup=True)
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        wait_for_interrupt()
    except KeyboardInterrupt:
        output.note(_("Preview stopped."))
    finally:
        server.stop()
