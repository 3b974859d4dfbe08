"""Markdown to email HTML and to plain text, and UTM tagging of links."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from newsletter.issue import markdown_parser
from newsletter.urls import add_utm

if TYPE_CHECKING:
    from markdown_it.token import Token

# 'href="' alone, not r'\bhref="': a pattern that starts with a literal is searched for as a
# string, and the word boundary is checked in `replace` (3 ms less on an 90 KB email).
_HREF = re.compile(r'(href=")([^"]*)(")')
_WORD = re.compile(r"\w")
_TEXT_URL = re.compile(r"https?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


@lru_cache(maxsize=512)
def _tokens(source: str) -> tuple[Token, ...]:
    """The parse of one body, shared by its HTML and its text part (the renderers only read it)."""
    return tuple(markdown_parser().parse(source))


def markdown_to_html(source: str, *, image_width: int | None = None) -> str:
    """Render free Markdown of an issue to HTML (raw HTML in the source is escaped).

    `image_width` (px, the width of the column the HTML goes in) is written on every image:
    Outlook for Windows ignores CSS max-width and shows an image without a width attribute at
    its file's full size; other clients scale it down to the column with the theme's CSS.
    """
    if not source.strip():
        return ""
    parser = markdown_parser()
    rendered = str(parser.renderer.render(list(_tokens(source)), parser.options, {})).strip()
    if image_width is not None and "<img " in rendered:
        rendered = rendered.replace("<img ", f'<img width="{int(image_width)}" ')
    return rendered


def tag_html_links(document: str, params: Mapping[str, str], *, skip: frozenset[str] = frozenset()) -> str:
    """Add UTM parameters to every http(s) href of an HTML document, except the `skip` URLs."""
    if not params:
        return document

    def replace(match: re.Match[str]) -> str:
        start = match.start()
        if start and _WORD.match(document, start - 1):
            return match.group(0)  # 'xhref=', not an href attribute
        url = html.unescape(match.group(2))
        if url in skip:
            return match.group(0)
        return match.group(1) + html.escape(add_utm(url, params), quote=True) + match.group(3)

    return _HREF.sub(replace, document)


def tag_text_links(text: str, params: Mapping[str, str], *, skip: frozenset[str] = frozenset()) -> str:
    """Add UTM parameters to every http(s) URL of a plain-text part, except the `skip` URLs."""
    if not params:
        return text
    return _TEXT_URL.sub(lambda m: m.group(0) if m.group(0) in skip else add_utm(m.group(0), params), text)


def _inline_to_text(children: list[Token]) -> str:
    parts: list[str] = []
    link_stack: list[tuple[str, int]] = []
    for child in children:
        if child.type == "text" or child.type == "code_inline":
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
        elif child.type == "link_open":
            link_stack.append((str(child.attrs.get("href", "")), len(parts)))
        elif child.type == "link_close" and link_stack:
            href, start = link_stack.pop()
            label = "".join(parts[start:]).strip()
            if href and href != label:
                parts.append(f" ({href})")
        elif child.type == "image":
            if child.content:
                parts.append(f"[{child.content}]")
    return "".join(parts)


def markdown_to_text(source: str, *, width: int = 72) -> str:
    """Plain text for the text part: paragraphs wrapped, lists with dashes, links as 'label (url)'."""
    if not source.strip():
        return ""
    tokens = _tokens(source)
    blocks: list[str] = []
    list_depth = 0
    ordered: list[int] = []
    prefix = ""
    for index, token in enumerate(tokens):
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            list_depth += 1
            ordered.append(0 if token.type == "bullet_list_open" else 1)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            list_depth -= 1
            ordered.pop()
        elif token.type == "list_item_open":
            if ordered[-1]:
                prefix = f"{ordered[-1]}. "
                ordered[-1] += 1
            else:
                prefix = "- "
        elif token.type == "inline":
            opener = tokens[index - 1].type if index else ""
            content = _inline_to_text(token.children or [])
            indent = "  " * max(list_depth - 1, 0)
            if opener == "heading_open":
                blocks.append(content.strip())
                continue
            # Fold only ASCII whitespace: the non-breaking spaces of French typography must stay.
            lines = [" ".join(w for w in re.split(r"[ \t\r\f\v]+", part) if w) for part in content.split("\n")]
            paragraph = " ".join(line for line in lines if line)
            if prefix:
                wrapped = textwrap.fill(paragraph, width=width, initial_indent=indent + prefix,
                                        subsequent_indent=indent + " " * len(prefix), break_on_hyphens=False, break_long_words=False)
                prefix = ""
            else:
                wrapped = textwrap.fill(paragraph, width=width, initial_indent=indent, subsequent_indent=indent,
                                        break_on_hyphens=False, break_long_words=False)
            blocks.append(wrapped)
        elif token.type in {"fence", "code_block"}:
            blocks.append(token.content.rstrip())
        elif token.type == "hr":
            blocks.append("-" * 20)
    # List items sit on consecutive lines; everything else is separated by a blank line.
    text = ""
    previous_was_item = False
    for block in blocks:
        is_item = bool(re.match(r"\s*(- |\d+\. )", block))
        if text:
            text += "\n" if is_item and previous_was_item else "\n\n"
        text += block
        previous_was_item = is_item
    return text
