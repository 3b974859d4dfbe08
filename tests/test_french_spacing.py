"""french_spacing on tricky text: URLs, times, guillemets, text already right, runs of marks."""

from __future__ import annotations

import pytest

from newsletter.french import french_spacing

N = "\u00a0"  # no-break space
T = "\u202f"  # narrow no-break space


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pédibus : le retour", f"Pédibus{N}: le retour"),
        ("Pédibus: le retour", f"Pédibus{N}: le retour"),
        ("Qui vient ? Nous !", f"Qui vient{T}? Nous{T}!"),
        ("Qui vient? Nous!", f"Qui vient{T}? Nous{T}!"),
        ("Vraiment?!", f"Vraiment{T}?!"),
        ("Vraiment ?!", f"Vraiment{T}?!"),
        ("un ; deux", f"un{T}; deux"),
        ("le «vélobus» du lundi", f"le «{N}vélobus{N}» du lundi"),
        ("le « vélobus » du lundi", f"le «{N}vélobus{N}» du lundi"),
        ("Rendez-vous à 10:30 devant l'école", "Rendez-vous à 10:30 devant l'école"),
        ("Voir https://ex.org/a?b=1;c=2#x!y et http://ex.org:8080/p", "Voir https://ex.org/a?b=1;c=2#x!y et http://ex.org:8080/p"),
        ("Lien : https://ex.org/?q=1 ; merci !", f"Lien{N}: https://ex.org/?q=1{T}; merci{T}!"),
        ("Écrire à contact@ex.org ?", f"Écrire à contact@ex.org{T}?"),
        (f"Déjà juste{N}: «{N}oui{N}»{T}!", f"Déjà juste{N}: «{N}oui{N}»{T}!"),
        (f"Déjà juste{N}?", f"Déjà juste{N}?"),
        ("Étape 2: la suite", f"Étape 2{N}: la suite"),
        ("Rien à changer.", "Rien à changer."),
        ("(?) et a?b", "(?) et a?b"),
    ],
)
def test_french_spacing(text: str, expected: str) -> None:
    assert french_spacing(text) == expected


def test_french_spacing_is_idempotent() -> None:
    text = "Le «vélobus» : 10:30, vraiment?! Voir https://ex.org/a?b=1 ; ok"
    once = french_spacing(text)
    assert french_spacing(once) == once
