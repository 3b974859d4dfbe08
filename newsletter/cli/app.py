"""The Typer app, its global options, and the context every command receives.

Heavy modules (mjml, css-inline, httpx, feedparser, pydantic, rich's Console) are imported inside
the commands that use them, so `newsletter --help` stays fast; tests/cli/test_import_budget.py
holds the line. The modules that define commands do not use `from __future__ import annotations`:
Typer reads every command's signature on every run, and compiles each annotation written as a
string twice (about 25 ms of each run, `--help` included); a name imported only for type checking
is quoted where it is used instead.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeGuard, TypeVar

import click
import typer
from typer.core import TyperGroup

from newsletter import __version__
from newsletter.choices import Provider
from newsletter.cli.output import Output, configure_logging
from newsletter.errors import ExitCode
from newsletter.i18n import _

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers.retry import RetryPolicy

T = TypeVar("T")

# The global flags without a value: accepted after the command name too (`render x.md --debug`).
_GLOBAL_FLAGS = frozenset({"-q", "--quiet", "--debug", "--verbose"})
_VERBOSE_SHORT = re.compile(r"^-v+$")


class GlobalFlagsGroup(TyperGroup):
    """The root command: moves -q, -v (-vv) and --debug found after a command name to the front,
    where Click reads the app's own options; a word after `--` is an argument, left alone."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            end = args.index("--") if "--" in args else len(args)
            moved = [arg for arg in args[:end] if arg in _GLOBAL_FLAGS or _VERBOSE_SHORT.match(arg)]
            if moved:
                rest = [arg for arg in args[:end] if not (arg in _GLOBAL_FLAGS or _VERBOSE_SHORT.match(arg))]
                args = moved + rest + args[end:]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=GlobalFlagsGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals would print API keys
    add_completion=False,
    # Click's plain help: typer's rich help imports rich's Markdown, Syntax and Traceback
    # renderers (~90 ms, more than the rest of `--help`).
    rich_markup_mode=None,
    help=_("Draft, render, send and archive a monthly newsletter (Mobiscol)."),
)


class AppContext:
    """What the global options set, handed to every command through typer's context."""

    def __init__(self, config: Path | None, output: Output, *, lock_wait: float = 10.0, retry_policy: "RetryPolicy | None" = None) -> None:
        self.config = config
        self.output = output
        self.lock_wait = lock_wait
        self._retry_policy = retry_policy

    def retry_policy(self) -> "RetryPolicy":
        """How provider calls wait and retry: the one handed to the app (`obj=`), else the default."""
        if self._retry_policy is None:
            from newsletter.providers.retry import RetryPolicy

            self._retry_policy = RetryPolicy()
        return self._retry_policy

    @contextmanager
    def workspace_lock(self, settings: "Settings", command: str) -> Iterator[None]:
        """Hold the workspace lock around a command that writes the state or talks to the provider."""
        import datetime as dt

        from newsletter.lock import workspace_lock

        lock = workspace_lock(settings.state_dir, command=command, now=dt.datetime.now(settings.tz), wait=self.lock_wait)
        self.guard(lock.__enter__)
        try:
            yield
        finally:
            lock.__exit__(None, None, None)

    def settings(self, provider: Provider | None = None) -> "Settings":
        """Load settings once per command, and register the secrets for redaction."""
        from newsletter.config import load_settings

        settings = self.guard(lambda: load_settings(self.config, provider=provider))
        self.output.secrets.extend(settings.secrets.values())
        return settings

    def issue_path(self, settings: "Settings", given: Path) -> Path:
        """The issue file the user means: `given` as typed (relative to where she is), else the
        file of that name in the workspace's issues/ folder, with a note saying so.

        Used rather than suggested: the name is the workspace's own issue, the note says which
        file was read, and `send` still shows the subject and asks before mailing anyone.
        """
        if given.exists() or given.is_absolute():
            return given
        names = [given.name] if given.suffix else [given.name, given.name + ".md"]
        candidates = [settings.issues_dir / name for name in names] + [settings.root / given]
        found = next((candidate for candidate in candidates if candidate.is_file()), None)
        if found is None:
            return given
        import os

        try:
            shown = Path(os.path.relpath(found))
        except ValueError:  # another drive (Windows)
            shown = found
        from newsletter.i18n import _

        self.output.note(_("{given} is not in this folder: using {path}").format(given=given, path=shown))
        return shown

    def guard(self, action: Callable[[], T]) -> T:
        """Run core code; turn its errors into a message and an exit code (no traceback)."""
        from newsletter.errors import NewsletterError

        # With --debug the traceback is printed here, through the Output that redacts the API keys,
        # rather than re-raised for Python or typer to print as is.
        try:
            return action()
        except NewsletterError as exc:
            if self.output.debug:
                self.output.traceback(exc)
            self.output.error(exc.message, problems=exc.problems, hint=exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt as exc:
            if self.output.debug:
                self.output.traceback(exc)
            self.output.error(_("interrupted; files are written whole or not at all, so nothing was left half-written"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if self.output.debug:
                self.output.traceback(exc)
            self.output.error(
                _("unexpected internal error ({kind})").format(kind=type(exc).__name__),
                hint=_("send the output above to the maintainers")
                if self.output.debug
                else _("run the same command again with --debug and send the output to the maintainers"),
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
    config: Annotated[Path | None, typer.Option("--config", help=_("Path of newsletter.toml."), envvar="NEWSLETTER_CONFIG", show_envvar=True)] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, show_default=False, help=_("More detail (-vv for debug logs); also after the command."))] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_("Only errors and results; also after the command."))] = False,
    debug: Annotated[bool, typer.Option("--debug", help=_("Show tracebacks for errors; also after the command."))] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))] = False,
    lock_wait: Annotated[
        float,
        typer.Option("--lock-wait", envvar="NEWSLETTER_LOCK_WAIT", hidden=True, help=_("Seconds to wait for another command of this workspace to finish.")),
    ] = 10.0,
) -> None:
    """Draft, render, send and archive a monthly newsletter."""
    # Again here for a program that embeds the app (a test's CliRunner with its own environment).
    import os

    from newsletter.cli.language import choose_language, current_folder

    choose_language(["--config", str(config)] if config else [], os.environ, current_folder())
    output = Output(verbose=verbose, quiet=quiet, debug=debug)
    configure_logging(output)
    # A program that embeds the app (a test) may hand in the retry policy, e.g. one that does not
    # sleep: CliRunner().invoke(app, args, obj=RetryPolicy(sleep=waits.append)).
    given = ctx.obj
    ctx.obj = AppContext(config, output, lock_wait=lock_wait, retry_policy=given if _is_retry_policy(given) else None)


def _is_retry_policy(value: object) -> "TypeGuard[RetryPolicy]":
    if value is None:
        return False
    from newsletter.providers.retry import RetryPolicy

    return isinstance(value, RetryPolicy)


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext set up by `main`."""
    obj = ctx.obj
    assert isinstance(obj, AppContext)
    return obj


IssueArg = Annotated[Path, typer.Argument(help=_("The issue file, for example issues/2026-12.md."), metavar=_("ISSUE"), show_default=False)]
ProviderOpt = Annotated[
    Provider | None,
    typer.Option("--provider", help=_("Provider whose placeholders to use (default: the configured one)."), envvar="NEWSLETTER_PROVIDER", show_envvar=True),
]


