"""Workspaces: the bundled theme and example, `init` for a new one, a copy of the example for `demo`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from newsletter.errors import OutputError, UsageError
from newsletter.i18n import _

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """A folder shipped with the code: inside the wheel, or at the top of a source checkout."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise OutputError(_("the bundled folder '{name}' is missing from this installation").format(name=name), hint=_("reinstall newsletter"))


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
# The number of this workspace's first issue; the next ones follow the previous issue's number.
first_number = {first_number}
provider = "outbox"          # outbox (files only) | brevo | mailjet
# web_url = "https://example.org/lettres/"     # where the web archive is published
unsubscribe_url = "https://example.org/desinscription"
organisation = "Mon association"
# The footer reads "<organisation> · <address>": the postal address only, without the organisation.
address = "1 rue de l'Exemple · 75000 Paris"
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


def init_workspace(directory: Path, *, first_number: int = 1) -> list[Path]:
    """Create a workspace in `directory`; never overwrites an existing file. Returns what was created.

    `first_number` is the number the first draft gets: the one after the last issue sent before
    this workspace existed, so that the series goes on.
    """
    config = directory / "newsletter.toml"
    if config.exists():
        raise UsageError(
            _("{path} already exists; nothing was changed").format(path=config),
            hint=_("choose an empty folder, or edit the existing newsletter.toml"),
        )
    from newsletter.fsutil import write_atomic

    created: list[Path] = []
    write_atomic(config, INIT_CONFIG.replace("{first_number}", str(first_number)))
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
        raise UsageError(
            _("{path} is not empty").format(path=target), hint=_("give a new or empty folder, or no folder at all for a temporary one")
        )
    try:
        shutil.copytree(examples_dir(), target, dirs_exist_ok=True)
    except OSError as exc:
        raise OutputError(_("cannot copy the example workspace into {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from exc
    return target
