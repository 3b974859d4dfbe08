"""No character reaches the HTML as mjml-python's `\\u{a0}` escape (issue 11 §2).

The draft writes French spacing into alt texts (a non-breaking space before ':'), and the
typography check asks for it there; mjml-python used to write it as the six characters
`\\u{a0}`, which the archive showed and screen readers read aloud.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import replace
from pathlib import Path

from newsletter.config import load_settings
from newsletter.render.checks import CheckInput, run_checks
from newsletter.render.pipeline import ALLOWED_PLACEHOLDERS, protect_attributes, render_issue_file
from tests.conftest import EXAMPLES

NBSP, NNBSP = "\u00a0", "\u202f"
CARD_ALT = f"Rues scolaires{NBSP}: une barrière devant l'école{NNBSP}!"
PROSE_ALT = f"Carte{NBSP}: le réseau en 2026 e\u0301crit"  # a decomposed accent too


def _alts(document: str) -> list[str]:
    return [html.unescape(value) for value in re.findall(r'<img\b[^>]*?\salt="([^"]*)"', document)]


def test_alt_texts_keep_their_non_breaking_spaces(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLES, workspace)
    issue = workspace / "issues" / "2026-11.md"
    text = issue.read_text(encoding="utf-8")
    text = text.replace("![Un groupe d'enfants à vélo roule en file sur une piste cyclable, encadré par deux adultes]", f"![{CARD_ALT}]")
    text = text.replace("*L'équipe Mobiscol*", f"![{PROSE_ALT}](https://lettre.example.org/mobiscol/images/velobus.png)\n\n*L'équipe Mobiscol*")
    issue.write_text(text, encoding="utf-8")
    result = render_issue_file(load_settings(workspace / "newsletter.toml", environ={}), issue)
    assert "\\u{" not in result.html
    assert CARD_ALT in _alts(result.html)
    assert PROSE_ALT in _alts(result.html)
    assert not [p for p in result.problems if p.code == "escaped-char"]


def test_a_subject_with_french_spacing_reaches_the_title_and_the_aria_label_intact(tmp_path: Path) -> None:
    # mj-title's text is copied into the body's aria-label: `check --fix` puts a no-break space
    # into a subject such as "Rues scolaires : le vélobus en hiver".
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLES, workspace)
    issue = workspace / "issues" / "2026-11.md"
    text = issue.read_text(encoding="utf-8")
    subject = f"Rues scolaires{NBSP}: le vélobus en hiver"
    text = re.sub(r"(?m)^subject: .*$", f'subject: "{subject}"', text, count=1)
    issue.write_text(text, encoding="utf-8")
    result = render_issue_file(load_settings(workspace / "newsletter.toml", environ={}), issue)
    assert "\\u{" not in result.html
    labels = [html.unescape(value) for value in re.findall(r'aria-label="([^"]*)"', result.html)]
    assert subject in labels
    assert not [p for p in result.problems if p.code == "escaped-char"]


def test_protect_attributes_leaves_text_and_ascii_alone() -> None:
    source = f'<mj-image alt="a{NBSP}b" src="https://x/é.png" /><mj-text><p title="ok">Déjà{NBSP}: là</p></mj-text>'
    protected = protect_attributes(source)
    assert protected == '<mj-image alt="a&#160;b" src="https://x/&#233;.png" /><mj-text><p title="ok">Déjà\u00a0: là</p></mj-text>'
    assert protect_attributes("<mjml>ascii</mjml>") == "<mjml>ascii</mjml>"


def test_check_fails_on_an_escape_left_in_the_html(tmp_path: Path) -> None:
    result = render_issue_file(load_settings(EXAMPLES / "newsletter.toml", environ={}), EXAMPLES / "issues" / "2026-11.md")
    data = CheckInput(issue=result.issue, source=(EXAMPLES / "issues" / "2026-11.md").read_text(encoding="utf-8"),
                      html=result.html, text=result.text, unsubscribe="https://lettre.example.org/mobiscol/desinscription",
                      allowed_placeholders=ALLOWED_PLACEHOLDERS[result.provider])
    assert "escaped-char" not in {p.code for p in run_checks(data)}
    broken = replace(data, html=data.html.replace('alt="Un groupe', 'alt="Rues\\u{a0}: Un groupe', 1))
    found = [p for p in run_checks(broken) if p.code == "escaped-char"]
    assert found and found[0].level == "error" and "\\u{a0}" in found[0].message
