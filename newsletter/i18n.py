"""The words the user reads, in her language: gettext catalogs, French by default, English kept.

Source strings are English and marked `_("…")` (or `N_("…")` where the text is translated later,
e.g. a module constant). Placeholders are named: `_("wrote {path}").format(path=…)`, so that a
translator can move them. The catalogs live in `newsletter/locale/<lang>/LC_MESSAGES/`; the
`.po` files are the source, the `.mo` files are compiled from them by `make catalogs` (Babel) and
shipped in the package, so `pip install .` needs no build step. `tests/test_i18n.py` fails when a
marked string has no French translation or a `.mo` is older than its `.po`.

The core marks its messages but never chooses the language: the CLI calls `set_language` once,
from `NEWSLETTER_LANG` or the workspace's `[newsletter] locale`.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "newsletter"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_language = DEFAULT_LANGUAGE
_catalog: gettext.NullTranslations | None = None


def normalise_language(value: str) -> str | None:
    """'fr', 'fr_FR', 'fr-FR.UTF-8', 'FR' -> 'fr'; None for a language we have no catalog for."""
    code = value.strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def set_language(value: str) -> str:
    """Use `value`'s catalog from now on (an unknown language falls back to French); returns it."""
    global _language, _catalog
    _language = normalise_language(value) or DEFAULT_LANGUAGE
    _catalog = None
    return _language


@contextmanager
def language_of(value: str) -> Iterator[str]:
    """Write in `value`'s language for a while, then go back: text that goes into the letter or a
    report follows the workspace's `[newsletter] locale`, whatever language the terminal speaks."""
    global _language, _catalog
    saved = (_language, _catalog)
    try:
        yield set_language(value)
    finally:
        _language, _catalog = saved


def language() -> str:
    """The language in use: 'fr' or 'en'."""
    return _language


def catalog(domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of `domain` for the language in use (English needs none)."""
    if _language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, LOCALE_DIR, languages=[_language], fallback=True)


def _active() -> gettext.NullTranslations:
    global _catalog
    if _catalog is None:
        _catalog = catalog()
    return _catalog


def _(message: str) -> str:
    """`message` in the language in use."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the language in use."""
    return _active().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (translate it with `_` where shown)."""
    return message
