"""One set of French rules: the spacing fixer and the typography check agree; dates without Babel."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from newsletter.french import (
    APOSTROPHE,
    NBSP,
    NNBSP,
    french_date,
    french_spacing,
    french_typography,
    typography_faults,
)

LINES = [
    "Écrivez à contact@mobiscol.org!",
    "Écrivez à contact@mobiscol.org !",
    f"Écrivez à contact@mobiscol.org{NNBSP}!",
    "Pédibus: le retour",
    "Pédibus : le retour",
    f"Pédibus{NNBSP}: le retour",
    "Qui vient? Nous!",
    "Vraiment?!",
    "un ; deux",
    "le «vélobus» du lundi",
    "le « vélobus » du lundi",
    "le «vélobus»!",
    "Étape 2: la suite",
    "à 10h30!",
    "Rendez-vous à 10:30 devant l'école",
    "Voir https://ex.org/a?b=1;c=2#x!y et http://ex.org:8080/p",
    "Lien : https://ex.org/?q=1 ; merci !",
    "Voir [la page](https://ex.org/?a=1:b) ; et `a:b` ici",
    "Voir <https://ex.org/a?b> !",
    '[//]: # "Brouillon : à relire"',
    "(?) et a?b",
    f"Déjà juste{NBSP}: «{NBSP}oui{NBSP}»{NNBSP}!",
    "Rien à changer.",
    "« Bonjour » ; « au revoir »",
    "« Bonjour »: vraiment?",
    "voir ci-dessous;la suite",
    "voir ci-dessous; et ci-dessus:",
    "le 1 décembre, le 1ier mai, la 1ère fois, la 2ème, le XIXème siècle",
    "le 21 mai, 1ème, 1,1 décembre, v1.2ème",
    "l'école d'aujourd'hui, 'cité' et `l'a`",
    "&amp;x et &nbsp;la; <span style=\"a:b\">x</span>",
    "une note <!-- à relire: ok! --> puis?",
]


@pytest.mark.parametrize("apostrophes", [False, True])
@pytest.mark.parametrize("line", LINES)
def test_the_check_flags_exactly_what_the_fixer_changes(line: str, apostrophes: bool) -> None:
    fixed = french_typography(line, apostrophes=apostrophes)
    faults = typography_faults(line, apostrophes=apostrophes)
    assert bool(faults) == (fixed != line)
    assert typography_faults(fixed, apostrophes=apostrophes) == []  # whatever was flagged, the fixer fixed
    assert french_typography(fixed, apostrophes=apostrophes) == fixed
    # Each fault, applied alone at its column, is a change the fixer makes.
    for fault in faults:
        assert line[fault.column : fault.column + len(fault.found)] == fault.found


def test_every_fault_of_a_line_is_found() -> None:
    faults = typography_faults("Attention: voir ci-dessous;la suite au 1 décembre! «Oui»")
    assert [(f.found, f.fixed) for f in faults] == [
        ("n:", f"n{NBSP}:"), ("s;", f"s{NNBSP}; "), ("1", "1er"), ("e!", f"e{NNBSP}!"), ("«", f"«{NBSP}"), ("»", f"{NBSP}»"),
    ]
    assert faults[1].advice == "a narrow no-break space before ';' and a space after it"
    assert faults[2].advice == "'1er' rather than '1'"


def test_ordinals() -> None:
    text = "le 1 décembre, le 1ier mai, la 1ère fois, la 2ème, le 11ème, le XIXème siècle; le 21 mai, 1ème, 1,1 mars"
    assert french_typography(text) == f"le 1er décembre, le 1er mai, la 1re fois, la 2e, le 11e, le XIXe siècle{NNBSP}; le 21 mai, 1ème, 1,1 mars"


def test_apostrophes_only_when_asked_and_never_in_code_or_addresses() -> None:
    text = "l'école d'Émile, `l'a` et https://ex.org/l'a 'cité'"
    assert french_typography(text) == text
    assert french_typography(text, apostrophes=True) == f"l{APOSTROPHE}école d{APOSTROPHE}Émile, `l'a` et https://ex.org/l'a 'cité'"
    assert typography_faults("l'a", apostrophes=False) == []
    assert typography_faults("l'a", apostrophes=True)[0].advice == "the apostrophe ’ rather than '"


def test_html_tags_comments_and_entities_are_left_alone() -> None:
    text = 'a <span title="x:y; z!">b</span> &amp;c <!-- note: à voir! --> d'
    assert french_typography(text) == text


def test_a_mark_glued_to_an_email_address_is_punctuation() -> None:
    (fault,) = typography_faults("Écrivez à contact@mobiscol.org!")
    assert (fault.found, fault.column, fault.fixed) == ("!", 30, f"{NNBSP}!")
    assert french_spacing("Écrivez à contact@mobiscol.org!") == f"Écrivez à contact@mobiscol.org{NNBSP}!"


def test_faults_name_the_mark_and_the_space() -> None:
    faults = typography_faults("le «vélobus»: oui?")
    assert [f.advice for f in faults] == [
        "a no-break space after '«'", "a no-break space before '»'", "a no-break space before ':'", "a narrow no-break space before '?'",
    ]


@pytest.mark.parametrize("pattern", ["MMMM yyyy", "d MMMM yyyy", "EEEE d MMMM y", "dd MMMM yyyy"])
def test_french_dates_match_babel_every_day_of_a_year(pattern: str) -> None:
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        assert french_date(day, pattern, "fr") == format_date(day, pattern, locale="fr")
        day += dt.timedelta(days=1)


def test_other_locales_and_patterns_still_go_to_babel() -> None:
    day = dt.date(2026, 12, 8)
    assert french_date(day, "d MMMM yyyy", "en") == "8 December 2026"
    assert french_date(day, "dd/MM/yyyy", "fr") == "08/12/2026"
