"""The CLI's own line printer prints rich markup exactly as rich does, without loading rich."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.markup import escape as rich_escape

from newsletter.cli.output import Output, escape, render_line

LINES = [
    "plain text",
    "[bold]issues/2026-12.md[/bold] (brevo): [green]12.3 KB[/green] of Gmail's 102 KB (12 %)",
    "  [bold red]error[/bold red] issues/2026-12.md:12: the link '/x' is not absolute [dim](link-relative)[/dim]",
    "[yellow]Warning:[/yellow] " + rich_escape("the placeholder [[UNSUB_LINK_FR]] and [b] and \\[x] stay"),
    "[cyan]Tip:[/cyan] " + rich_escape("C:\\temp\\ ends with a backslash\\"),
    "a lone [ bracket, [1] a number, [Capital] tag-like, a:100: colon",
    "a bell\x07 and a carriage return\r are dropped",
    "  wrote build/2026-12.html",
]


@pytest.mark.parametrize("markup", LINES)
def test_plain_lines_match_rich(markup: str) -> None:
    buffer = io.StringIO()
    Console(file=buffer, highlight=False, soft_wrap=True, emoji=False, width=80).print(markup)
    assert render_line(markup, colour=False) + "\n" == buffer.getvalue()


@pytest.mark.parametrize("text", ["[[UNSUB_LINK_FR]]", "a\\", "[bold]x[/bold]", "\\[b]", "C:\\dir\\[x]", "no brackets"])
def test_escape_matches_rich(text: str) -> None:
    assert escape(text) == rich_escape(text)


def test_colours_on_a_terminal_and_a_style_we_lack_goes_to_rich() -> None:
    line = render_line("[bold red]Error:[/bold red] x", colour=True)
    assert line == "\x1b[0m\x1b[1;31mError:\x1b[0m x\x1b[0m"
    assert render_line("[magenta]x[/magenta]", colour=True) is None


def test_messages_go_to_stderr_and_data_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    output = Output(secrets=["s3cret"])
    output.warn("key s3cret [[UNSUB_LINK_FR]]")
    output.print_out("[b] data", markup=False)
    captured = capsys.readouterr()
    assert captured.err == "Warning: key *** [[UNSUB_LINK_FR]]\n"
    assert captured.out == "[b] data\n"


def test_user_text_is_printed_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    # A subject with brackets, a Windows folder ending in a backslash, a stray closing tag:
    # what the person wrote reaches the terminal unchanged (it is what she is asked to confirm).
    output = Output()
    output.note("  subject:     [vélo] La lettre de décembre [/b]")
    output.error("cannot write C:\\Users\\me\\lettre\\", problems=["folder D:\\lettres\\"], hint="check C:\\tmp\\")
    output.warn("C:\\stats\\[archive]\\")
    assert capsys.readouterr().err.splitlines() == [
        "  subject:     [vélo] La lettre de décembre [/b]",
        "Error: cannot write C:\\Users\\me\\lettre\\",
        "  - folder D:\\lettres\\",
        "Tip: check C:\\tmp\\",
        "Warning: C:\\stats\\[archive]\\",
    ]
