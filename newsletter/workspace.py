"""Workspaces: `init` makes a new one, `demo` runs the whole job on a copy of the bundled example."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.errors import OutputError, UsageError

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.console import Output

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """A folder shipped with the code: inside the wheel, or at the top of a source checkout."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise OutputError(f"the bundled folder '{name}' is missing from this installation", hint="reinstall newsletter")


def default_theme_dir() -> Path:
    """The default theme (templates/), packaged with the code."""
    return bundled_dir("templates")


def examples_dir() -> Path:
    """The example workspace used by `newsletter demo`."""
    return bundled_dir("examples")


INIT_CONFIG = '''# newsletter.toml — configuration of this workspace. Paths are relative to this file.
# API keys are never written here: set BREVO_API_KEY, or MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE.

[newsletter]
name = "Ma lettre"
title = "La lettre de mon association"
locale = "fr"
timezone = "Europe/Paris"
provider = "outbox"          # outbox (files only) | brevo | mailjet
# web_url = "https://example.org/lettres/"     # where the web archive is published
unsubscribe_url = "https://example.org/desinscription"
organisation = "Mon association"
address = "Mon association · 1 rue de l'Exemple · 75000 Paris"
# logo_url = "https://example.org/logo.png"

# Sections of the email, in order. layout: text | cards | list | actors | agenda
[[sections]]
id = "edito"
title = "Édito"
layout = "text"

[[sections]]
id = "veille"
title = "Veille"
layout = "list"

[[sections]]
id = "agenda"
title = "Agenda"
layout = "agenda"

# A feed to collect for the draft:
# [[feeds]]
# name = "Un site partenaire"
# url = "https://example.org/feed/"
# section = "veille"

[outbox]
dir = "outbox"
sender_name = "Mon association"
sender_email = "lettre@example.org"

[utm]
source = "lettre"
medium = "email"
'''

TEMPLATES_README = """This folder overrides the default theme: copy any file of the default theme here
(same name, same sub-folder) and edit it; files you do not copy keep the default.
"""


def init_workspace(directory: Path) -> list[Path]:
    """Create a workspace in `directory`; never overwrites an existing file. Returns what was created."""
    config = directory / "newsletter.toml"
    if config.exists():
        raise UsageError(
            f"{config} already exists; nothing was changed",
            hint="choose an empty folder, or edit the existing newsletter.toml",
        )
    from newsletter.fsutil import write_atomic

    created: list[Path] = []
    write_atomic(config, INIT_CONFIG)
    created.append(config)
    for folder in ("issues", "templates"):
        path = directory / folder
        if not path.exists():
            path.mkdir(parents=True)
            created.append(path)
    readme = directory / "templates" / "README.txt"
    if not readme.exists():
        write_atomic(readme, TEMPLATES_README)
        created.append(readme)
    return created


def copy_example(directory: Path | None) -> Path:
    """Copy the example workspace into `directory` (a new temporary folder when None)."""
    target = Path(tempfile.mkdtemp(prefix="newsletter-demo-")) if directory is None else directory
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} is not empty", hint="give a new or empty folder, or no folder at all for a temporary one")
    try:
        shutil.copytree(examples_dir(), target, dirs_exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot copy the example workspace into {target}: {exc.strerror or exc}") from exc
    return target


def run_demo(directory: Path | None, *, output: Output) -> Path:
    """The whole job offline on a copy of the example workspace; prints where everything is."""
    from newsletter.config import load_settings
    from newsletter.render import render_to_files
    from newsletter.report import print_render_report

    workspace = copy_example(directory)
    output.note(f"Example workspace copied to {workspace}")
    settings = load_settings(workspace / "newsletter.toml", environ={})
    # Step: draft issues/2026-12.md from the example's offline feeds and map (today pinned).
    from newsletter.cli_draft import demo_draft

    demo_draft(settings, output)
    issue_path = settings.issues_dir / "2026-11.md"
    result = render_to_files(settings, issue_path)
    print_render_report(output, result)
    # Step: send to the outbox (issue 4): the campaign as files, with a pinned clock for a stable output.
    _demo_send(settings, issue_path, output=output)
    # Step: archive (issue 5): the web version, index and feed in site/ (--all: the demo sends nothing for real).
    from newsletter.cli_stats import print_archive_report, run_archive

    output.note("\nBuilding the web archive:")
    print_archive_report(output, run_archive(settings, out=None, include_all=True))
    output.note(f"\nDone. Everything is in {workspace}")
    return workspace


def _demo_send(settings: Settings, issue_path: Path, *, output: Output) -> None:
    """`newsletter send` on the outbox: message.eml and campaign.json in outbox/<issue>/."""
    import datetime as dt

    from newsletter.choices import Provider
    from newsletter.cli_send import print_report
    from newsletter.providers import build_provider
    from newsletter.send import Action, send_issue

    outbox_settings = settings.model_copy(update={"provider": Provider.outbox})
    pinned = dt.datetime(2026, 11, 9, 18, 0, tzinfo=settings.tz)
    provider = build_provider(outbox_settings, now=lambda: pinned)
    output.note("\nSending to the outbox (files only, nothing leaves this computer):")
    report = send_issue(outbox_settings, provider, issue_path, action=Action.push, confirm=lambda _: True, now=lambda: pinned)
    print_report(output, report, outbox_dir=outbox_settings.path(outbox_settings.file.outbox.dir))
