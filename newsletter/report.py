"""The render/check report printed on the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from newsletter.checks import GMAIL_CLIP_BYTES, Level

if TYPE_CHECKING:
    from newsletter.console import Output
    from newsletter.render import RenderResult


def print_render_report(output: Output, result: RenderResult) -> None:
    """Size against Gmail's limit, counts, problems with their Markdown line, and the files."""
    stats = result.stats
    percent = 100 * stats.html_bytes / GMAIL_CLIP_BYTES
    colour = "green" if percent < 75 else "yellow" if percent < 100 else "red"
    output.note(
        f"[bold]{escape(str(result.issue.path))}[/bold] ({result.provider.value}): "
        f"[{colour}]{stats.html_bytes / 1024:.1f} KB[/{colour}] of Gmail's 102 KB ({percent:.0f} %), "
        f"{stats.sections} sections, {stats.items} items, {stats.links} links, {stats.images} images"
    )
    path = result.issue.path
    for problem in result.problems:
        where = f"{path}:{problem.line}: " if problem.line else ""
        label = "[bold red]error[/bold red]" if problem.level == Level.error else "[yellow]warning[/yellow]"
        text = escape(output.redact(f"{where}{problem.message}"))
        output.err.print(f"  {label} {text} [dim]({problem.code})[/dim]")
    errors, warnings = len(result.errors), len(result.warnings)
    if errors or warnings:
        output.err.print(f"  {errors} error(s), {warnings} warning(s)")
    else:
        output.note("  [green]all checks passed[/green]")
    for written in (result.html_path, result.text_path, result.mjml_path):
        if written is not None:
            output.note(f"  wrote {escape(str(written))}")
    if errors:
        output.err.print("  [red]Fix the errors above before sending.[/red]")
