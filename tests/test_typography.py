"""French typography in an issue file: the parts the rules apply to, the fixer, its excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsletter.errors import IssueError
from newsletter.french import APOSTROPHE, NBSP, NNBSP, typography_faults
from newsletter.typography import body_text_parts, change_excerpts, excerpt, fix_issue_text

ASSETS = Path(__file__).parent / "assets" / "typography"
PATH = Path("issues/2026-12.md")


def faults_left(text: str, *, apostrophes: bool = False) -> list[int]:
    """The lines where the check still finds a fault (the same parts as the check: body and values)."""
    lines = text.splitlines(keepends=True)
    closing = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    found = [part.line for part in body_text_parts(lines, closing + 2) if typography_faults(part.text, apostrophes=apostrophes)]
    return found + [n for n in range(2, closing + 1) if typography_faults(lines[n - 1].split(":", 1)[1], apostrophes=apostrophes)]


def test_the_fixer_leaves_no_fault_and_nothing_else_changed() -> None:
    source = (ASSETS / "faults.md").read_text(encoding="utf-8")
    result = fix_issue_text(source, PATH, apostrophes=False)
    assert [change.line for change in result.changes] == [3, 4, 11, 12, 23, 25]
    assert faults_left(result.text) == []
    fixed = result.text.splitlines()
    for kept in ("https://ex.org/a?b=1;c=2", "`a: b; c!`", "10:30", "contact@mobiscol.org", "(https://ex.org/g?a=1;b=2)",
                 "velobus-trajets-hiver?x=1:2)", "velobus.png?v=1;2)", "l'école"):
        assert kept in result.text, kept
    assert fixed[13:16] == ["```", "code: garde; tout!", "```"]  # fenced code
    assert fixed[17:19] == ["<!-- note : à relire!", "toujours: en commentaire! -->"]  # an HTML comment over two lines
    assert fixed[2] == f'subject: "Rues scolaires{NBSP}: le vélobus en hiver"'  # the value, never the key
    assert fixed[10] == f"Attention{NBSP}: le programme est ci-dessous{NNBSP}; la suite au 1er décembre{NNBSP}! Le «{NBSP}vélobus{NBSP}» roule{NNBSP}?"
    assert fixed[22] == f"### [Vélobus{NBSP}: bien s'équiper](https://www.example.org/articles/velobus-trajets-hiver?x=1:2)"
    assert fixed[24] == f"Le XIXe siècle et la 2e édition{NBSP}: voir [le guide](https://ex.org/g?a=1;b=2){NNBSP}!"
    assert fix_issue_text(result.text, PATH, apostrophes=False).changes == ()  # a second run changes nothing


def test_apostrophes_are_fixed_when_the_config_asks() -> None:
    source = (ASSETS / "faults.md").read_text(encoding="utf-8")
    result = fix_issue_text(source, PATH, apostrophes=True)
    assert f"devant l{APOSTROPHE}école" in result.text
    assert f"preheader: \"L{APOSTROPHE}actualité de l{APOSTROPHE}écomobilité" in result.text
    assert faults_left(result.text, apostrophes=True) == []


def test_crlf_line_endings_and_a_front_matter_value_over_several_lines_are_kept() -> None:
    source = "---\r\nsubject: >\r\n  Un objet: long\r\ndate: 2026-12-08\r\n---\r\n\r\n## Édito\r\nBonjour!\r\n"
    result = fix_issue_text(source, PATH, apostrophes=False)
    assert result.text == source.replace("Bonjour!", f"Bonjour{NNBSP}!")
    assert [change.line for change in result.changes] == [8]


def test_an_unreadable_front_matter_is_an_issue_error() -> None:
    with pytest.raises(IssueError, match="front matter"):
        fix_issue_text("no front matter\n", PATH, apostrophes=False)


def test_change_excerpts_show_the_words_changed() -> None:
    before = "Attention: voir ci-dessous; et «ça»! fin"
    after = f"Attention{NBSP}: voir ci-dessous{NNBSP}; et «{NBSP}ça{NBSP}»{NNBSP}! fin"
    assert change_excerpts(before, after) == [
        ("Attention:", f"Attention{NBSP}:"), ("ci-dessous;", f"ci-dessous{NNBSP};"), ("«ça»!", f"«{NBSP}ça{NBSP}»{NNBSP}!"),
    ]


def test_excerpt_cuts_long_words() -> None:
    text = "voir https://example.org/a/very/long/path/to/a/page ! ok"
    assert excerpt(text, text.index(" !"), text.index(" !") + 2) == "…very/long/path/to/a/page !"
