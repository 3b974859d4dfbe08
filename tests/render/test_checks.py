"""Each email rule has a passing and a failing case."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsletter.config import load_settings
from newsletter.issue import parse_issue
from newsletter.render.checks import CheckInput, Level, Problem, run_checks
from newsletter.render.pipeline import ALLOWED_PLACEHOLDERS, render_issue_file
from tests.support.workspace import BODY, FRONT, make_workspace


@pytest.fixture
def good(tmp_path: Path) -> CheckInput:
    config, issue_path = make_workspace(tmp_path / "ws")
    settings = load_settings(config, environ={})
    result = render_issue_file(settings, issue_path)
    assert not result.problems, result.problems
    return CheckInput(
        issue=result.issue,
        source=issue_path.read_text(encoding="utf-8"),
        html=result.html,
        text=result.text,
        unsubscribe="{{ unsubscribe }}",
        allowed_placeholders=ALLOWED_PLACEHOLDERS[result.provider],
    )


def codes(problems: list[Problem], level: Level | None = None) -> set[str]:
    return {p.code for p in problems if level is None or p.level == level}


def with_source(data: CheckInput, source: str) -> CheckInput:
    return replace(data, source=source, issue=parse_issue(source, data.issue.path, []))


def test_good_issue_passes_every_rule(good: CheckInput) -> None:
    assert run_checks(good) == []


def test_size_warning_over_90_kb_and_error_over_102_kb(good: CheckInput) -> None:
    size = len(good.html.encode())
    warn = replace(good, html=good.html + "x" * (91 * 1024 - size))
    assert codes(run_checks(warn), Level.warning) >= {"size"}
    clip = replace(good, html=good.html + "x" * (103 * 1024 - size))
    assert "size" in codes(run_checks(clip), Level.error)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("<!DOCTYPE html>", "", "doctype"),
        ('charset=UTF-8', 'charset=latin1', "charset"),
        ('name="viewport"', 'name="vp"', "viewport"),
        ("<title>", "<title>\n</title><x>", "title"),
        ('lang="fr"', 'data-l="fr"', "lang"),
    ],
)
def test_head_rules(good: CheckInput, old: str, new: str, code: str) -> None:
    assert old in good.html
    problems = run_checks(replace(good, html=good.html.replace(old, new, 1)))
    assert code in codes(problems, Level.error)


def test_image_rules(good: CheckInput) -> None:
    html = good.html.replace("</body>", '<img src="http://example.org/a.png"><img src="https://example.org/b.png" alt="">\n</body>')
    problems = run_checks(replace(good, html=html))
    assert {"img-alt", "img-src"} <= codes(problems, Level.error)
    fine = good.html.replace("</body>", '<img src="https://example.org/b.png" alt="Une rue scolaire"></body>')
    assert run_checks(replace(good, html=fine)) == []


@pytest.mark.parametrize(
    ("href", "code", "level"),
    [("", "link-empty", Level.error), ("#", "link-empty", Level.error), ("/page", "link-relative", Level.error),
     ("javascript:alert(1)", "link-script", Level.error), ("http://example.org/", "link-http", Level.warning),
     ("[[UNSUB_LINK_EN]]", "placeholder", Level.error)],
)
def test_theme_link_rules(good: CheckInput, href: str, code: str, level: Level) -> None:
    html = good.html.replace("</body>", f'<a href="{href}">Le programme</a></body>')
    assert code in codes(run_checks(replace(good, html=html)), level)


@pytest.mark.parametrize("href", ["https://example.org/x", "mailto:contact@example.org", "tel:+33100000000", "{{ mirror }}"])
def test_allowed_links_pass(good: CheckInput, href: str) -> None:
    html = good.html.replace("</body>", f'<a href="{href}">Le programme</a></body>')
    assert run_checks(replace(good, html=html)) == []


def test_leftover_template_syntax_and_encoded_placeholders(good: CheckInput) -> None:
    for leftover in ("{{ issue.nope }}", "{% if x %}", "{# note #}"):
        assert "template-syntax" in codes(run_checks(replace(good, html=good.html + leftover)), Level.error)
    encoded = good.html.replace("{{ unsubscribe }}", "{{%20unsubscribe%20}}")
    found = codes(run_checks(replace(good, html=encoded)), Level.error)
    assert {"encoded-placeholder", "unsubscribe"} <= found


def test_unsubscribe_required_in_both_parts(good: CheckInput) -> None:
    assert "unsubscribe" in codes(run_checks(replace(good, text=good.text.replace("{{ unsubscribe }}", ""))), Level.error)
    assert "unsubscribe" in codes(run_checks(replace(good, html=good.html.replace("{{ unsubscribe }}", "https://example.org/u"))), Level.error)
    assert "unsubscribe" in codes(run_checks(replace(good, unsubscribe="")), Level.error)


def test_subject_and_preheader(good: CheckInput) -> None:
    long_subject = good.source.replace("Rues scolaires et vélobus en décembre", "Rues scolaires " * 8)
    problems = run_checks(with_source(good, long_subject))
    assert any(p.code == "subject" and p.line == 3 and p.level == Level.error for p in problems)
    short_preheader = good.source.replace("L'actualité de l'écomobilité scolaire en décembre, en quelques minutes", "Trop court")
    problems = run_checks(with_source(good, short_preheader))
    assert any(p.code == "preheader" and p.level == Level.warning and p.line == 4 for p in problems)
    no_preheader = good.source.replace('preheader: "L\'actualité de l\'écomobilité scolaire en décembre, en quelques minutes"\n', "")
    assert "preheader" in codes(run_checks(with_source(good, no_preheader)), Level.error)


def test_important_needs_a_space_and_forbidden_tags(good: CheckInput) -> None:
    assert "important" in codes(run_checks(replace(good, html=good.html.replace("</head>", "<style>a{color:red!important}</style></head>"))), Level.error)
    assert "important" not in codes(run_checks(replace(good, html=good.html.replace("</head>", "<style>a{color:red !important}</style></head>"))))
    for tag in ("script", "form", "iframe"):
        html = good.html.replace("</body>", f"<{tag}></{tag}></body>")
        assert "forbidden-tag" in codes(run_checks(replace(good, html=html)), Level.error)


def test_french_typography(good: CheckInput) -> None:
    for sentence in ("Attention : les inscriptions ferment.", "Incroyable!", "Le « vélobus » arrive.", "Vraiment ?"):
        problems = run_checks(with_source(good, FRONT + BODY + "\n" + sentence + "\n"))
        assert any(p.code == "typography" and p.line == 17 for p in problems), sentence
    fine = "Attention\u00a0: le «\u00a0vélobus\u00a0» arrive\u202f! Rendez-vous à 10:30 sur https://example.org/a?b=c."
    assert "typography" not in codes(run_checks(with_source(good, FRONT + BODY + "\n" + fine + "\n")))


@pytest.mark.parametrize("label", ["cliquez ici", "Ici", "lien", "En savoir plus"])
def test_vague_link_text(good: CheckInput, label: str) -> None:
    source = FRONT + BODY + f"\nPour le programme, [{label}](https://example.org/programme).\n"
    problems = run_checks(with_source(good, source))
    assert any(p.code == "link-text" and p.level == Level.warning and p.line == 17 for p in problems)
    clear = FRONT + BODY + "\nLire [le programme de la rencontre](https://example.org/programme).\n"
    assert "link-text" not in codes(run_checks(with_source(good, clear)))


def test_draft_marker_is_an_error(good: CheckInput) -> None:
    source = good.source.replace('subject: "Rues scolaires et vélobus en décembre"', 'subject: "À COMPLÉTER"')
    problems = run_checks(with_source(good, source))
    assert any(p.code == "draft-marker" and p.line == 3 for p in problems)


def test_the_tag_scanner_reads_only_real_start_tags() -> None:
    from newsletter.render.checks import Document

    soup = Document(
        '<!doctype html><html lang="fr"><head><title>A &amp; B</title><meta charset="utf-8"></head>'
        '<body><!-- <a href="in-a-comment"> --><abbr title="x">x</abbr><p title="<a href=fake>">t</p>'
        '<img alt src="https://e.org/a.png"><img alt="" src="https://e.org/b.png"><A HREF="https://e.org/?a=1&amp;b=2">l</A></body></html>'
    )
    assert soup.title == "A & B"
    assert [a.attrs for a in soup.find_all("a")] == [{"href": "https://e.org/?a=1&b=2"}]
    assert [img.get("alt") for img in soup.find_all("img")] == [None, ""]
    assert soup.find_all("html")[0].get("lang") == "fr"


@pytest.mark.parametrize(
    ("css", "flagged"),
    [("a{color:red!important}", True), ("a{color:red !important}", False), ("a{color:red\n!important}", False), ("!important", False), ("b !important;c{x:y!important}", True)],
)
def test_unspaced_important_is_found_anywhere(css: str, flagged: bool) -> None:
    from newsletter.render.checks import _unspaced_important

    assert _unspaced_important(css) is flagged
