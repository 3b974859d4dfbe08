"""The theme's colours in light and dark mode, each text colour readable (WCAG AA) on its background.

The workspace chooses two brand colours ([theme] primary_color, accent_color). Used as they are,
a light brand colour fails as text or as a button: the Mobiscol orange #e8590c gives 3.58:1 on
white, the default #f39200 2.3:1. So every colour that carries text is derived here: the brand
colour darkened (light mode) or lightened (dark mode) just enough to reach the ratio against
every background it sits on. Decorative uses (the top border, the section bar) keep the brand
colour as written. The email, the archive pages and the contrast test all read this palette.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

AA_TEXT = 4.5  # WCAG 2.1 SC 1.4.3, text under 24 px (18.66 px bold)
AA_LARGE = 3.0
WHITE, BLACK = "#ffffff", "#000000"


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb (or #rgb) colour."""
    r, g, b = (_linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, toward: str, amount: float) -> str:
    """`colour` moved `amount` (0..1) of the way to `toward`, in sRGB."""
    a, b = _channels(colour), _channels(toward)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def readable(colour: str, backgrounds: tuple[str, ...], *, toward: str, ratio: float = AA_TEXT) -> str:
    """`colour`, or the first step of it toward black or white that reaches `ratio` on every background."""
    for step in range(51):
        candidate = mix(colour, toward, step / 50)
        if all(contrast(candidate, background) >= ratio for background in backgrounds):
            return candidate
    return toward


def lightened(colour: str, backgrounds: tuple[str, ...], *, ratio: float, saturation: float) -> str:
    """`colour` with its HLS lightness raised until it reaches `ratio` on every background (for
    dark mode), its saturation capped: mixing with white would turn a brand teal into grey."""
    import colorsys

    red, green, blue = (c / 255 for c in _channels(colour))
    hue, lightness, sat = colorsys.rgb_to_hls(red, green, blue)
    sat = min(sat, saturation)
    for step in range(101):
        level = lightness + (1 - lightness) * step / 100
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, level, sat))
        if all(contrast(candidate, background) >= ratio for background in backgrounds):
            return candidate
    return WHITE


@dataclass(frozen=True)
class Colours:
    """The colours of one mode. Backgrounds first, then the text drawn on them."""

    page: str  # behind the cards
    card: str
    tint: str  # the actor cards
    callout: str  # a highlighted section
    footer: str  # the footer band (white text)
    button: str  # primary buttons (white text)
    accent_button: str  # buttons of a highlighted section (white text)
    table_head: str  # a Markdown table's header row
    text: str
    heading: str
    muted: str  # meta lines, the small print under the footer
    tint_muted: str  # meta lines inside an actor card
    link: str  # links and item titles, on every background above but the buttons and footer
    accent_text: str  # the agenda's date lines
    quote: str  # a blockquote's text
    quote_border: str
    line: str  # separators, table borders, <hr>
    on_strong: str = "#ffffff"  # text on footer and buttons


@dataclass(frozen=True)
class Palette:
    """The brand colours as written, and the light and dark colours derived from them."""

    primary: str
    accent: str
    light: Colours
    dark: Colours


@lru_cache(maxsize=16)
def theme_palette(primary: str, accent: str) -> Palette:
    """The palette for a workspace's two brand colours (#rrggbb)."""
    primary, accent = primary.lower(), accent.lower()
    page, card, tint, callout = "#eef3f1", WHITE, "#e8f4f1", "#fff4ec"
    light_texts = (page, card, tint, callout)
    button = readable(primary, (WHITE,), toward=BLACK)
    light = Colours(
        page=page, card=card, tint=tint, callout=callout,
        footer=button,
        button=button,
        accent_button=readable(accent, (WHITE,), toward=BLACK),
        table_head="#e4efeb",
        text="#1f2a27",
        heading="#123a33",
        muted="#56645f",
        tint_muted="#4a5d57",
        link=readable(primary, (*light_texts, "#e4efeb"), toward=BLACK),
        accent_text=readable(accent, light_texts, toward=BLACK),
        quote="#3d4f4a",
        quote_border="#b9d3cb",
        line="#d5e0dc",
    )
    d_page, d_card, d_tint, d_callout = "#0f1614", "#18221f", "#213430", "#2a1f17"
    dark_texts = (d_page, d_card, d_tint, d_callout, "#24332f")
    dark = Colours(
        page=d_page, card=d_card, tint=d_tint, callout=d_callout,
        footer=readable(mix(primary, BLACK, 0.4), (WHITE,), toward=BLACK),
        button=button,
        accent_button=readable(mix(accent, BLACK, 0.2), (WHITE,), toward=BLACK),
        table_head="#24332f",
        text="#e4ece9",
        heading="#f2f7f5",
        muted="#a3b3ae",
        tint_muted="#b4c4bf",
        # Light on dark at exactly 4.5:1 looks dim; the links aim higher.
        link=lightened(primary, dark_texts, ratio=7.0, saturation=0.55),
        accent_text=lightened(accent, dark_texts, ratio=7.0, saturation=0.9),
        quote="#c5d3cf",
        quote_border="#3e5650",
        line="#33453f",
    )
    return Palette(primary=primary, accent=accent, light=light, dark=dark)
