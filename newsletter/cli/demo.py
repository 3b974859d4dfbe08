"""`newsletter demo`: the month's whole job, offline, on a copy of the bundled example workspace.

This is CLI-layer composition: each step calls its core function and the printer of its own
command, so the demo shows exactly what the real commands show.
"""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter.cli.app import app, app_context
from newsletter.cli.output import Output
from newsletter.i18n import _

if TYPE_CHECKING:
    from newsletter.config import Settings


@app.command(help=_("Run the whole job offline on the bundled example workspace.\n\nExample: newsletter demo /tmp/mobiscol-demo"))
def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Argument(metavar="DIR", help=_("Where to copy the example workspace (default: a new temporary folder)."))
    ] = None,
) -> None:
    # The help is the decorator's (translated): the month's whole job on a copy of the example.
    app_ctx = app_context(ctx)
    app_ctx.guard(lambda: run_demo(directory, output=app_ctx.output))


# The example is about November and December 2026: pin the clock so the demo's output is stable.
DEMO_TODAY = dt.date(2026, 12, 1)
DEMO_SEND_TIME = (2026, 11, 9, 18, 0)


def run_demo(directory: Path | None, *, output: Output) -> Path:
    """Copy the example, then draft, render, send to the outbox and archive; print where all is."""
    from newsletter.archive import build_archive
    from newsletter.choices import Provider
    from newsletter.cli.printers import (
        print_archive_report,
        print_draft_report,
        print_render_report,
        print_send_report,
    )
    from newsletter.config import load_settings
    from newsletter.draft.pipeline import draft_issue
    from newsletter.providers import build_provider
    from newsletter.render.pipeline import render_to_files
    from newsletter.send import Action, send_issue
    from newsletter.workspace import copy_example

    workspace = copy_example(directory)
    output.note(_("Example workspace copied to {path}").format(path=workspace))
    settings = load_settings(workspace / "newsletter.toml", environ={})

    output.note("\n" + _("[bold]1/4 Draft[/bold]: issues/2026-12.md from the example's offline feeds and actor map"), markup=True)
    print_draft_report(output, draft_issue(settings, today=DEMO_TODAY, month="2026-12"))

    finished = settings.issues_dir / "2026-11.md"
    run_demo_defi(settings, finished, output=output)
    output.note(
        "\n"
        + _(
            "[bold]2/4 Render[/bold]: the finished November issue, issues/2026-11.md "
            "(the December draft still has its À COMPLÉTER lines to fill in, so it is not rendered here)"
        ),
        markup=True,
    )
    result = render_to_files(settings, finished)
    print_render_report(output, result)

    output.note("\n" + _("[bold]3/4 Send[/bold] to the outbox (files only: nothing leaves this computer)"), markup=True)
    outbox = settings.model_copy(update={"provider": Provider.outbox})
    pinned = dt.datetime(*DEMO_SEND_TIME, tzinfo=settings.tz)
    provider = build_provider(outbox, now=lambda: pinned)
    report = send_issue(outbox, provider, finished, action=Action.push, confirm=lambda _: True, now=lambda: pinned)
    print_send_report(output, report, outbox_dir=outbox.path(outbox.file.outbox.dir))

    output.note("\n" + _("[bold]4/4 Archive[/bold]: the web version of every finished issue, an index and an Atom feed"), markup=True)
    print_archive_report(output, build_archive(settings, out_dir=None, include_all=True, now=dt.datetime.now(settings.tz)))
    _demo_publish(settings, workspace, output=output)

    run_report_demo(workspace, output=output)

    output.note("\n" + _("Done. Everything is in {path}").format(path=workspace))
    # One message for the whole list, so that a translation can align its columns.
    output.note(
        _(
            "Look at:\n"
            "  the email         {email}  (open it in a browser)\n"
            "  its text part     {text}\n"
            "  the campaign      {campaign}\n"
            "  the web archive   {archive}\n"
            "  as published      {published}  (the file:// publish target)\n"
            "  the new draft     {draft}\n"
            "Then try, in that folder:\n"
            "  newsletter preview issues/2026-12.md    (fill in the draft and watch it render)\n"
            "  newsletter check issues/2026-12.md"
        ).format(
            email=result.html_path,
            text=result.text_path,
            campaign=workspace / "outbox" / "2026-11" / "message.eml",
            archive=workspace / "site" / "index.html",
            published=workspace / "published" / "index.html",
            draft=workspace / "issues" / "2026-12.md",
        )
    )
    return workspace


