"""Small RSS 2.0 feeds built in a test, item by item."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    date: str | None = None  # RFC 822, e.g. "Fri, 20 Nov 2026 10:00:00 +0100"
    html: str = ""


def rss(*items: Item, link: str = "https://ecomobilite.example.org/") -> bytes:
    """An RSS 2.0 document holding `items` (HTML descriptions escaped as feeds do)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Écomobilité</title>',
        f"<link>{escape(link)}</link><description>Veille</description>",
    ]
    for item in items:
        parts.append(f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>")
        if item.date:
            parts.append(f"<pubDate>{item.date}</pubDate>")
        parts.append(f"<description>{escape(item.html or item.title)}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")
