"""One set of French rules: the spacing fixer and the typography check agree; dates without Babel."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from newsletter.french import NBSP, NNBSP, french_date, french_spacing, typography_faults

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
]


@pytest.mark.parametrize("line", LINES)
def test_the_check_flags_exactly_what_the_fixer_changes(line: str) -> None:
    fixed = french_spacing(line)
    assert bool(typography_faults(line)) == (fixed != line)
    assert typography_faults(fixed) == []  # whatever was flagged, the fixer fixed
    assert french_spacing(fixed) == fixed


def test_a_mark_glued_to_an_email_address_is_punctuation() -> None:
    (fault,) = typography_faults("Écrivez à contact@mobiscol.org!")
    assert (fault.mark, fault.column, fault.side, fault.space) == ("!", 30, "before", NNBSP)
    assert french_spacing("Écrivez à contact@mobiscol.org!") == f"Écrivez à contact@mobiscol.org{NNBSP}!"


def test_faults_name_the_mark_and_the_space() -> None:
    faults = typography_faults("le «vélobus»: oui?")
    assert [(f.mark, f.side, f.space) for f in faults] == [("«", "after", NBSP), ("»", "before", NBSP), (":", "before", NBSP), ("?", "before", NNBSP)]
    assert faults[-1].advice == "put a narrow no-break space (U+202F) before '?'"


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
