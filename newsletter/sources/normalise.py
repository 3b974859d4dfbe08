"""Feed entries as Candidates: HTML to plain text, summaries, images, dates (no network, no I/O)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from newsletter.mdtext import french_md
from newsletter.sources import Candidate
from newsletter.urls import canonical_url, url_key

SUMMARY_LENGTH = 300
PIXEL_HINTS = re.compile(r"(pixel|tracking|beacon|/b\.gif|feedburner\.com/~r|/~ff/|stats\.wordpress\.com|/open\.gif|1x1)", re.I)
IMAGE_EXTENSIONS = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|$)", re.I)
UNSAFE_TAGS = ["script", "style", "iframe", "object", "embed", "noscript", "template", "form", "svg"]
UNSAFE_BLOCK = re.compile(r"<(" + "|".join(UNSAFE_TAGS) + r")\b[^>]*>.*?(</\1\s*>|$)", re.I | re.S)
WORDPRESS_FOOTER = re.compile(
    r"(The post .{1,300}? appeared first on .{1,200}?\.?|L[’']article .{1,300}? est apparu en premier sur .{1,200}?\.?)\s*$",
    re.S,
)


# Block boundaries, marked before the tags go so that they survive as punctuation: a list of
# items reads "a; b; c", a heading or a paragraph ends a sentence.
BLOCK, ITEM = "\x1f", "\x1e"
BLOCK_TAG = re.compile(
    r"<(?:/?(?:p|div|h[1-6]|ul|ol|dl|dt|dd|table|thead|tbody|tr|blockquote|section|article|header|footer|figure|figcaption|pre|address)"
    r"|br|hr)\b[^>]*>",
    re.I,
)
ITEM_END = re.compile(r"</(?:li|td|th)\s*>", re.I)
_MARK_RUN = re.compile(r"[\x1e\x1f]\s*")
_FOLD_KEEPING_MARKS = re.compile(r"[^\S\x1e\x1f]+")
SENTENCE_END = (".", "!", "?", "…", ":", ";")
# Compiled once: re.sub(pattern, …) looks its pattern up in re's cache on each of 60,000 calls.
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
ANY_TAG = re.compile(r"<[^>]*>?")
ENTITY_LEFT = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
READ_MORE_END = re.compile(r"\s*\[(…|\.\.\.)\]$")


def _join_blocks(text: str) -> str:
    """Replace the boundary marks by readable punctuation ("; " between items, ". " between blocks),
    folding every other run of whitespace into one space; the result is stripped.

    The same as folding every whitespace run but the marks into one space, then splitting on each
    run that holds a mark (the mark that counts is the run's last one), but in one pass: the two
    regular expressions that did it (a negated class, and a backtracking `\\s*` tried at every
    space) cost half of `clean_summary`.
    """
    parts: list[str] = []
    position = 0
    for run in _MARK_RUN.finditer(text):
        # The run from its first mark; the spaces before that mark end the chunk, which is folded.
        spaces = run.group()
        last = max(spaces.rfind(BLOCK), spaces.rfind(ITEM))
        parts.append(" ".join(text[position : run.start()].split()))
        parts.append(spaces[last])
        position = run.end()
    parts.append(" ".join(text[position:].split()))
    out = parts[0]
    for mark, chunk in zip(parts[1::2], parts[2::2], strict=True):
        if not chunk:
            continue
        if not out:
            out = chunk
        elif out.endswith(SENTENCE_END) or (ITEM not in mark and BLOCK not in mark):
            out += " " + chunk
        elif BLOCK in mark:
            out += ". " + chunk
        else:
            out = out.rstrip(",") + "; " + chunk
    return out.strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: scripts dropped, entities decoded, whitespace folded.

    Paragraphs, headings and list items keep their boundaries as punctuation ("; " between list
    items, ". " after a heading or paragraph without one), so a rich entry does not read as one
    run-on sentence.
    """
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())  # the common case (a name, a plain title): whitespace folded only
    text = fragment
    blocks = False
    if "<" in text:
        # Regular expressions rather than a DOM: the result is plain text, escaped for Markdown
        # later, so no markup can survive; and it is 20x faster than BeautifulSoup on 3,000 entries.
        text = UNSAFE_BLOCK.sub(" ", text)
        text = HTML_COMMENT.sub(" ", text)
        if BLOCK in text or ITEM in text:
            text = text.replace(BLOCK, " ").replace(ITEM, " ")
        marked = ITEM_END.sub(ITEM, BLOCK_TAG.sub(BLOCK, text))
        blocks = marked != text
        text = ANY_TAG.sub(" ", marked)
    if "&" in text:
        text = html.unescape(text)
    # Titles that were escaped twice (WordPress "L&amp;#8217;école") keep an entity after one pass.
    if ENTITY_LEFT.search(text):
        text = html.unescape(text)
    if blocks:
        return _join_blocks(text)
    if BLOCK in text or ITEM in text:  # a mark from an entity (&#31;) is kept, as it always was
        return _FOLD_KEEPING_MARKS.sub(" ", text).strip()
    return " ".join(text.split())  # the same as folding with `\s+` and stripping, in C


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut `text` at a word boundary near `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    else:
        cut = cut[:limit]
    return cut.rstrip(" ,;:.-–—([«") + "…"


def clean_summary(fragment: str) -> str:
    """The summary as plain text of about 300 characters, without WordPress's boilerplate."""
    text = html_to_text(fragment)
    text = WORDPRESS_FOOTER.sub("", text).strip()
    if text.endswith("]") and READ_MORE_END.search(text):
        text = READ_MORE_END.sub("", text).rstrip()
        text = text if text.endswith((".", "!", "?", "…")) else text + "…"
    return shorten(text)


def _is_pixel(src: str, width: Any = None, height: Any = None) -> bool:
    for size in (width, height):
        try:
            if size is not None and int(str(size).rstrip("px") or "0") <= 2:
                return True
        except ValueError:
            pass
    return bool(PIXEL_HINTS.search(src))


def image_url(src: str, base: str) -> str | None:
    """An image address as written by the source, made absolute; None when it is not a real one.

    `<img src="x" onerror=…>` resolved against the article became `https://site/2026/x`: a
    relative address counts only when it names an image file (`/uploads/a.jpg`).
    """
    src = src.strip()
    if not src or any(c.isspace() for c in src):
        return None
    if not src.lower().startswith(("http://", "https://", "//")):
        path = src.split("?", 1)[0].split("#", 1)[0]
        if not IMAGE_EXTENSIONS.search(path) or ":" in path.split("/", 1)[0]:
            return None  # "x", "javascript:…", "data:…", a page rather than an image
    return canonical_url(src, base)


def _first_img(fragment: str, base: str) -> tuple[str, str] | None:
    if "<img" not in fragment.lower():
        return None
    # Imported here: most entries need no DOM, and the parse workers start faster without bs4.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "html.parser")
    for img in soup.find_all("img"):
        url = image_url(str(img.get("src") or ""), base)
        if url and not _is_pixel(url, img.get("width"), img.get("height")):
            return url, html_to_text(str(img.get("alt") or ""))
    return None


def entry_image(entry: Any, base: str) -> tuple[str, str] | None:
    """The entry's image and its alt text ("" when the source gives none): media:content,
    media:thumbnail, an image enclosure, else the first <img> of the content or summary."""
    for media in entry.get("media_content") or []:
        medium = str(media.get("medium", ""))
        mtype = str(media.get("type", ""))
        src = str(media.get("url", ""))
        if medium == "image" or mtype.startswith("image/") or (not medium and not mtype and IMAGE_EXTENSIONS.search(src)):
            url = image_url(src, base)
            if url and not _is_pixel(url, media.get("width"), media.get("height")):
                return url, ""
    for thumb in entry.get("media_thumbnail") or []:
        url = image_url(str(thumb.get("url", "")), base)
        if url and not _is_pixel(url, thumb.get("width"), thumb.get("height")):
            return url, ""
    for enclosure in entry.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/"):
            url = image_url(str(enclosure.get("href", "")), base)
            if url and not _is_pixel(url):
                return url, ""
    for fragment in [c.get("value", "") for c in entry.get("content") or []] + [entry.get("summary", "")]:
        found = _first_img(str(fragment), base)
        if found:
            return found
    return None


def _entry_date(entry: Any, tz: ZoneInfo) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                year, month, day, hour, minute, second = (int(x) for x in parsed[:6])
                return dt.datetime(year, month, day, hour, minute, min(second, 59), tzinfo=dt.UTC).astimezone(tz)
            except (TypeError, ValueError):
                continue
    return None


def normalise_entry(
    entry: Any,
    *,
    base: str,
    feed_base: str,
    source: str,
    section: str,
    tz: ZoneInfo,
    fetched_at: dt.datetime,
    prepare: bool = False,
) -> Candidate | None:
    """One feedparser entry as a Candidate; None when it has no usable link or no text at all."""
    link = str(entry.get("link") or "")
    if not link:
        guid = str(entry.get("id") or "")
        link = guid if guid.startswith(("http://", "https://")) else ""
    url = canonical_url(link, base) or canonical_url(link, feed_base)
    if url is None:
        return None
    content = " ".join(str(c.get("value", "")) for c in entry.get("content") or [])
    summary_html = str(entry.get("summary") or "") or content
    summary = clean_summary(summary_html)
    title = html_to_text(str(entry.get("title") or ""))
    if not title:
        if not summary:
            return None
        title = shorten(summary, 80)
    date = _entry_date(entry, tz)
    image = entry_image(entry, url)
    return Candidate(
        section=section,
        title=title,
        url=url,
        source=source,
        summary=summary,
        date=date or fetched_at,
        date_known=date is not None,
        image=image[0] if image else None,
        image_alt=(alt := (image[1] or title) if image else ""),
        key=url_key(url),
        drafted=(french_md(title), french_md(summary), french_md(alt)) if prepare else (),
    )


@dataclass
class ParsedFeed:
    """What feedparser could read from the bytes, normalised."""

    candidates: list[Candidate] = field(default_factory=list)
    unusable: int = 0  # entries with neither a usable link nor a title
    warnings: list[str] = field(default_factory=list)
    entries: int = 0
    bozo: str | None = None
    looks_html: bool = False
