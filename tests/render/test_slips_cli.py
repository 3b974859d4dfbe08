"""The writer's slips, through `newsletter check` on a real issue file: each on its line, in words, with the fix."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app
from tests.support.workspace import BODY, CONFIG, FRONT, make_workspace

runner = CliRunner()
ASSETS = Path(__file__).parent.parent / "assets" / "typography"
DEFI = '\n[[sections]]\nid = "defi"\ntitle = "Défi Moov\'IDF"\nlayout = "text"\n'


def check(config: Path, issue: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--config", str(config), "check", str(issue), *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, " ".join(result.output.split())  # lines joined: rich wraps long ones


def problems(output: str, issue: Path) -> list[tuple[str, int, str]]:
    """(level, line, code) of each problem printed."""
    pattern = re.escape(str(issue)) + r":(\d+): .*? \(([a-z-]+)\)"
    return [(level, int(line), code) for level, line, code in re.findall(r"(error|warning) " + pattern, output)]


def test_every_slip_is_reported_on_its_line(tmp_path: Path) -> None:
    config, issue = make_workspace(tmp_path / "ws", issue=(ASSETS / "slips.md").read_text(encoding="utf-8"), config=CONFIG + DEFI)
    code, output = check(config, issue)
    assert code == 1  # errors fail the check
    at = f"{issue}:"
    expected = [
        f"{at}11: the link “[le guide](https://www.example.org/guide et la suite.” has no closing ')': the email shows this raw text instead of a link; write [le guide](https://www.example.org/guide) (link-unclosed)",
        f"{at}12: “[le replay] (https://www.example.org/replay)” has a space between ']' and '(': the email shows this raw text instead of a link; write [le replay](https://www.example.org/replay) (link-space)",
        f"{at}13: the HTML comment “<!-- une note -->” is shown as text in the email; delete it, or write a note the email never shows: [//]: # \"…\" (raw-html)",
        f"{at}13: raw HTML “<b> </b>” is shown as text in the email (an issue is Markdown); write it in Markdown (**bold**, *italic*, [text](https://…)) or delete it (raw-html)",
        f"{at}14: 'à compléter' is in the issue: if it is the draft's placeholder, fill it in or delete it (draft-marker)",
        f"{at}17: “##Agenda” is not a heading: the '#' signs need a space after them, or the section vanishes and its items fall into the previous one; write ## Agenda (heading-space)",
        f"{at}20: the image address “images/velo bus.png” contains a space: the email shows the raw text instead of the image; rename the file without spaces, or write %20 for each space: ![Un vélobus](images/velo%20bus.png) (address-space)",
        f"{at}21: 'À COMPLÉTER' is still in the issue: fill it in or delete it (draft-marker)",
        f"{at}27: section 'Veile' is not in the configuration; it is laid out as text (add it to [[sections]] or rename it); did you mean 'Veille'? (structure)",
        f"{at}30: the image “images/absente.png” is a file of this computer, which mail clients cannot load, and {tmp_path / 'ws' / 'images' / 'absente.png'} does not exist: put the image in the workspace's images/ folder (render then writes its web address, https://lettre.example.org/mobiscol/images/absente.png), or write its full https:// address (img-local)",
        f"{at}31: 'à Compléter' is still in the issue: fill it in or delete it (draft-marker)",
        f"{at}37: the draft's section '## À trier' is still in the issue, and send would publish it: move the items you keep into their sections, then delete it (triage)",
    ]
    for line in expected:
        assert line in output, line
    found = problems(output, issue)
    assert sorted(found, key=lambda p: (p[1], p[2])) == [
        ("error", 11, "link-unclosed"), ("error", 12, "link-space"), ("error", 13, "raw-html"), ("error", 13, "raw-html"),
        ("warning", 14, "draft-marker"), ("error", 17, "heading-space"), ("error", 20, "address-space"), ("error", 21, "draft-marker"),
        ("warning", 27, "structure"), ("error", 30, "img-local"), ("error", 31, "draft-marker"), ("error", 37, "triage"),
    ]  # nothing from the code span (line 15), the fenced code (lines 33-35), the valid link with a title, or 'Défi Moov’IDF' (line 23)


def test_warnings_alone_do_not_fail_the_check(tmp_path: Path) -> None:
    body = BODY.replace("Bonjour à toutes et à tous.", "Bonjour à toutes et à tous.\n\n## Veile\n\nUn formulaire à compléter avant le 15.")
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body)
    code, output = check(config, issue)
    assert code == 0, output
    assert problems(output, issue) == [("warning", 14, "draft-marker"), ("warning", 12, "structure")]


def test_an_image_of_the_workspace_gets_its_web_address(tmp_path: Path) -> None:
    body = BODY.replace("Un retour d'expérience.", "![Une rue](images/rue.png)\n\nUn retour.\n\n![Un vélobus](images\\velobus.png)\n\n![Une photo](C:\\Users\\marie\\Bureau\\velobus.png)")
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body)
    (tmp_path / "ws" / "images").mkdir()
    for name in ("rue.png", "velobus.png"):
        (tmp_path / "ws" / "images" / name).write_bytes(b"\x89PNG")
    code, output = check(config, issue)
    assert code == 0, output
    assert problems(output, issue) == [("warning", 21, "img-local")]
    assert (
        f"{issue}:21: the image “C:\\Users\\marie\\Bureau\\velobus.png” is a file of this computer: the email uses its copy "
        f"{tmp_path / 'ws' / 'images' / 'velobus.png'} instead, published as https://lettre.example.org/mobiscol/images/velobus.png; write images/velobus.png to say so"
    ) in output
    result = runner.invoke(app, ["--config", str(config), "render", str(issue)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ws" / "build" / "2026-12.html").read_text(encoding="utf-8")
    assert 'src="https://lettre.example.org/mobiscol/images/rue.png"' in html
    assert html.count('src="https://lettre.example.org/mobiscol/images/velobus.png"') == 2
    assert "images\\velobus.png" not in html and "C:\\Users" not in html


def test_an_image_of_the_workspace_without_web_url_says_to_set_it(tmp_path: Path) -> None:
    from tests.support.workspace import workspace_config

    body = BODY.replace("Un retour d'expérience.", "![Une rue](images/rue.png)")
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body, config=workspace_config(web_url=None))
    (tmp_path / "ws" / "images").mkdir()
    (tmp_path / "ws" / "images" / "rue.png").write_bytes(b"\x89PNG")
    code, output = check(config, issue)
    assert code == 1
    assert (
        f"{issue}:15: the image “images/rue.png” is in {tmp_path / 'ws' / 'images' / 'rue.png'}, but [newsletter] web_url is not set, "
        "so it has no web address: set web_url to where `newsletter archive` publishes the site (it publishes images/ too) (img-local)"
    ) in output
    assert "not an absolute https:// URL" not in output  # one message for one slip


def test_a_section_title_with_a_typographic_apostrophe_is_the_configured_one(tmp_path: Path) -> None:
    body = BODY + "\n## Défi Moov’IDF\n\nLe défi.\n"
    config, issue = make_workspace(tmp_path / "ws", issue=FRONT + body, config=CONFIG + DEFI)
    code, output = check(config, issue)
    assert code == 0, output
    assert "all checks passed" in output
