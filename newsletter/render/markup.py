"""Markdown to email HTML and to plain text, and UTM tagging of links."""

from __future__ import annotations

import html
import re
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


def _inline_to_text(children: list[Token], refs: list[str]) -> str:
    """The text of an inline token; each link becomes 'label [n]', its URL appended to `refs`."""
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
            if href:
                refs.append(href)
                if label == href:
                    del parts[start:]
                parts.append(f"\u00a0[{len(refs)}]" if label and label != href else f"[{len(refs)}]")
        elif child.type == "image":
            if child.content:
                parts.append(f"[{child.content}]")
    return "".join(parts)


# Only ASCII whitespace separates words: the non-breaking spaces of French typography must stay.
_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def wrap_text(text: str, width: int = 72, *, first: str = "", rest: str = "") -> str:
    """One paragraph folded at `width` columns, `first` before its first line and `rest` before
    the others; words are never broken (a URL stays whole on its line).

    The same lines as textwrap.fill(break_long_words=False, break_on_hyphens=False), by a
    greedy loop five times faster: the text part folds every title and paragraph.
    """
    words = _ASCII_SPACES.split(text.strip(" \t\r\n\f\v"))
    if not words[0]:
        return ""
    lines: list[str] = []
    line = first + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = rest + word
    lines.append(line)
    return "\n".join(lines)


def _table_to_text(rows: list[list[str]], width: int) -> list[str]:
    """A Markdown table as aligned columns when it fits in `width`, else one record per row."""
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(columns)]
    if sum(widths) + 3 * (columns - 1) <= width:
        lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        return ["\n".join(lines)]
    header, body = rows[0], rows[1:]
    records = []
    for row in body:
        fields = [f"{name}\u00a0: {cell}" if name else cell for name, cell in zip(header, row, strict=True) if cell]
        records.append("\n".join(wrap_text(field, width, first="- " if i == 0 else "  ", rest="    ") for i, field in enumerate(fields)))
    return records


def markdown_to_text(source: str, *, width: int = 72) -> str:
    """Plain text for the text part: paragraphs folded at `width`, lists with dashes, quotes
    with '> ', tables as columns or records, and links as 'label [n]' with '[n] URL' on its own
    line under the paragraph, so that adding UTM parameters later never lengthens a text line."""
    if not source.strip():
        return ""
    tokens = _tokens(source)
    blocks: list[tuple[str, bool]] = []  # (text, is a list item)
    list_depth = 0
    quote_depth = 0
    ordered: list[int] = []
    prefix = ""
    refs: list[str] = []
    table: list[list[str]] | None = None
    table_refs = 0
    for index, token in enumerate(tokens):
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            list_depth += 1
            ordered.append(0 if token.type == "bullet_list_open" else 1)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            list_depth -= 1
            ordered.pop()
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "table_open":
            table, table_refs = [], len(refs)
        elif token.type == "tr_open" and table is not None:
            table.append([])
        elif token.type == "table_close" and table is not None:
            blocks += [(record, False) for record in _table_to_text(table, width)]
            table = None
            if len(refs) > table_refs:
                blocks.append(("\n".join(f"[{n}] {url}" for n, url in enumerate(refs[table_refs:], start=table_refs + 1)), False))
        elif token.type == "list_item_open":
            if ordered[-1]:
                prefix = f"{ordered[-1]}. "
                ordered[-1] += 1
            else:
                prefix = "- "
        elif token.type == "inline":
            opener = tokens[index - 1].type if index else ""
            first_ref = len(refs) + 1
            content = _inline_to_text(token.children or [], refs)
            if table is not None:
                table[-1].append(" ".join(content.split()))
                continue
            quote = "> " * quote_depth
            indent = "  " * max(list_depth - 1, 0)
            inner = width - len(quote)
            if opener == "heading_open":
                text = wrap_text(content, inner)
            elif prefix:
                text = wrap_text(content, inner, first=indent + prefix, rest=indent + " " * len(prefix))
                indent += " " * len(prefix)
                prefix = ""
            else:
                text = wrap_text(content, inner, first=indent, rest=indent)
            new_refs = refs[first_ref - 1:]
            if new_refs:
                text += "".join(f"\n{indent}[{n}] {url}" for n, url in enumerate(new_refs, start=first_ref))
            if quote:
                text = "\n".join((quote + line).rstrip() for line in text.split("\n"))
            blocks.append((text, bool(list_depth)))
        elif token.type in {"fence", "code_block"}:
            blocks.append((token.content.rstrip(), False))
        elif token.type == "hr":
            blocks.append(("-" * 20, False))
    # List items sit on consecutive lines; everything else is separated by a blank line.
    text = ""
    previous_was_item = False
    for block, is_item in blocks:
        if text:
            text += "\n" if is_item and previous_was_item else "\n\n"
        text += block
        previous_was_item = is_item
    return text
