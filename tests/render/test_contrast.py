"""Contrast and touch to WCAG AA (issue 11 §5), computed from the rendered email.

Every piece of visible text is read with its colour and background as a client paints them,
in light mode and in dark mode (tests/support/contrast.py), for the example's colours, the
default theme's and a pair of brand colours that are unreadable as written. The palette
(newsletter/render/palette.py) derives every text colour from them.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsletter.config import load_settings
from newsletter.render.pipeline import RenderResult, render_issue_file
from tests.support.contrast import failures, text_runs
from tests.support.workspace import kitchen_sink_workspace

THEMES = {
    "example": ("#00806e", "#e8590c"),
    "default": ("#00806e", "#f39200"),
    "pale": ("#ffcc00", "#00ffff"),
}


@pytest.fixture(scope="module", params=list(THEMES))
def result(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    config, issue = kitchen_sink_workspace(Path(tmp_path_factory.mktemp("contrast")) / "ws", theme=THEMES[request.param])
    return render_issue_file(load_settings(config, environ={}), issue)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_reaches_aa(result: RenderResult, dark: bool) -> None:
    runs = text_runs(result.html, dark=dark)
    assert len(runs) > 90  # the reader saw the whole email
    assert failures(runs) == []


def test_the_reader_catches_a_low_contrast_text() -> None:
    page = '<div style="background:#ffffff"><p style="color:#e8590c;font-size:13px">Jeudi</p><a href="x">lien</a></div>'
    assert len(failures(text_runs(page))) == 1  # the orange date; the uncoloured link gets the client's blue
    assert "3.58:1" in failures(text_runs(page))[0]


class _Links(HTMLParser):
    """Each <a>: its style, whether it is a heading's, a button's or an image's link."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.links: list[dict[str, str | bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a":
            self.links.append({"style": values.get("style", ""), "heading": any(t in {"h1", "h2", "h3"} for t in self.open),
                               "button": "mso-padding-alt" in values.get("style", ""), "image": False, "text": ""})
        if tag == "img" and self.open and self.open[-1] == "a":
            self.links[-1]["image"] = True
        if tag not in {"img", "br", "meta", "hr", "link"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if "a" in self.open and self.links:
            self.links[-1]["text"] = str(self.links[-1]["text"]) + data


def test_links_in_sentences_are_underlined_and_titles_are_headings(result: RenderResult) -> None:
    reader = _Links()
    reader.feed(result.html)
    in_text = [link for link in reader.links if not (link["heading"] or link["button"] or link["image"])]
    assert len(in_text) >= 8
    for link in in_text:
        assert "text-decoration: underline" in str(link["style"]).replace("text-decoration:underline", "text-decoration: underline"), link
    headings = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<h3\b[^>]*>(.*?)</h3>", result.html, re.DOTALL)]
    highlighted = "defi"  # its items are buttons
    for item in (i for section in result.issue.sections if section.id != highlighted for i in section.items):
        assert item.title in headings, item.title


def test_buttons_are_44px_tall_and_small_links_14px(result: RenderResult) -> None:
    buttons = re.findall(r'<a [^>]*style="([^"]*mso-padding-alt[^"]*)"', result.html)
    assert len(buttons) >= 2
    for style in buttons:
        padding = re.search(r"padding:\s*(\d+)px (\d+)px", style)
        line = re.search(r"line-height:\s*(\d+)px", style)
        assert padding and line, style
        assert 2 * int(padding.group(1)) + int(line.group(1)) >= 44, style
    runs = text_runs(result.html)
    for label in ("Voir dans le navigateur", "Se désinscrire", "Site du réseau Mobiscol", "Nous écrire", "ODbL"):
        sizes = [r.size for r in runs if r.text == label]
        assert sizes and min(sizes) >= 14, (label, sizes)
