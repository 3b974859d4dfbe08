"""newsletter.toml validation: one line per bad key, with the key, the value and what is expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsletter.choices import Provider
from newsletter.config import load_settings, parse_config
from newsletter.errors import ConfigError
from newsletter.validation import describe_error

BASE = '[newsletter]\nname = "Mobiscol"\ntitle = "La lettre"\n'


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, source="n.toml")
    count = len(info.value.problems)
    assert info.value.message == f"n.toml has {count} problem{'s' if count > 1 else ''}"
    return info.value.problems


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ('colour = "green"', "newsletter.colour: unknown key (value 'green'); remove it or check its spelling"),
        ('timezone = "Mars/Olympus"', "newsletter.timezone = 'Mars/Olympus': expected an IANA time zone such as 'Europe/Paris'"),
        ('provider = "laposte"', "newsletter.provider = 'laposte': expected one of 'brevo', 'mailjet' or 'outbox'"),
        ('web_url = "ftp://x"', "newsletter.web_url = 'ftp://x': expected an address starting with https://"),
        ("locale = 3", "newsletter.locale = 3: expected text"),
        ('[theme]\nprimary_color = "green"', "theme.primary_color = 'green': expected a colour written #rrggbb, e.g. '#00806e'"),
        ("[fetch]\ntimeout = 0", "fetch.timeout = 0: expected a number greater than 0"),
        ("[fetch]\nconcurrency = 101", "fetch.concurrency = 101: expected a number at most 100"),
        ("[fetch]\nconcurrency = true", "fetch.concurrency = True: expected a whole number"),
        ('[brevo]\nlist_ids = [2, "x"]', "the 2nd item of brevo.list_ids = 'x': expected a whole number"),
        ('[brevo]\nlist_ids = "2"', "brevo.list_ids = '2': expected a list, such as [2]"),
        ('[utm]\nsource = "Mobiscol"', "utm.source = 'Mobiscol': expected lowercase letters, digits, '_', '.' or '-' only"),
        ('[[sections]]\nid = "Veille"\ntitle = "V"', "id of the 1st section = 'Veille': expected lowercase letters, digits, '_' or '-', e.g. 'veille'"),
        ('[[sections]]\nid = "v"\nlayout = "grid"\ntitle = "V"', "layout of the 1st section = 'grid': expected one of 'text', 'cards', 'list', 'actors' or 'agenda'"),
        ('[[sections]]\ntitle = "V"', "id of the 1st section is missing; this key is required"),
        ('[actor_map]\nkind = "osm"\nurl = "x"\nsection = "v"\n[[sections]]\nid = "v"\ntitle = "V"', "actor_map.kind = 'osm': expected 'gogocarto' or 'geojson'"),
        ('[[sections]]\nid = "v"\ntitle = "V"\n[[feeds]]\nname = "F"\nurl = "x"\nsection = "w"', "feed 'F' points at section 'w', which is not among [[sections]] (v)"),
    ],
)
def test_one_problem_one_line(extra: str, line: str) -> None:
    assert problems_of(BASE + extra + "\n") == [line]


def test_every_problem_is_listed() -> None:
    text = '[newsletter]\ntitle = 3\ncolour = 1\n[fetch]\ntimeout = -1\n'
    assert problems_of(text) == [
        "newsletter.colour: unknown key (value 1); remove it or check its spelling",
        "newsletter.name is missing; this key is required",
        "newsletter.title = 3: expected text",
        "fetch.timeout = -1: expected a number greater than 0",
    ]


def test_a_good_config_gives_typed_values_and_defaults() -> None:
    config = parse_config(BASE + "[fetch]\ntimeout = 5\n[brevo]\nlist_ids = [2, 3]\n", source="n.toml")
    assert config.fetch.timeout == 5.0 and isinstance(config.fetch.timeout, float)
    assert config.brevo.list_ids == [2, 3]
    assert config.newsletter.provider is Provider.outbox
    assert config.theme.primary_color == "#00806e"
    assert config.actor_map is None


def test_secrets_never_show_in_repr_and_are_redactable(tmp_path: Path) -> None:
    path = tmp_path / "newsletter.toml"
    path.write_text(BASE, encoding="utf-8")
    settings = load_settings(path, environ={"BREVO_API_KEY": "xkeysib-secret"})
    assert "xkeysib-secret" not in repr(settings)
    assert settings.secrets.values() == ["xkeysib-secret"]
    key = settings.secrets.brevo_api_key
    assert key is not None and key.get_secret_value() == "xkeysib-secret"
    assert settings.secrets.mailjet_public is None
    assert settings.model_copy(update={"provider": Provider.brevo}).provider is Provider.brevo


def test_the_translator_reads_pydantic_errors_in_the_same_words() -> None:
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    class Model(BaseModel):
        model_config = ConfigDict(extra="forbid")
        count: int = Field(ge=1)
        name: str

    with pytest.raises(ValidationError) as info:
        Model.model_validate({"count": 0, "name": 3, "other": "x"})
    assert [describe_error(e) for e in info.value.errors()] == [
        "count = 0: expected a number at least 1",
        "name = 3: expected text",
        "other: unknown key (value 'x'); remove it or check its spelling",
    ]


@pytest.mark.parametrize("line", ['[brevo]\napi_key = "xkeysib-0123456789abcdef-SECRET"', 'brevo_api_key = "xkeysib-0123456789abcdef-SECRET"'])
def test_an_api_key_written_in_the_file_is_refused_without_repeating_it(line: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(f'[newsletter]\nname = "N"\ntitle = "T"\n{line}\n', source="newsletter.toml")
    text = "\n".join(caught.value.problems)
    assert "SECRET" not in text and "xkeysib" not in text
    assert "API keys are read only from the environment" in text and "delete this line" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[fetch]\ntimeout = inf", "fetch.timeout = inf: expected a finite number"),
        ('[newsletter]\nweb_url = "https://lettre.example.org/\\n"', "newsletter.web_url"),
    ],
)
def test_values_that_only_look_right_are_refused(text: str, expected: str) -> None:
    base = '[newsletter]\nname = "N"\ntitle = "T"\n'
    source = base + text if not text.startswith("[newsletter]") else base + text.split("\n", 1)[1]
    with pytest.raises(ConfigError) as caught:
        parse_config(source, source="newsletter.toml")
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_config_problems_in_french_with_ordinals_and_no_index(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsletter.cli import app

    (tmp_path / "newsletter.toml").write_text(
        BASE + '[[sections]]\nid = "v"\ntitle = "V"\n[[sections]]\nid = "Agenda"\ntitle = "A"\n[brevo]\nlist_ids = [2, "x"]\n[fetch]\nmax_bytes = 5\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "newsletter.toml"), "stats"], env={"NEWSLETTER_LANG": "fr"})
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("newsletter.toml comporte 3 problèmes")
    assert "  - id de la 2e section = 'Agenda'\u00a0: attendu\u00a0: des lettres minuscules, des chiffres, '_' ou '-', par exemple 'veille'" in lines
    assert "  - le 2e élément de brevo.list_ids = 'x'\u00a0: attendu\u00a0: un nombre entier" in lines
    assert "  - fetch.max_bytes = 5\u00a0: attendu\u00a0: un nombre d’au moins 10\u202f000" in lines
    assert "[1]" not in result.output and "sections[" not in result.output


def test_the_first_ordinals_in_both_languages() -> None:
    from newsletter import i18n
    from newsletter.validation import describe_location, ordinal

    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
    assert describe_location(("feeds", 2, "url")) == "url of the 3rd feed"
    assert describe_location(("sections", 0, "keywords", 1)) == "the 2nd item of keywords of the 1st section"
    i18n.set_language("fr")
    try:
        assert [ordinal(1), ordinal(1, feminine=True), ordinal(2)] == ["1er", "1re", "2e"]
    finally:
        i18n.set_language("en")


def test_french_help_of_the_commands() -> None:
    # Help texts are read when the commands are defined: ask a fresh process, in French.
    import os
    import subprocess
    import sys

    env = {**os.environ, "NEWSLETTER_LANG": "fr", "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "COLUMNS": "200"}
    for command, words in (
        ("send", ["Crée ou met à jour la campagne", "Envoyer aux listes maintenant.", "Tout vérifier et dire ce qui serait fait"]),
        ("stats", ["Ouvertures, clics, rejets et désinscriptions", "Afficher les derniers chiffres lus"]),
        ("archive", ["Construit les archives web", "Publier toutes les lettres"]),
        ("init", ["Crée un nouvel espace de travail", "Dossier du nouvel espace de travail."]),
    ):
        shown = subprocess.run([sys.executable, "-m", "newsletter.cli", command, "--help"], env=env, capture_output=True, text=True, check=True).stdout
        flat = " ".join(shown.split())
        for text in words:
            assert text in flat, (command, shown)