def run_demo_defi(settings: "Settings", issue: Path, *, output: Output) -> None:
    """The Défi Moov'IDF step: import the example counts, write the report, fill the issue's Défi section."""
    from newsletter.cli.printers import print_defi_import, print_defi_report, print_defi_section
    from newsletter.defi.report import write_defi_report
    from newsletter.defi.section import write_section
    from newsletter.defi.store import DEFI_DIR, import_file

    counts = settings.root / "comptages" / "defi-moov-idf-2026.csv"
    output.note(
        "\n"
        + _(
            "[bold]Défi Moov'IDF[/bold]: import the schools' counts, write the results report, "
            "and put the key figures, the podium and a chart into the Défi section of issues/2026-11.md"
        ),
        markup=True,
    )
    print_defi_import(output, import_file(counts, settings.root / DEFI_DIR), source=counts)
    data, files = write_defi_report(settings, year=None, out_dir=None)
    print_defi_report(output, data.year, files)
    print_defi_section(output, write_section(settings, issue, year=data.year))
    output.note("  " + _("(to see the checks at work: newsletter defi import comptages/defi-moov-idf-2026-erreurs.csv)"))


def run_report_demo(workspace: Path, *, output: Output) -> Path:
    """Add the example's year of sent campaigns to the demo's state, then write the year's report offline."""
    import json
    from typing import Any

    from newsletter.config import load_settings
    from newsletter.fsutil import write_atomic
    from newsletter.reporting.pipeline import write_letter_report

    settings = load_settings(workspace / "newsletter.toml", environ={})
    state_file = settings.state_dir / "campaigns.json"
    year = json.loads((workspace / "report" / "campaigns-2026.json").read_text(encoding="utf-8"))
    current: dict[str, Any] = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {"version": 1, "issues": {}}
    for stem, by_provider in year["issues"].items():
        for provider, entry in by_provider.items():
            current["issues"].setdefault(stem, {}).setdefault(provider, entry)  # what the demo just did wins
    write_atomic(state_file, json.dumps(current, indent=2, ensure_ascii=False) + "\n")
    pinned = dt.datetime(2026, 12, 20, 10, 0, tzinfo=settings.tz)
    result = write_letter_report(settings, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 1), out_dir=workspace / "reports",
                                 cached=True, now=lambda: pinned)
    output.note(_("The letter's report for 2026: {html} and {xlsx}").format(html=result.files.html, xlsx=result.files.xlsx))
    return result.files.html
def _demo_publish(settings: "Settings", workspace: Path, *, output: Output) -> None:
    """Publish the site to a file:// target inside the demo folder, as `newsletter publish` does online."""
    from newsletter.cli.printers import print_publish_report
    from newsletter.fsutil import write_atomic
    from newsletter.publish.pipeline import connection_for, publish_site
    from newsletter.publish.target import parse_target

    folder = workspace / "published"
    folder.mkdir(exist_ok=True)
    output.note("\n" + _("Publish: the site to {folder} (a file:// target; online it would be sftp://, ftp:// or git+ssh://)").format(folder=folder))
    uri = folder.resolve().as_uri() + "/"
    # Written into the demo's newsletter.toml too, so `newsletter publish`, `archive --publish` and
    # `send --schedule` work in the demo folder as they would online.
    config = workspace / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    if "[publish]" not in text:
        write_atomic(config, text.rstrip("\n") + f'\n\n[publish]\ntarget = "{uri}"  # the demo publishes into a folder\n')
    target = parse_target(uri)
    print_publish_report(output, publish_site(settings, settings.path("site"), target=target, connection=connection_for(settings)))
