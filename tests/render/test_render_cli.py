"""`newsletter render` as a user runs it: good issues, golden files, and every bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.cli import app
from tests.conftest import GOLDEN
from tests.support.asserts import assert_clean_failure, snapshot_tree
from tests.support.workspace import BODY, CONFIG, FRONT, make_workspace

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_render_writes_three_files_and_reports(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    code, output = run("--config", str(config), "render", str(issue))
    assert code == 0, output
    build = tmp_path / "ws" / "build"
    assert sorted(p.name for p in build.iterdir()) == ["2026-12.html", "2026-12.mjml", "2026-12.txt"]
    assert "of Gmail's 102 KB" in output
    assert "2 sections, 1 item, 1 link, 0 images" in output
    assert "all checks passed" in output
    html = (build / "2026-12.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr"' in html
    assert "{{ unsubscribe }}" in html  # brevo is the configured provider
    assert "décembre 2026" in html.lower()
    assert "fonts.googleapis" not in html


def test_example_issue_matches_golden_files(example_workspace: Path, update_golden: bool) -> None:
    config = example_workspace / "newsletter.toml"
    code, output = run("--config", str(config), "render", str(example_workspace / "issues" / "2026-11.md"))
    assert code == 0, output
    assert "all checks passed" in output
    for suffix in ("html", "txt"):
        produced = (example_workspace / "build" / f"2026-11.{suffix}").read_text(encoding="utf-8")
        golden = GOLDEN / f"2026-11.{suffix}"
        if update_golden:
            golden.write_text(produced, encoding="utf-8")
        assert golden.exists(), "run pytest --update-golden once to create the golden files"
        assert produced == golden.read_text(encoding="utf-8"), f"{suffix} differs from {golden}; review the change, then run pytest --update-golden"


@pytest.mark.parametrize(
    ("provider", "placeholder"),
    [("brevo", "{{ unsubscribe }}"), ("mailjet", "[[UNSUB_LINK_FR]]"), ("outbox", "https://lettre.example.org/mobiscol/desinscription")],
)
def test_provider_selects_unsubscribe_placeholder(tmp_path: Path, provider: str, placeholder: str) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    code, output = run("--config", str(config), "render", str(issue), "--provider", provider)
    assert code == 0, output
    build = tmp_path / "ws" / "build"
    assert placeholder in (build / "2026-12.html").read_text(encoding="utf-8")
    assert placeholder in (build / "2026-12.txt").read_text(encoding="utf-8")


def test_text_part_has_each_link_once_and_no_preheader(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    assert run("--config", str(config), "render", str(issue))[0] == 0
    text = (tmp_path / "ws" / "build" / "2026-12.txt").read_text(encoding="utf-8")
    assert text.count("https://example.org/rue-scolaire") == 1
    assert "<" not in text.replace("<https", "")
    assert "L'actualité de l'écomobilité scolaire en décembre" not in text
    assert "VEILLE" in text


def test_utm_added_without_overwriting_and_not_on_mailto(tmp_path: Path) -> None:
    body = BODY + "\nÉcrivez-nous : [contact](mailto:contact@example.org) ou [le guide](https://example.org/guide?utm_source=partenaire).\n"
    config, issue = make_workspace(tmp_path / "ws", config=CONFIG + '\n[utm]\nsource = "mobiscol"\nmedium = "email"\n', issue=FRONT + body)
    assert run("--config", str(config), "render", str(issue))[0] == 0
    html = (tmp_path / "ws" / "build" / "2026-12.html").read_text(encoding="utf-8")
    assert "https://example.org/rue-scolaire?utm_source=mobiscol&amp;utm_medium=email&amp;utm_campaign=2026-12" in html
    assert "utm_source=partenaire&amp;utm_medium=email" in html
    assert "utm_source=mobiscol&amp;utm_medium=email&amp;utm_campaign=2026-12&amp;utm_source" not in html
    assert 'href="mailto:contact@example.org"' in html
    assert 'href="{{ unsubscribe }}"' in html


def test_out_option_and_workspace_template_override(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    templates = tmp_path / "ws" / "templates"
    templates.mkdir()
    (templates / "newsletter.txt.j2").write_text("Texte maison {{ title }}\nSe désinscrire : {{ unsubscribe }}\n", encoding="utf-8")
    out = tmp_path / "elsewhere"
    code, output = run("--config", str(config), "render", str(issue), "--out", str(out))
    assert code == 0, output
    assert (out / "2026-12.txt").read_text(encoding="utf-8").startswith("Texte maison La lettre de Mobiscol")


# --- bad inputs: message, exit code, nothing damaged -------------------------------------------


def test_missing_issue_file(tmp_path: Path) -> None:
    config, _ = make_workspace(tmp_path / "ws")
    code, output = run("--config", str(config), "render", str(tmp_path / "ws" / "issues" / "2027-01.md"))
    assert_clean_failure(output, code, 2, "issue file not found", "2027-01.md", "Tip:")
    assert not (tmp_path / "ws" / "build").exists()


def test_issue_not_utf8(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    issue.write_bytes(FRONT.encode("utf-8") + "\n## Edito\nCaf\xe9 au lait\n".encode("latin-1"))
    before = issue.read_bytes()
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "not UTF-8", ":10:", "save it with the UTF-8 encoding")
    assert issue.read_bytes() == before
    assert not (tmp_path / "ws" / "build").exists()


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("---\nsubject: x\ndate: 2026-12-08\n\n## Édito\n", ["front matter is not closed"]),
        ("---\nsubject: [oops\ndate: 2026-12-08\n---\n## Édito\n", ["not valid YAML", ":2:"]),
        ("---\ndate: 2026-12-08\n---\n## Édito\n", ["'subject' is missing"]),
        ("## Édito\nPas de front matter.\n", ["must start with front matter"]),
        ("---\nsubject: x\ndate: 2026-11-31\n---\n## Édito\n", ["2026-12.md:3: front matter key 'date' = '2026-11-31': expected a real date", "YYYY-MM-DD"]),
        ("---\nsubject: [a, b]\ndate: 2026-11-30\n---\n## Édito\n", ["2026-12.md:2: front matter key 'subject' = ['a', 'b']: expected the email's subject line, as text between double quotes"]),
    ],
    ids=["not-closed", "not-yaml", "no-subject", "no-front-matter", "impossible-date", "subject-not-text"],
)
def test_bad_front_matter(tmp_path: Path, text: str, fragments: list[str]) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=text)
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, *fragments)
    assert issue.read_text(encoding="utf-8") == text
    assert not (tmp_path / "ws" / "build").exists()


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        ("\n## \n\nTexte.\n", ["2026-12.md:9", "section heading ('## ') has no text"]),
        ("\n## Veille\n### Un titre sans lien\nTexte.\n", ["2026-12.md:10", "has no link", "### [Title](https://…)"]),
        ("\n## Veille\n### [Piège](javascript:alert(1))\nTexte.\n", ["2026-12.md:10", "javascript:"]),
    ],
    ids=["empty-h2", "item-without-link", "item-javascript-link"],
)
def test_structural_errors_name_file_and_line(tmp_path: Path, body: str, fragments: list[str]) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body)
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, *fragments)
    assert not (tmp_path / "ws" / "build").exists()


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        ("Voir [la page](/relative/page).\n", ["2026-12.md:17", "not an absolute address", "(link-relative)"]),
        ("Voir [la page](javascript:alert(1)).\n", ["2026-12.md:17", "runs code", "(link-script)"]),
        ("![](https://example.org/photo.jpg)\n", ["2026-12.md:17", "has no alt text", "(img-alt)"]),
    ],
    ids=["relative-link", "javascript-link", "image-without-alt"],
)
def test_content_errors_render_files_but_exit_1(tmp_path: Path, extra: str, fragments: list[str]) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + BODY + "\n" + extra)
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, *fragments, "Fix the errors above before sending")
    assert (tmp_path / "ws" / "build" / "2026-12.html").exists()


def test_unknown_layout_in_config(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", config=CONFIG.replace('layout = "list"', 'layout = "grid"'))
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 2, "layout of the 2nd section = 'grid'", "'text', 'cards', 'list', 'actors' or 'agenda'")
    assert not (tmp_path / "ws" / "build").exists()


def test_config_unknown_key_and_wrong_type_one_line_each(tmp_path: Path) -> None:
    bad = CONFIG.replace('provider = "brevo"', 'provider = "brevo"\ncolour = "green"') + "\n[brevo]\nlist_ids = \"2\"\n"
    config, issue = make_workspace(tmp_path / "ws", config=bad)
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 2, "2 problems", "newsletter.colour: unknown key", "brevo.list_ids = '2'")


def test_config_not_toml(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", config="[newsletter\nname = 1\n")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 2, "is not valid TOML")


def test_missing_config(tmp_path: Path) -> None:
    code, output = run("render", "issues/2026-12.md")
    assert_clean_failure(output, code, 2, "no configuration file", "newsletter init")


def test_template_with_jinja_error_names_template_and_line(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    templates = tmp_path / "ws" / "templates"
    templates.mkdir()
    (templates / "newsletter.txt.j2").write_text("Ligne un\n{% for x in %}\n", encoding="utf-8")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "newsletter.txt.j2:2")
    assert not (tmp_path / "ws" / "build").exists()


def test_template_with_undefined_variable_names_template_and_line(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    templates = tmp_path / "ws" / "templates"
    templates.mkdir()
    (templates / "newsletter.txt.j2").write_text("Ligne un\n{{ nonexistent_variable }}\n", encoding="utf-8")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "newsletter.txt.j2:2", "nonexistent_variable")


def test_template_producing_invalid_mjml(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    partials = tmp_path / "ws" / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "footer.mjml.j2").write_text("<mj-section><mj-column><mj-text>pas fermé\n", encoding="utf-8")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "produced MJML that does not compile")
    assert "panic" not in output.lower()


def test_output_directory_not_writable(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    blocker = tmp_path / "ws" / "build"
    blocker.write_text("a file where the build folder should be", encoding="utf-8")
    before = snapshot_tree(tmp_path / "ws")
    code, output = run("--config", str(config), "render", str(issue))
    assert_clean_failure(output, code, 1, "cannot write", "--out")
    assert snapshot_tree(tmp_path / "ws") == before


def test_debug_shows_traceback(tmp_path: Path) -> None:
    config, _ = make_workspace(tmp_path / "ws")
    result = runner.invoke(app, ["--debug", "--config", str(config), "render", "nope.md"])
    assert result.exit_code != 0
    assert result.exception is not None


def test_missing_web_url_leaves_out_the_web_link_with_a_warning(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", config=CONFIG.replace('web_url = "https://lettre.example.org/mobiscol/"\n', ""))
    code, output = run("--config", str(config), "render", str(issue))
    assert code == 0, output
    assert "web_url is not set" in output and "(web-link)" in output
    assert "Voir dans le navigateur" not in (tmp_path / "ws" / "build" / "2026-12.html").read_text(encoding="utf-8")


def test_report_keeps_line_numbers_and_brackets_verbatim(tmp_path: Path) -> None:
    filler = "".join(f"Paragraphe {n}.\n\n" for n in range(50))
    body = BODY + "\n" + filler + "## Rubrique [bold]spéciale[/bold] [[x]]\nTexte.\n"
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body)
    code, output = run("--config", str(config), "render", str(issue))
    assert code == 1, output  # '[[x]]' is also leftover template syntax for Mailjet-style placeholders
    assert "leftover template syntax '[[x]]'" in output
    line = next(n for n, text in enumerate(issue.read_text(encoding="utf-8").splitlines(), 1) if "Rubrique" in text)
    assert line >= 100
    assert f"2026-12.md:{line}:" in output
    assert "'Rubrique [bold]spéciale[/bold] [[x]]' is not in the configuration" in output


def test_open_shows_the_html_in_the_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    config, issue = make_workspace(tmp_path / "ws")
    code, output = run("--config", str(config), "render", str(issue), "--open")
    assert code == 0, output
    assert opened == [(tmp_path / "ws" / "build" / "2026-12.html").resolve().as_uri()]


def test_dark_mode_head_and_overrides(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws")
    assert run("--config", str(config), "render", str(issue))[0] == 0
    html = (tmp_path / "ws" / "build" / "2026-12.html").read_text(encoding="utf-8")
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="supported-color-schemes" content="light dark">' in html
    dark = html[html.index("@media (prefers-color-scheme: dark)"):]
    # MJML puts a section's background on the <div> and on its inner <table>: override both.
    assert ".nl-card, .nl-card > table" in dark and "background-color: #18221f !important" in dark
    assert 'class="nl-card" style="background:#ffffff;background-color:#ffffff;' in html
    assert "<link" not in html  # no web font, no remote stylesheet
