"""Everything the editor wrote reaches the email (issue 11 §3): item images in every layout,
item texts in a highlighted section, and a width on every image for Outlook."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from newsletter.config import load_settings
from newsletter.render.pipeline import RenderResult, render_issue_file
from tests.conftest import EXAMPLES

IMG = "https://lettre.example.org/mobiscol/images/{}.png"

ISSUE = f"""---
title: "La lettre de Mobiscol — décembre 2026"
subject: "Des images dans chaque rubrique de la lettre"
preheader: "Une lettre de test où chaque rubrique porte une image et un texte"
date: 2026-12-08
number: 37
---

## Édito

Bonjour à toutes et à tous.

![Image libre de l'édito](https://lettre.example.org/mobiscol/images/libre.png)

## Brèves du réseau

### [Une brève illustrée](https://www.example.org/breve)
![Image de la brève]({IMG.format("breve")})
*Mobiscol · 1er décembre 2026*
Le texte de la brève.

## Nouveaux acteurs sur la carte

### [Pédibus des Lilas](https://carte.mobiscol.org/annuaire#/fiche/lilas/A1/)
![Image de l'acteur]({IMG.format("acteur")})
*Les Lilas (93) · Pédibus*
Le texte de l'acteur.

## Veille et ressources

### [Un article illustré](https://www.example.org/article)
![Image de la veille]({IMG.format("veille")})
*Le Fil · 2 décembre 2026*
Le texte de la veille.

## Agenda

### [Une rencontre](https://www.example.org/rencontre)
![Image de l'agenda]({IMG.format("agenda")})
*jeudi 10 décembre 2026 · Lyon*
Le texte de l'agenda.

## Défi Moov'IDF

### [S'inscrire au Défi](https://defi-moov-idf.org/)
![Image du défi]({IMG.format("defi")})
*mai 2027*
Le texte du défi, sous son bouton.
"""

EXPECTED_WIDTHS = {  # alt -> the width of the column it sits in
    "Image libre de l'édito": "584",
    "Image de la brève": "584",
    "Image de l'acteur": "256",
    "Image de la veille": "584",
    "Image de l'agenda": "566",
    "Image du défi": "584",
}


@pytest.fixture
def result(tmp_path: Path) -> RenderResult:
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLES, workspace)
    issue = workspace / "issues" / "2026-12.md"
    issue.write_text(ISSUE, encoding="utf-8")
    return render_issue_file(load_settings(workspace / "newsletter.toml", environ={}), issue)


def images(document: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for tag in re.findall(r"<img\b[^>]*>", document):
        alt = re.search(r'\salt="([^"]*)"', tag)
        width = re.search(r'\swidth="([^"]*)"', tag)
        found[html.unescape(alt.group(1)) if alt else ""] = width.group(1) if width else None
    return found


def test_every_item_image_is_shown_at_its_column_width(result: RenderResult) -> None:
    shown = images(result.html)
    for alt, width in EXPECTED_WIDTHS.items():
        assert alt in shown, f"{alt!r} is not in the email"
        assert shown[alt] == width, (alt, shown[alt])
    assert None not in shown.values(), "an <img> without a width attribute"


def test_every_item_text_is_shown(result: RenderResult) -> None:
    for text in ("Le texte de la brève.", "Le texte de l'acteur.", "Le texte de la veille.",
                 "Le texte de l'agenda.", "Le texte du défi, sous son bouton.", "mai 2027"):
        assert text in html.unescape(result.html), text
    assert "S'inscrire au Défi" in html.unescape(result.html)

