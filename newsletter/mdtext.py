"""Plain text made inert in Markdown: what the draft writes from a source's words.

Used by the draft, and by the parse workers, which prepare each entry's text while the other
feeds are still being fetched (a large draft escapes the texts of 30,000 items).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from newsletter.french import french_spacing

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(\s)")


def md_text(text: str) -> str:
    """Plain text made inert in Markdown (no emphasis, link, heading, list or HTML)."""
    # Each step only when it has something to do: a draft escapes four texts of 30k items.
    escaped = _MD_SPECIAL.sub(r"\\\1", text) if _MD_SPECIAL.search(text) else text
    if "![" in escaped:
        escaped = escaped.replace("![", "!\\[")
    return _MD_BLOCK_START.sub(r"\1\\\2\3", escaped) if _MD_BLOCK_START.match(escaped) else escaped


MD_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"
# The characters quote() leaves as they are with MD_URL_SAFE: a link made only of them is its own
# quoting (most links; a draft quotes 30,000 of them).
_UNQUOTED = re.compile(r"[A-Za-z0-9:/?#\[\]@!$&'*+,;=%~._-]*")


def md_url(url: str) -> str:
    """A URL safe inside (…) of a Markdown link."""
    return url if _UNQUOTED.fullmatch(url) else quote(url, safe=MD_URL_SAFE)


def french_md(text: str) -> str:
    """`text` with French spacing, made inert in Markdown: how a French draft writes a source's words."""
    return md_text(french_spacing(text))
