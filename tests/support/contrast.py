"""Every piece of text of an HTML email with its colour, background and size, as a client paints it.

Light mode reads the inline styles (the email's CSS is inlined). Dark mode applies the rules of
the email's `@media (prefers-color-scheme: dark)` block on top, with css-inline (an `!important`
rule beats an inline style, as in a browser), then reads the same way. Colours inherit from the
parent element; a background is the nearest one painted by an ancestor (style, then bgcolor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import css_inline

from newsletter.render.palette import AA_LARGE, AA_TEXT, contrast

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_SHOWN = {"head", "style", "title", "script"}
UA_LINK = "#0000ee"  # a client's own link colour, for a link the theme left uncoloured
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_NAMED = {"white": "#ffffff", "black": "#000000"}


def _colour(value: str) -> str | None:
    value = value.replace("!important", "").strip().lower()
    if value in _NAMED:
        return _NAMED[value]
    found = _HEX.search(value)
    if not found:
        return None
    hexa = found.group(0).lower()
    return "#" + "".join(c * 2 for c in hexa[1:]) if len(hexa) == 4 else hexa


def _declarations(style: str) -> dict[str, str]:
    """The declarations of a style attribute: an !important one beats a later plain one."""
    found: dict[str, str] = {}
    important: set[str] = set()
    for part in style.split(";"):
        if ":" not in part:
            continue
        name, value = (s.strip() for s in part.split(":", 1))
        name = name.lower()
        if name in important and "!important" not in value:
            continue
        if "!important" in value:
            important.add(name)
        found[name] = value
    return found


@dataclass(frozen=True)
class Run:
    """A piece of visible text and how it is painted."""

    text: str
    colour: str
    background: str
    size: float
    bold: bool

    @property
    def ratio(self) -> float:
        return contrast(self.colour, self.background)

    @property
    def required(self) -> float:
        large = self.size >= 24 or (self.bold and self.size >= 18.66)
        return AA_LARGE if large else AA_TEXT


@dataclass
class _State:
    tag: str
    colour: str
    background: str
    size: float
    bold: bool
    hidden: bool


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [_State("root", "#000000", "#ffffff", 16.0, False, False)]
        self.runs: list[Run] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_SHOWN:
            self.skip += 1
            return
        if tag in VOID:
            return
        parent = self.stack[-1]
        attributes = {name: value or "" for name, value in attrs}
        style = _declarations(attributes.get("style", ""))
        colour = _colour(style.get("color", "")) or (UA_LINK if tag == "a" else parent.colour)
        background = (
            _colour(style.get("background-color", ""))
            or _colour(style.get("background", ""))
            or _colour(attributes.get("bgcolor", ""))
            or parent.background
        )
        size = parent.size
        if match := re.match(r"([\d.]+)px", style.get("font-size", "")):
            size = float(match.group(1))
        elif tag in {"h1", "h2", "h3", "h4"} and "font-size" not in style:
            size = {"h1": 32.0, "h2": 24.0, "h3": 18.72, "h4": 16.0}[tag]
        weight = style.get("font-weight", "")
        bold = parent.bold or tag in {"b", "strong", "th", "h1", "h2", "h3", "h4"} or weight.startswith(("bold", "6", "7", "8", "9"))
        if weight.startswith(("normal", "4")):
            bold = False
        hidden = parent.hidden or "none" in style.get("display", "") or style.get("opacity", "").startswith("0") or style.get("max-height", "").startswith("0")
        self.stack.append(_State(tag, colour, background, size, bold, hidden))

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_SHOWN:
            self.skip = max(0, self.skip - 1)
            return
        if tag in VOID:
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        text = data.strip()
        state = self.stack[-1]
        if self.skip or state.hidden or not text or not any(c.isalnum() for c in text):
            return
        self.runs.append(Run(text, state.colour, state.background, state.size, state.bold))


_DARK_BLOCK = re.compile(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{(.*?)\}\s*\}", re.DOTALL)


def dark_css(document: str) -> str:
    """The rules of the document's dark-mode media block(s)."""
    return "\n".join(block + "}" for block in _DARK_BLOCK.findall(document))


def text_runs(document: str, *, dark: bool = False) -> list[Run]:
    """Every visible piece of text of `document`, painted in light or dark mode."""
    if dark:
        css = dark_css(document)
        assert css, "the document has no dark-mode block"
        document = css_inline.CSSInliner(inline_style_tags=False, keep_style_tags=False, load_remote_stylesheets=False, extra_css=css).inline(document)
    reader = _Reader()
    reader.feed(document)
    reader.close()
    return reader.runs


def failures(runs: list[Run]) -> list[str]:
    """One line per run under its required ratio."""
    return [f"{r.ratio:.2f}:1 < {r.required} for {r.text[:50]!r} ({r.colour} on {r.background}, {r.size:g}px{' bold' if r.bold else ''})"
            for r in runs if r.ratio < r.required]
