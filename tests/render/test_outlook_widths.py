"""Outlook for Windows gets the widths the official MJML 5 compiler computes.

Outlook (the Word engine) ignores CSS widths: it lays the email out with the `<img width>`
attributes and the tables inside `<!--[if mso | IE]>` comments. mjml-python (MRML) computes
those from the paddings, and once read a shorthand starting with a bare `0` as no padding at
all (a lead image 640 px wide in a 640 px email, two 320 px columns beside 14 px gutters).
So every one of those widths is compared with the official compiler's, on the example issue
and on one with an even number of cards (no full-width lead card, the first row of two).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from newsletter.config import load_settings
from newsletter.render.pipeline import render_issue_file
from tests.conftest import EXAMPLES
from tests.support.mjml_node import compile_official

_MSO = re.compile(r"<!--\[if mso[^\]]*\]>(.*?)<!\[endif\]-->", re.DOTALL)
_MSO_WIDTH = re.compile(r'\bwidth="(\d+(?:\.\d+)?)"|[;"\s]width:\s*(\d+(?:\.\d+)?)px')
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_WIDTH = re.compile(r'\swidth="([^"]*)"')

FOURTH_CARD = """
### [Un quatrième article pour un nombre pair de cartes](https://www.example.org/mobiscol/actus/quatrieme)
![Des enfants traversent devant l'école avec un agent](https://lettre.example.org/mobiscol/images/pedibus.png)
*Mobiscol · 6 novembre 2026*
Une carte de plus : les cartes vont alors deux par deux, sans carte pleine largeur en tête.
"""


def outlook_widths(document: str) -> list[str]:
    """Every width of the Outlook-only markup, in document order (attributes and CSS px)."""
    widths: list[str] = []
    for block in _MSO.findall(document):
        widths += [a or b for a, b in _MSO_WIDTH.findall(block)]
    return widths


def image_widths(document: str) -> list[str | None]:
    """The width attribute of every <img>, in document order (None when it has none)."""
    found = []
    for tag in _IMG.findall(_MSO.sub("", document)):
        width = _IMG_WIDTH.search(tag)
        found.append(width.group(1) if width else None)
    return found


def even_cards_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "even"
    shutil.copytree(EXAMPLES, workspace)
    issue = workspace / "issues" / "2026-11.md"
    text = issue.read_text(encoding="utf-8")
    text = text.replace("\n## Nouveaux acteurs sur la carte", FOURTH_CARD + "\n## Nouveaux acteurs sur la carte", 1)
    issue.write_text(text, encoding="utf-8")
    return workspace


def test_outlook_widths_match_the_official_compiler(official_mjml: str, tmp_path: Path) -> None:
    even = even_cards_workspace(tmp_path)
    ours = {
        "example": render_issue_file(load_settings(EXAMPLES / "newsletter.toml", environ={}), EXAMPLES / "issues" / "2026-11.md"),
        "even": render_issue_file(load_settings(even / "newsletter.toml", environ={}), even / "issues" / "2026-11.md"),
    }
    assert ours["even"].html.count("quatrième article") == 1
    official = compile_official(official_mjml, {name: result.mjml for name, result in ours.items()}, tmp_path / "official")
    for name, result in ours.items():
        assert image_widths(result.html) == image_widths(official[name]), name
        assert None not in image_widths(result.html), f"{name}: an <img> without width (Outlook shows it at its file's size)"
        ours_mso, theirs_mso = outlook_widths(result.html), outlook_widths(official[name])
        assert len(theirs_mso) > 20, name  # the comparison really read the Outlook tables
        assert ours_mso == theirs_mso, name


def test_the_width_readers_see_a_difference() -> None:
    """The readers above would notice a single changed width (a test that cannot fail is a defect)."""
    mso = '<!--[if mso | IE]><table width="640" style="width:640px;"><tr><td style="vertical-align:top;width:306px;"><![endif]-->'
    assert outlook_widths(mso) == ["640", "640", "306"]
    assert image_widths('<img src="a" width="584"><img src="b">') == ["584", None]
