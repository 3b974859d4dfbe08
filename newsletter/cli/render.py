"""Commands that render an issue: `render`, `check` and `preview`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter.cli.app import AppContext, IssueArg, ProviderOpt, app, app_context
from newsletter.errors import ExitCode
from newsletter.i18n import N_, _

if TYPE_CHECKING:
    from newsletter.config import Settings


@app.command()
def render(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: build/ of the workspace).")] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the HTML in the browser.")] = False,
) -> None:
    """Render an issue to build/<issue>.html, .txt and .mjml, and check it.

    Example: newsletter render issues/2026-12.md --open
    """
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


@app.command()
def check(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    links: Annotated[bool, typer.Option("--links", help="Also fetch every link and image and report broken ones.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help=N_("First fix the French typography in the issue file (a backup copy is kept next to it) and list each change."))] = False,
) -> None:
    """Run the email rules on an issue without writing files; exit 1 on any error (for CI).

    With --fix, the French typography of the file is fixed first (no-break spaces, 1er, and ’
    when [typography] apostrophe = "typographic"), then checked.

    Example: newsletter check issues/2026-12.md --links
    """
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


@app.command()
def preview(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    # No min/max here: Click would print "0<=x<=65535" in the help; the range is checked below.
    port: Annotated[int, typer.Option("--port", help="Local port, 0 to 65535 (0 picks a free one).")] = 8025,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open the preview in the browser.")] = True,
) -> None:
    """Serve a live preview: phone and desktop widths, text part and checks, re-rendered on save.

    Example: newsletter preview issues/2026-12.md
    """
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


def serve_preview(app_ctx: AppContext, settings: Settings, issue_path: Path, *, port: int, open_browser: bool) -> None:
    """Serve the live preview until Ctrl-C; print the address and one line per re-render."""
    from newsletter.cli.output import escape
    from newsletter.errors import UsageError
    from newsletter.preview import PreviewServer, PreviewState

    output = app_ctx.output
    if not issue_path.is_file():
        raise UsageError(f"issue file not found: {issue_path}", hint="check the path; issues live in issues/ and are named YYYY-MM.md")

    def report(state: PreviewState) -> None:
        if state.error:
            output.warn(f"render failed: {state.error}", problems=state.details)
        elif state.result is not None and state.version > 1:
            output.note(
                f"re-rendered {issue_path.name} at {state.rendered_at}: "
                f"{len(state.result.errors)} error(s), {len(state.result.warnings)} warning(s)"
            )

    server = PreviewServer(settings, issue_path, port=port, on_render=report)
    server.start()
    try:
        output.note(f"Preview of {escape(str(issue_path))} at [bold]{server.url}[/bold] (re-rendered on every save; Ctrl-C to stop)", markup=True)
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        wait_for_interrupt()
    except KeyboardInterrupt:
        output.note("Preview stopped.")
    finally:
        server.stop()
