"""Which language the command line speaks, decided before Click parses anything.

Help texts are read when the commands are defined and Click's own errors ("Missing argument")
come before any command runs, so the language is chosen first, from NEWSLETTER_LANG, else the
workspace's `[newsletter] locale`, else French. Reading the TOML here is a peek, not the config's
validation: a broken file is reported later, in the chosen language.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

from newsletter import i18n

CONFIG_NAME = "newsletter.toml"


def _config_path(argv: Sequence[str], environ: Mapping[str, str], cwd: Path) -> Path | None:
    for position, arg in enumerate(argv):
        if arg == "--config" and position + 1 < len(argv):
            return Path(argv[position + 1])
        if arg.startswith("--config="):
            return Path(arg.split("=", 1)[1])
    if environ.get("NEWSLETTER_CONFIG"):
        return Path(environ["NEWSLETTER_CONFIG"])
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


def detect_language(argv: Sequence[str], environ: Mapping[str, str], cwd: Path) -> str:
    """'fr' or 'en': NEWSLETTER_LANG, else `[newsletter] locale` of the workspace, else French."""
    wanted = environ.get("NEWSLETTER_LANG", "").strip()
    if wanted:
        return i18n.normalise_language(wanted) or i18n.DEFAULT_LANGUAGE
    path = _config_path(argv, environ, cwd)
    if path is not None:
        import tomllib  # ~15 ms: only when there is a workspace to read (`--help` elsewhere needs none)

        try:
            with path.open("rb") as handle:
                locale = tomllib.load(handle).get("newsletter", {}).get("locale")
        except (OSError, tomllib.TOMLDecodeError, AttributeError):
            locale = None
        if isinstance(locale, str):
            return i18n.normalise_language(locale) or i18n.DEFAULT_LANGUAGE
    return i18n.DEFAULT_LANGUAGE


# Click and Typer mark their words for gettext (`from gettext import gettext as _`) but ship no
# catalog; their module-level `_` and `ngettext` are pointed at ours (domain "click").
_CLICK_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.termui", "click.formatting", "click.decorators", "click.utils", "typer.core", "typer.main")


def install_click_translations() -> None:
    """Make Click's and Typer's own words follow the language in use."""
    catalog = i18n.catalog("click")
    for name in _CLICK_MODULES:
        module: ModuleType | None = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = catalog.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = catalog.ngettext  # type: ignore[attr-defined]


def current_folder() -> Path:
    """The shell's folder; the root when it was deleted under the shell."""
    try:
        return Path.cwd()
    except OSError:
        return Path("/")


def choose_language(argv: Sequence[str], environ: Mapping[str, str], cwd: Path) -> str:
    """Set the language for everything the command prints; returns it."""
    import typer  # noqa: F401  (imports the Click and Typer modules whose words are replaced)

    chosen = i18n.set_language(detect_language(argv, environ, cwd))
    install_click_translations()
    return chosen
