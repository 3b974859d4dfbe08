"""The `newsletter` command line: parse, load settings, call one core function, print, map errors.

Heavy modules (mjml, css-inline, httpx, feedparser, pydantic) are imported inside the commands
that use them, so `newsletter --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from newsletter import __version__
from newsletter.choices import Provider
from newsletter.console import Output, configure_logging
from newsletter.errors import ExitCode

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.render import RenderResult

T = TypeVar("T")

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals would print API keys
    add_completion=False,
    rich_markup_mode="rich",
    help="Draft, render, send and archive a monthly newsletter (Mobiscol).",
)


class AppContext:
    """What the global options set, handed to every command through typer's context."""

    def __init__(self, config: Path | None, output: Output) -> None:
        self.config = config
        self.output = output

    def settings(self, provider: Provider | None = None) -> Settings:
        """Load settings once per command, and register the secrets for redaction."""
        from newsletter.config import load_settings

        settings = self.guard(lambda: load_settings(self.config, provider=provider))
        for secret in (settings.secrets.brevo_api_key, settings.secrets.mailjet_public, settings.secrets.mailjet_private):
            if secret is not None:
                self.output.secrets.append(secret.get_secret_value())
        return settings

    def guard(self, action: Callable[[], T]) -> T:
        """Run core code; turn its errors into a message and an exit code (no traceback)."""
        from newsletter.errors import ConfigError, IssueError, NewsletterError

        try:
            return action()
        except NewsletterError as exc:
            if self.output.debug:
                raise
            problems = exc.problems if isinstance(exc, ConfigError | IssueError) else []
            self.output.error(exc.message, problems=problems, hint=exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            if self.output.debug:
                raise
            self.output.error("interrupted; files are written whole or not at all, so nothing was left half-written")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if self.output.debug:
                raise
            self.output.error(
                f"unexpected internal error ({type(exc).__name__})",
                hint="run the same command again with --debug and send the output to the maintainers",
            )
            raise typer.Exit(int(ExitCode.FAILURE)) from None

    def fail(self, message: str, *, code: ExitCode = ExitCode.FAILURE, hint: str | None = None) -> NoReturn:
        self.output.error(message, hint=hint)
        raise typer.Exit(int(code))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsletter {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option("--config", help="Path of newsletter.toml.", envvar="NEWSLETTER_CONFIG", show_envvar=True)] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More detail (-vv for debug logs).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and results.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Draft, render, send and archive a monthly newsletter."""
    output = Output(verbose=verbose, quiet=quiet, debug=debug)
    configure_logging(output)
    ctx.obj = AppContext(config, output)


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext set up by `main`."""
    obj = ctx.obj
    assert isinstance(obj, AppContext)
    return obj


IssueArg = Annotated[Path, typer.Argument(help="The issue file, e.g. issues/2026-12.md.", metavar="ISSUE", show_default=False)]
ProviderOpt = Annotated[
    Provider | None,
    typer.Option("--provider", help="Provider whose placeholders to use (default: the configured one).", envvar="NEWSLETTER_PROVIDER", show_envvar=True),
]


def _report(app_ctx: AppContext, result: RenderResult) -> None:
    from newsletter.report import print_render_report

    print_render_report(app_ctx.output, result)


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
    from newsletter.render import render_to_files

    result = app_ctx.guard(lambda: render_to_files(settings, issue, out_dir=out))
    _report(app_ctx, result)
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
) -> None:
    """Run the email rules on an issue without writing files; exit 1 on any error (for CI).

    Example: newsletter check issues/2026-12.md --links
    """
    app_ctx = app_context(ctx)
    settings = app_ctx.settings(provider)
    from newsletter.render import check_issue

    result = app_ctx.guard(lambda: check_issue(settings, issue, check_links=links))
    _report(app_ctx, result)
    if result.has_errors:
        raise typer.Exit(int(ExitCode.FAILURE))


@app.command()
def preview(
    ctx: typer.Context,
    issue: IssueArg,
    provider: ProviderOpt = None,
    port: Annotated[int, typer.Option("--port", help="Local port (0 picks a free one).")] = 8025,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open the preview in the browser.")] = True,
) -> None:
    """Serve a live preview: phone and desktop widths, text part and checks, re-rendered on save.

    Example: newsletter preview issues/2026-12.md
    """
    app_ctx = app_context(ctx)
    settings = app_ctx.settings(provider)
    from newsletter.preview import serve_preview

    app_ctx.guard(lambda: serve_preview(settings, issue, port=port, open_browser=open_browser, output=app_ctx.output))


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder of the new workspace.")] = Path("."),
) -> None:
    """Create a new workspace: a commented newsletter.toml, issues/ and templates/. Never overwrites.

    Example: newsletter init ma-lettre
    """
    app_ctx = app_context(ctx)
    from newsletter.workspace import init_workspace

    created = app_ctx.guard(lambda: init_workspace(directory))
    for path in created:
        app_ctx.output.note(f"created {path}")
    app_ctx.output.note(f"Next: edit {directory / 'newsletter.toml'}, then run `newsletter draft` in {directory}.")


@app.command()
def demo(
    ctx: typer.Context,
    directory: Annotated[Path | None, typer.Argument(metavar="DIR", help="Where to copy the example workspace (default: a new temporary folder).")] = None,
) -> None:
    """Run the whole job offline on the bundled example workspace.

    Example: newsletter demo /tmp/mobiscol-demo
    """
    app_ctx = app_context(ctx)
    from newsletter.cli_demo import run_demo

    app_ctx.guard(lambda: run_demo(directory, output=app_ctx.output))


def _register_feature_commands() -> None:
    # Each capability keeps its commands in its own module so cli.py stays small.
    from newsletter import cli_draft, cli_send, cli_stats

    for module in (cli_draft, cli_send, cli_stats):
        module.register(app, app_context)


_register_feature_commands()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
