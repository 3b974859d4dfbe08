"""Terminal output for the CLI: messages and progress on stderr, data on stdout, secrets redacted."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape

REDACTED = "***"


@dataclass
class Output:
    """Where the CLI writes; `quiet` hides progress and notes, never errors or data."""

    verbose: int = 0
    quiet: bool = False
    debug: bool = False
    secrets: list[str] = field(default_factory=list)
    # emoji=False: ':100:' in 'issue.md:100:' must not become an emoji.
    err: Console = field(default_factory=lambda: Console(stderr=True, highlight=False, soft_wrap=True, emoji=False))
    out: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True, emoji=False))

    def redact(self, text: str) -> str:
        """Replace every known secret value in `text`."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, REDACTED)
        return text

    def note(self, message: str) -> None:
        """A progress or info line on stderr (hidden by -q)."""
        if not self.quiet:
            self.err.print(self.redact(message))

    def detail(self, message: str) -> None:
        """A line shown with -v only."""
        if self.verbose and not self.quiet:
            self.err.print(self.redact(message))

    def warn(self, message: str, *, problems: Iterable[str] = ()) -> None:
        """A warning on stderr; the message is plain text (brackets such as [[UNSUB_LINK_FR]] kept)."""
        self.err.print(f"[yellow]Warning:[/yellow] {escape(self.redact(message))}")
        for problem in problems:
            self.err.print(f"  - {self.redact(problem)}", markup=False)

    def traceback(self, exc: BaseException) -> None:
        """The traceback of `exc` (--debug), redacted like every other line: a provider may echo a key."""
        import traceback

        self.err.print(self.redact("".join(traceback.format_exception(exc))).rstrip("\n"), markup=False)

    def error(self, message: str, *, problems: Iterable[str] = (), hint: str | None = None) -> None:
        """An error on stderr, with one line per problem and a tip; never hidden."""
        self.err.print(f"[bold red]Error:[/bold red] {escape(self.redact(message))}")
        for problem in problems:
            self.err.print(f"  - {self.redact(problem)}", markup=False)
        if hint:
            self.err.print(f"[cyan]Tip:[/cyan] {escape(self.redact(hint))}")


class OutputHandler(logging.Handler):
    """Route the core's log records to the Output, so a logged warning reads like any other.

    Warnings print as "Warning: …" (the same channel as a result's warnings); info and debug
    records only show with -v / -vv. Every message is redacted before it is printed.
    """

    def __init__(self, output: Output) -> None:
        super().__init__()
        self.output = output

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_info and self.output.debug:
                message += "\n" + logging.Formatter().formatException(record.exc_info)
        except Exception:  # a broken log call must never break the command
            self.handleError(record)
            return
        if record.levelno >= logging.ERROR:
            self.output.error(message)
        elif record.levelno >= logging.WARNING:
            self.output.warn(message)
        else:
            self.output.err.print(self.output.redact(message), markup=False, style="dim")


def configure_logging(output: Output) -> None:
    """Configure only the `newsletter` logger, on the Output, at the level -v/-q ask for."""
    logger = logging.getLogger("newsletter")
    logger.handlers.clear()
    level = logging.WARNING
    if output.quiet:
        level = logging.ERROR
    elif output.verbose >= 2 or output.debug:
        level = logging.DEBUG
    elif output.verbose == 1:
        level = logging.INFO
    logger.addHandler(OutputHandler(output))
    logger.setLevel(level)
    logger.propagate = False
