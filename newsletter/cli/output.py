"""Terminal output for the CLI: messages and progress on stderr, data on stdout, secrets redacted.

Messages use rich's markup (`[bold]…[/bold]`), but a line of text is written here, not through
rich: importing rich's Console costs more than the rest of a render. Plain text when the stream
is not a terminal (as rich prints it), ANSI colours for our few styles on a terminal; rich itself
is loaded only for tables, progress bars, and a style we do not know.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from newsletter.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

REDACTED = "***"

# rich's markup syntax (rich/markup.py): a tag is [word…] starting with a-z, #, / or @; a
# backslash before it makes it literal text.
_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")
# The control characters rich drops from printed text.
_CONTROL = str.maketrans(dict.fromkeys((7, 8, 11, 12, 13)))
_SGR = {"bold": "1", "dim": "2", "italic": "3", "red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36"}


def escape(text: str) -> str:
    """Make `text` print as is in markup: the same result as rich.markup.escape."""
    escaped = _ESCAPE.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", text)
    if escaped.endswith("\\") and not escaped.endswith("\\\\"):
        return escaped + "\\"
    return escaped


def _parse(markup: str) -> list[tuple[str, str | None]]:
    """(text, None) and (None-text "", tag) pieces, as rich's markup parser reads them."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in _TAG.finditer(markup):
        full, escapes, tag = match.groups()
        start, end = match.span()
        if start > position:
            pieces.append((markup[position:start], None))
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            if backslashes:
                pieces.append(("\\" * backslashes, None))
            if escaped:
                pieces.append((full[len(escapes):], None))
                position = end
                continue
        pieces.append(("", tag))
        position = end
    if position < len(markup):
        pieces.append((markup[position:], None))
    return pieces


def _styles(tag: str) -> list[str] | None:
    codes = [_SGR.get(word) for word in tag.split()]
    return None if None in codes else [c for c in codes if c]


def _colour_terminal(stream: TextIO) -> bool:
    """Colours as rich decides them: a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces."""
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render_line(markup: str, *, colour: bool, style: str | None = None) -> str | None:
    """The line as printed: tags dropped, or turned into ANSI codes; None for a style we lack."""
    pieces = _parse(markup)
    if not colour:
        return "".join(text for text, _ in pieces).translate(_CONTROL)
    stack: list[list[str]] = []
    base = _styles(style) if style else []
    if base is None:
        return None
    out: list[str] = []
    for text, tag in pieces:
        if tag is None:
            out.append(text.translate(_CONTROL))
            continue
        if tag.startswith("/"):
            if stack:
                stack.pop()
        else:
            codes = _styles(tag)
            if codes is None:
                return None
            stack.append(codes)
        active = base + [code for codes in stack for code in codes]
        out.append("\x1b[0m" + (f"\x1b[{';'.join(active)}m" if active else ""))
    body = "".join(out)
    if base:
        body = f"\x1b[{';'.join(base)}m" + body
    return body + "\x1b[0m" if (base or stack or "\x1b[" in body) else body


@dataclass
class Output:
    """Where the CLI writes; `quiet` hides progress and notes, never errors or data."""

    verbose: int = 0
    quiet: bool = False
    debug: bool = False
    secrets: list[str] = field(default_factory=list)
    _consoles: dict[str, Console] = field(default_factory=dict, repr=False)

    def _console(self, name: str) -> Console:
        if name not in self._consoles:
            from rich.console import Console

            # emoji=False: ':100:' in 'issue.md:100:' must not become an emoji.
            self._consoles[name] = Console(stderr=name == "err", highlight=False, soft_wrap=True, emoji=False)
        return self._consoles[name]

    @property
    def err(self) -> Console:
        """A rich Console on stderr, for tables and progress bars (loaded on first use)."""
        return self._console("err")

    @property
    def out(self) -> Console:
        """A rich Console on stdout, for tables (loaded on first use)."""
        return self._console("out")

    def print_err(self, message: str, *, markup: bool = True, style: str | None = None) -> None:
        """One line on stderr: `message` in rich markup (or plain text with markup=False)."""
        if markup or style:
            self._print("err", message if markup else escape(message), style)
        else:
            self._print("err", "", None, plain=message)

    def print_out(self, message: str, *, markup: bool = True) -> None:
        """One line on stdout (data): `message` in rich markup, or plain text with markup=False."""
        self._print("out", message, None) if markup else self._print("out", "", None, plain=message)

    def _print(self, name: str, markup: str, style: str | None, *, plain: str = "") -> None:
        """`markup` (rich markup, e.g. a coloured label), then `plain` text printed as it is.

        Plain text never goes through markup: no tag can eat a [bracket] of a subject or a
        path, and a trailing backslash (a Windows folder) is printed once.
        """
        stream = sys.stderr if name == "err" else sys.stdout
        line = render_line(markup, colour=_colour_terminal(stream), style=style) if markup else ""
        if line is None:  # a style we do not know: let rich print it
            self._console(name).print(markup + escape(plain), style=style)
            return
        stream.write(line + plain.translate(_CONTROL) + "\n")
        stream.flush()

    def redact(self, text: str) -> str:
        """Replace every known secret value in `text`."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, REDACTED)
        return text

    def note(self, message: str, *, markup: bool = False) -> None:
        """A progress or info line on stderr (hidden by -q); plain text unless markup=True."""
        if not self.quiet:
            self.print_err(self.redact(message), markup=markup)

    def detail(self, message: str) -> None:
        """A plain-text line shown with -v only."""
        if self.verbose and not self.quiet:
            self.print_err(self.redact(message), markup=False)

    def warn(self, message: str, *, problems: Iterable[str] = ()) -> None:
        """A warning on stderr; the message is plain text (brackets such as [[UNSUB_LINK_FR]] kept)."""
        self._print("err", "[yellow]" + escape(_("Warning:")) + "[/yellow] ", None, plain=self.redact(message))
        for problem in problems:
            self.print_err(f"  - {self.redact(problem)}", markup=False)

    def traceback(self, exc: BaseException) -> None:
        """The traceback of `exc` (--debug), redacted like every other line: a provider may echo a key."""
        import traceback

        self.err.print(self.redact("".join(traceback.format_exception(exc))).rstrip("\n"), markup=False)

    def error(self, message: str, *, problems: Iterable[str] = (), hint: str | None = None) -> None:
        """An error on stderr, with one line per problem and a tip; never hidden."""
        self._print("err", "[bold red]" + escape(_("Error:")) + "[/bold red] ", None, plain=self.redact(message))
        for problem in problems:
            self.print_err(f"  - {self.redact(problem)}", markup=False)
        if hint:
            self._print("err", "[cyan]" + escape(_("Tip:")) + "[/cyan] ", None, plain=self.redact(hint))


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
            self.output.print_err(self.output.redact(message), markup=False, style="dim")


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
