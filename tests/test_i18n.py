"""The French catalog is complete, compiled, and keeps every placeholder of the English source."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from newsletter import formats, i18n

PACKAGE = Path(i18n.__file__).parent
LOCALE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _marked_strings() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")]):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalog(domain: str):  # type: ignore[no-untyped-def]
    with (LOCALE / f"{domain}.po").open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_marked_string_has_a_french_translation() -> None:
    catalog = _catalog("newsletter")
    missing = []
    for marked in sorted(_marked_strings(), key=str):
        key = marked if isinstance(marked, str) else marked[0]
        message = catalog.get(key)
        strings = () if message is None else (message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or not all(strings) or message.fuzzy:
            missing.append(key)
    assert not missing, "run `make catalogs` and translate in newsletter/locale/fr/LC_MESSAGES/newsletter.po:\n" + "\n".join(missing)


@pytest.mark.parametrize("domain", ["newsletter", "click"])
def test_translations_keep_the_placeholders(domain: str) -> None:
    wrong = []
    for message in _catalog(domain):
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        french = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {name for text in source for name in PLACEHOLDER.findall(text)}
        wrong.extend(f"{source[0]!r} -> {text!r}" for text in french if text and not set(PLACEHOLDER.findall(text)) <= wanted)
    assert not wrong


@pytest.mark.parametrize("domain", ["newsletter", "click"])
def test_the_shipped_mo_is_compiled_from_the_po(domain: str) -> None:
    with (LOCALE / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for message in _catalog(domain):
        if not message.id or not message.string or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            if compiled.ngettext(message.id[0], message.id[1], 1) != message.string[0]:
                stale.append(message.id[0])
        elif compiled.gettext(message.id) != message.string:
            stale.append(message.id)
    assert not stale, "run `make catalogs`: the .mo is older than the .po for:\n" + "\n".join(stale)


def test_marked_strings_are_literals_with_named_placeholders() -> None:
    """`_(f"…")` or `_("{}")` cannot be translated: the catalog would never hold the text."""
    bad = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"_", "N_", "ngettext"}:
                # `_(CONSTANT)` is fine: the constant was marked with N_() where it is defined.
                texts = node.args[: 2 if node.func.id == "ngettext" else 1]
                literal_only = node.func.id in {"N_", "ngettext"}
                for arg in texts:
                    is_text = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                    if isinstance(arg, ast.JoinedStr | ast.BinOp) or (literal_only and not is_text) or (is_text and "{}" in str(arg.value)):
                        bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not bad


def test_french_by_default_and_english_on_request() -> None:
    try:
        assert i18n.set_language("fr_FR.UTF-8") == "fr"
        assert i18n._("Warning:") == "Attention :"
        assert formats.percent(0.44) == "44,0\u00a0%"
        assert formats.integer(1843) == "1\u202f843"
        assert formats.csv_percent(0.44) == "44,0 %"
        assert i18n.set_language("klingon") == "fr"
        assert i18n.set_language("EN") == "en"
        assert i18n._("Warning:") == "Warning:"
        assert formats.percent(0.44) == "44.0%"
        assert formats.integer(1843) == "1,843"
    finally:
        i18n.set_language("en")


# Where a string literal reaches the user: the first argument of an error, a hint, the Output's
# lines, typer's help texts. A literal there (not `_()`) would print in English whatever the language.
_SINK_METHODS = {"note", "detail", "warn", "error", "fail", "print_err"}
_SINK_KEYWORDS = {"hint", "help", "message", "prompt"}


# Errors for programmers (a bug in our code), never shown as a message: their English is fine.
_PROGRAMMER_ERRORS = {"ValueError", "TypeError", "KeyError", "RuntimeError", "AssertionError", "NotImplementedError", "FrozenInstanceError"}
_MARKUP = re.compile(r"\[/?[a-z ]+\]")


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in _MARKUP.sub("", text))


def _is_literal_text(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.Constant) and _has_words(str(part.value)) for part in node.values)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and _has_words(node.value)


def test_no_unmarked_text_reaches_the_user() -> None:
    unmarked = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            is_output_line = isinstance(func, ast.Attribute) and name in _SINK_METHODS
            candidates: list[ast.expr] = []
            if ((name.endswith("Error") and name not in _PROGRAMMER_ERRORS) or is_output_line) and node.args:
                candidates.append(node.args[0])
            candidates.extend(keyword.value for keyword in node.keywords if keyword.arg in _SINK_KEYWORDS)
            unmarked.extend(f"{path.relative_to(PACKAGE)}:{node.lineno}" for candidate in candidates if _is_literal_text(candidate))
    assert not unmarked, "wrap these in _() (newsletter.i18n):\n" + "\n".join(unmarked)


def test_numbers_are_written_as_babel_writes_them_without_loading_it() -> None:
    """formats.py writes CLDR's signs itself (Babel's locale data cost every command ~20 ms)."""
    import random

    from babel.numbers import format_decimal

    from newsletter import formats
    from newsletter.i18n import language_of

    pick = random.Random(10)
    integers = [0, 1, -1, 999, 1000, -1843, 1_234_567, 10**12] + [pick.randrange(-10**9, 10**9) for _ in range(300)]
    floats = [0.0, -0.0, 0.05, 0.15, 0.25, 2.675, -2.675, 1.005, 0.4449999, 999.95, 1234.5, -0.04, 1e14 + 0.5]
    floats += [pick.uniform(-1e6, 1e6) for _ in range(300)] + [round(pick.uniform(0, 100), 3) for _ in range(300)]
    for language, locale in (("fr", "fr_FR"), ("en", "en_US")):
        with language_of(language):
            for number in integers:
                assert formats.integer(number) == format_decimal(number, format="#,##0", locale=locale), number
            for number in floats:
                for digits in (1, 2):
                    expected = format_decimal(number, format="#,##0." + "0" * digits, locale=locale)
                    assert formats.decimal(number, digits) == expected, (number, digits)
