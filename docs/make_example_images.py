"""Draw the example workspace's images: three card illustrations and the Mobiscol logo.

Flat illustrations made of simple shapes, in the Mobiscol colours, written as small palette PNGs
into examples/images/. Pillow is not a dependency of the project; run this from a scratch venv:

    python3 -m venv /tmp/imgvenv && /tmp/imgvenv/bin/pip install pillow
    /tmp/imgvenv/bin/python docs/make_example_images.py [OUT_DIR]

Each scene is drawn at SCALE times its size and reduced, which smooths the edges.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

GREEN = "#00806e"
GREEN_DARK = "#005f52"
GREEN_LIGHT = "#7cc4b5"
ORANGE = "#e8590c"
ORANGE_LIGHT = "#f6a26b"
SKY = "#e6f4f1"
CREAM = "#fdf6ee"
ROAD = "#c9ced3"
ROAD_DARK = "#aeb5bc"
PAVEMENT = "#e3ddd3"
GRASS = "#cfe8d8"
HILL = "#b7dccb"
WHITE = "#ffffff"
SKIN = ["#f1c6a8", "#c98e6b", "#8d5a3e", "#e9b48f"]
HAIR = ["#3b2a20", "#6b4a2f", "#1f1a17", "#b5793e"]
SHIRTS = ["#3d6fb6", "#f2c14e", "#7b5ea7", "#d9485f", "#2f9e8f"]
TROUSERS = "#37474f"
INK = "#2b3a3a"

WIDTH, HEIGHT = 600, 300
SCALE = 3

Point = tuple[float, float]


class Canvas:
    """A drawing surface in output coordinates, scaled internally."""

    def __init__(self, width: int, height: int, background: str) -> None:
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)
        self.size = (width, height)

    @staticmethod
    def _s(values: tuple[float, ...]) -> list[float]:
        return [v * SCALE for v in values]

    def rect(self, box: tuple[float, float, float, float], fill: str, radius: float = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(self._s(box), radius=radius * SCALE, fill=fill)
        else:
            self.draw.rectangle(self._s(box), fill=fill)

    def ellipse(
        self,
        box: tuple[float, float, float, float],
        fill: str | None = None,
        outline: str | None = None,
        width: float = 1,
    ) -> None:
        self.draw.ellipse(self._s(box), fill=fill, outline=outline, width=round(width * SCALE))

    def circle(
        self,
        centre: Point,
        radius: float,
        fill: str | None = None,
        outline: str | None = None,
        width: float = 1,
    ) -> None:
        x, y = centre
        self.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=fill,
            outline=outline,
            width=width,
        )

    def polygon(self, points: list[Point], fill: str) -> None:
        self.draw.polygon([(x * SCALE, y * SCALE) for x, y in points], fill=fill)

    def line(self, points: list[Point], fill: str, width: float) -> None:
        scaled = [(x * SCALE, y * SCALE) for x, y in points]
        self.draw.line(scaled, fill=fill, width=round(width * SCALE), joint="curve")
        for x, y in (scaled[0], scaled[-1]):  # round caps
            r = width * SCALE / 2
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def pieslice(
        self, box: tuple[float, float, float, float], start: float, end: float, fill: str
    ) -> None:
        self.draw.pieslice(self._s(box), start, end, fill=fill)

    def finish(self, colours: int = 64) -> Image.Image:
        small = self.image.resize(self.size, Image.Resampling.LANCZOS)
        return small.quantize(
            colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )


# --- scenery ---------------------------------------------------------------------------------


def sky_and_hills(c: Canvas, horizon: float, sky: str = SKY) -> None:
    c.rect((0, 0, WIDTH, horizon), sky)
    c.ellipse((-80, horizon - 70, 260, horizon + 90), fill=HILL)
    c.ellipse((180, horizon - 50, 520, horizon + 110), fill=GRASS)
    c.ellipse((420, horizon - 80, 720, horizon + 100), fill=HILL)
    c.rect((0, horizon, WIDTH, HEIGHT), GRASS)


def cloud(c: Canvas, x: float, y: float, size: float = 1.0) -> None:
    for dx, dy, r in ((0, 0, 16), (18, -8, 20), (40, 0, 15), (20, 6, 16)):
        c.circle((x + dx * size, y + dy * size), r * size, fill=WHITE)


def sun(c: Canvas, x: float, y: float) -> None:
    c.circle((x, y), 24, fill="#fbd38d")
    c.circle((x, y), 17, fill="#f9b94a")


def tree(c: Canvas, x: float, ground: float, height: float = 70, crown: str = GREEN_LIGHT) -> None:
    c.rect((x - 4, ground - height * 0.55, x + 4, ground), "#8a6a4f", radius=2)
    r = height * 0.32
    c.circle((x, ground - height * 0.62), r, fill=crown)
    c.circle((x - r * 0.55, ground - height * 0.5), r * 0.7, fill=crown)
    c.circle((x + r * 0.55, ground - height * 0.5), r * 0.7, fill=crown)


def school(c: Canvas, x: float, ground: float, width: float = 170, height: float = 95) -> None:
    """A school building with a pediment, windows, a door and a bell tower."""
    left, right, top = x, x + width, ground - height
    c.rect((left, top, right, ground), "#f4e1c6")
    c.polygon([(left - 10, top + 2), ((left + right) / 2, top - 38), (right + 10, top + 2)], ORANGE)
    c.rect(((left + right) / 2 - 11, top - 62, (left + right) / 2 + 11, top - 26), "#f4e1c6")
    c.polygon(
        [
            ((left + right) / 2 - 16, top - 60),
            ((left + right) / 2, top - 78),
            ((left + right) / 2 + 16, top - 60),
        ],
        ORANGE,
    )
    c.circle(((left + right) / 2, top - 44), 6, fill=WHITE)
    c.circle(((left + right) / 2, top - 44), 6, outline=INK, width=1.2)
    c.rect((left, top + 4, right, top + 12), GREEN)  # frieze (where the name would be)
    columns = 4
    step = width / columns
    for i in range(columns):
        wx = left + i * step + step / 2
        if i in (1, 2):
            continue
        c.rect((wx - 13, top + 24, wx + 13, top + 50), "#bfe3f0", radius=2)
        c.rect((wx - 1, top + 24, wx + 1, top + 50), WHITE)
        c.rect((wx - 13, ground - 34, wx + 13, ground - 10), "#bfe3f0", radius=2)
        c.rect((wx - 1, ground - 34, wx + 1, ground - 10), WHITE)
    mid = (left + right) / 2
    c.rect((mid - 20, ground - 48, mid + 20, ground), GREEN_DARK, radius=3)
    c.rect((mid - 1, ground - 48, mid + 1, ground), GREEN)
    c.rect((mid - 30, top + 24, mid + 30, top + 40), "#bfe3f0", radius=2)


# --- people ----------------------------------------------------------------------------------


def walker(
    c: Canvas,
    x: float,
    ground: float,
    height: float,
    shirt: str,
    skin: str,
    hair: str,
    stride: float = 1.0,
    vest: str | None = None,
    backpack: str | None = None,
    hand: Point | None = None,
) -> Point:
    """A walking person seen from the side, facing right; returns the front hand position."""
    head_r = height * 0.11
    hip_y = ground - height * 0.45
    shoulder_y = ground - height * 0.78
    leg = height * 0.045
    step = height * 0.16 * stride
    c.line([(x, hip_y), (x - step, ground - 2)], TROUSERS, leg)
    c.line([(x, hip_y), (x + step, ground - 2)], TROUSERS, leg)
    c.line([(x - step, ground - 2), (x - step + 6 * height / 80, ground - 2)], INK, leg * 0.9)
    c.line([(x + step, ground - 2), (x + step + 6 * height / 80, ground - 2)], INK, leg * 0.9)
    c.line(
        [(x, shoulder_y + 4), (x - step * 0.8, hip_y + 4)], skin, leg * 0.8
    )  # back arm, behind the body
    if backpack:
        c.rect(
            (x - height * 0.19, shoulder_y + 2, x - height * 0.06, hip_y - 4),
            backpack,
            radius=height * 0.03,
        )
    c.rect(
        (x - height * 0.1, shoulder_y - 3, x + height * 0.1, hip_y + 3), shirt, radius=height * 0.06
    )
    if vest:
        c.rect(
            (x - height * 0.1, shoulder_y + 2, x + height * 0.1, hip_y), vest, radius=height * 0.05
        )
        c.rect(
            (x - height * 0.1, hip_y - height * 0.11, x + height * 0.1, hip_y - height * 0.08),
            "#fff3c4",
        )
    front = hand if hand is not None else (x + step * 0.9, hip_y + 2)
    c.line([(x + height * 0.02, shoulder_y + 4), front], skin, leg * 0.8)
    hx, hy = x + head_r * 0.15, shoulder_y - head_r * 1.05
    c.circle((hx, hy), head_r, fill=skin)
    c.pieslice((hx - head_r, hy - head_r, hx + head_r, hy + head_r), 160, 360, fill=hair)
    return front


def cyclist(
    c: Canvas,
    x: float,
    ground: float,
    size: float,
    shirt: str,
    skin: str,
    helmet: str,
    bike: str,
    vest: str | None = None,
) -> None:
    """A person on a bicycle, facing right; x is the middle of the bike."""
    wheel = size * 0.2
    rear, front = (x - size * 0.3, ground - wheel), (x + size * 0.3, ground - wheel)
    for centre in (rear, front):
        c.circle(centre, wheel, fill=None, outline=INK, width=size * 0.035)
        c.circle(centre, size * 0.025, fill=INK)
    crank = (x - size * 0.02, ground - wheel)
    seat = (x - size * 0.12, ground - wheel - size * 0.3)
    bar = (x + size * 0.2, ground - wheel - size * 0.36)
    frame_w = size * 0.04
    c.line([rear, crank, (bar[0] - size * 0.03, bar[1] + size * 0.06), rear], bike, frame_w)
    c.line([crank, seat], bike, frame_w)
    c.line([(bar[0] - size * 0.03, bar[1] + size * 0.06), front], bike, frame_w)
    c.line([(bar[0] - size * 0.05, bar[1]), (bar[0] + size * 0.04, bar[1])], INK, frame_w)
    c.line([(seat[0] - size * 0.05, seat[1]), (seat[0] + size * 0.05, seat[1])], INK, frame_w * 1.2)
    hip = (seat[0], seat[1] - size * 0.04)
    knee = (x + size * 0.06, seat[1] - size * 0.02)
    c.line([hip, knee, (crank[0] + size * 0.04, crank[1] + size * 0.04)], TROUSERS, size * 0.06)
    shoulder = (x - size * 0.02, seat[1] - size * 0.36)
    c.line([hip, shoulder], vest or shirt, size * 0.14)
    c.line([shoulder, (bar[0] - size * 0.01, bar[1] - size * 0.01)], skin, size * 0.045)
    head = (shoulder[0] + size * 0.07, shoulder[1] - size * 0.13)
    c.circle(head, size * 0.09, fill=skin)
    r = size * 0.105
    c.pieslice(
        (head[0] - r, head[1] - r - size * 0.01, head[0] + r, head[1] + r - size * 0.01),
        180,
        360,
        fill=helmet,
    )


# --- scenes ----------------------------------------------------------------------------------


def velobus() -> Image.Image:
    """A vélobus: children on bikes in a line on a cycle path, an adult at each end."""
    c = Canvas(WIDTH, HEIGHT, SKY)
    horizon = 170
    sky_and_hills(c, horizon)
    sun(c, 520, 60)
    cloud(c, 80, 60)
    cloud(c, 300, 40, 0.8)
    for tx, th in ((40, 80), (150, 64), (430, 76), (560, 70)):
        tree(c, tx, horizon + 6, th, GREEN_LIGHT if tx % 20 else "#9fd3c4")
    c.rect((0, 205, WIDTH, 275), GREEN)  # cycle path
    c.rect((0, 205, WIDTH, 209), "#e9f5f2")
    c.rect((0, 271, WIDTH, 275), "#e9f5f2")
    for dx in range(10, WIDTH, 60):
        c.rect((dx, 238, dx + 30, 241), "#d6eee8")
    c.rect((0, 275, WIDTH, HEIGHT), GRASS)
    riders = [
        (70, 78, GREEN_DARK, SKIN[1], GREEN, "#546e7a", ORANGE),
        (170, 58, SHIRTS[0], SKIN[0], ORANGE, SHIRTS[1], None),
        (255, 56, SHIRTS[3], SKIN[2], ORANGE, GREEN_DARK, None),
        (340, 60, SHIRTS[2], SKIN[3], ORANGE, SHIRTS[0], None),
        (425, 55, SHIRTS[4], SKIN[1], ORANGE, SHIRTS[3], None),
        (525, 80, "#455a64", SKIN[0], GREEN, "#546e7a", ORANGE),
    ]
    for x, size, shirt, skin, helmet, bike, vest in riders:
        cyclist(c, x, 262, size, shirt, skin, helmet, bike, vest)
    return c.finish()


def rue_scolaire() -> Image.Image:
    """A rue scolaire: a barrier closes the street in front of the school; families walk on it."""
    c = Canvas(WIDTH, HEIGHT, CREAM)
    ground = 190
    c.rect((0, 0, WIDTH, ground), SKY)
    cloud(c, 60, 50, 0.9)
    cloud(c, 250, 35, 0.7)
    school(c, 330, ground, 190, 100)
    tree(c, 290, ground, 90)
    tree(c, 560, ground, 84, "#9fd3c4")
    tree(c, 40, ground, 70, "#9fd3c4")
    c.rect((0, ground, WIDTH, ground + 16), PAVEMENT)  # pavement
    c.rect((0, ground + 16, WIDTH, HEIGHT), ROAD)  # street, closed to cars
    c.rect((0, ground + 16, WIDTH, ground + 19), ROAD_DARK)
    # chalk drawings on the street: hopscotch and circles
    for i, (hx, hy) in enumerate(((420, 262), (446, 262), (472, 252), (472, 272), (498, 262))):
        c.rect((hx, hy - 10, hx + 24, hy + 10), ["#fde7d6", "#d7f0ea"][i % 2], radius=2)
    c.circle((540, 258), 14, fill=None, outline="#fde7d6", width=3)
    c.circle((380, 280), 8, fill=None, outline="#d7f0ea", width=3)
    # barrier across the street
    for px in (70, 170):
        c.rect((px - 4, 200, px + 4, 280), "#6d7a80", radius=2)
        c.rect((px - 10, 276, px + 10, 284), "#6d7a80", radius=2)
    c.rect((52, 214, 188, 234), ORANGE, radius=3)
    for sx in range(52, 160, 28):
        c.rect((sx + 14, 216, sx + 28, 232), WHITE)
    # a round "no motor vehicles" sign on the left post
    c.rect((117, 150, 123, 214), "#6d7a80")
    c.circle((120, 150), 20, fill=WHITE)
    c.circle((120, 150), 20, fill=None, outline="#d63c2f", width=5)
    # families walking on the street towards the school
    walker(c, 250, 292, 90, SHIRTS[0], SKIN[0], HAIR[0], backpack=None)
    walker(c, 285, 292, 58, SHIRTS[1], SKIN[0], HAIR[3], backpack=ORANGE)
    walker(c, 340, 286, 54, SHIRTS[3], SKIN[2], HAIR[2], 0.8, backpack=GREEN)
    walker(c, 395, 292, 86, GREEN_DARK, SKIN[1], HAIR[1], 0.9)
    walker(c, 430, 290, 56, SHIRTS[2], SKIN[1], HAIR[2], backpack=SHIRTS[1])
    walker(c, 560, 288, 60, SHIRTS[4], SKIN[3], HAIR[0], 0.7, backpack=ORANGE)
    return c.finish()


def pedibus() -> Image.Image:
    """A pédibus: a line of children in orange vests follows an adult along the pavement."""
    c = Canvas(WIDTH, HEIGHT, SKY)
    ground = 250
    c.rect((0, 0, WIDTH, 200), SKY)
    sun(c, 80, 58)
    cloud(c, 220, 50, 0.9)
    cloud(c, 420, 70, 0.7)
    # houses in the background
    for hx, hw, hh, colour in (
        (0, 90, 70, "#f4e1c6"),
        (95, 70, 90, "#e7d2f0"),
        (170, 80, 60, "#d8ecf7"),
    ):
        c.rect((hx, 200 - hh, hx + hw, 200), colour)
        c.polygon(
            [(hx - 4, 200 - hh), (hx + hw / 2, 200 - hh - 26), (hx + hw + 4, 200 - hh)], "#c9694a"
        )
        c.rect(
            (hx + hw / 2 - 9, 200 - hh + 20, hx + hw / 2 + 9, 200 - hh + 38), "#bfe3f0", radius=2
        )
    school(c, 400, 200, 170, 90)
    tree(c, 290, 200, 76)
    tree(c, 360, 200, 62, "#9fd3c4")
    c.rect((0, 200, WIDTH, ground + 4), PAVEMENT)
    for px in range(0, WIDTH, 40):
        c.rect((px, 200, px + 2, ground + 4), "#d3ccc0")
    c.rect((0, ground + 4, WIDTH, ground + 10), "#b9b1a5")  # kerb
    c.rect((0, ground + 10, WIDTH, HEIGHT), ROAD)
    for dx in range(0, WIDTH, 70):
        c.rect((dx, 282, dx + 36, 286), WHITE)
    # the pédibus stop: a post with a round sign showing footprints
    c.rect((36, 150, 42, ground), "#6d7a80")
    c.circle((39, 142), 20, fill=GREEN)
    for fx, fy in ((33, 148), (45, 136)):
        c.ellipse((fx - 4, fy - 6, fx + 4, fy + 6), fill=WHITE)
    # the line: an adult leading, children in orange vests, an adult closing it
    walker(c, 470, ground, 100, GREEN_DARK, SKIN[1], HAIR[0], vest=GREEN, hand=(498, 208))
    c.rect((496, 170, 500, 212), "#6d7a80")
    c.circle((498, 166), 13, fill=ORANGE)
    c.circle((498, 166), 6, fill=WHITE)
    children = [
        (420, SHIRTS[0], SKIN[0], HAIR[3], GREEN),
        (375, SHIRTS[3], SKIN[2], HAIR[2], SHIRTS[1]),
        (330, SHIRTS[4], SKIN[3], HAIR[0], GREEN_DARK),
        (285, SHIRTS[2], SKIN[1], HAIR[1], SHIRTS[0]),
        (240, SHIRTS[1], SKIN[0], HAIR[0], GREEN),
        (195, SHIRTS[0], SKIN[2], HAIR[2], SHIRTS[3]),
    ]
    for i, (x, shirt, skin, hair, bag) in enumerate(children):
        walker(
            c,
            x,
            ground,
            60 - (i % 2) * 4,
            shirt,
            skin,
            hair,
            0.9 if i % 2 else 1.1,
            vest=ORANGE,
            backpack=bag,
        )
    walker(c, 140, ground, 96, "#455a64", SKIN[3], HAIR[1], 0.9, vest=GREEN)
    return c.finish()


def logo() -> Image.Image:
    """The wordmark: a round green/orange mark and 'mobiscol' in a bold sans, transparent ground."""
    width, height = 360, 90
    big = Image.new("RGBA", (width * SCALE, height * SCALE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(big)
    s = SCALE
    # the mark: a green disc with two white footsteps, and an orange sun / child's head
    draw.ellipse((8 * s, 13 * s, 72 * s, 77 * s), fill=GREEN)
    for cx, cy in ((29, 55), (49, 44)):
        footprint(draw, cx * s, cy * s, 6.5 * s, 20)
    draw.ellipse((50 * s, 8 * s, 74 * s, 32 * s), fill=ORANGE, outline=WHITE, width=3 * s)
    font = load_font(50 * s)
    text_y = 45 * s
    x = 86 * s
    for part, colour in (("mobi", GREEN), ("scol", ORANGE)):
        draw.text((x, text_y), part, font=font, fill=colour, anchor="lm")
        x += draw.textlength(part, font=font)
    small = big.resize((width, height), Image.Resampling.LANCZOS)
    return small.quantize(colors=32, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def footprint(draw: ImageDraw.ImageDraw, cx: float, cy: float, unit: float, angle: float) -> None:
    """A small white footprint: a sole and a heel, tilted by angle degrees (clockwise from up)."""
    rad = math.radians(angle)

    def oval(dx: float, dy: float, rx: float, ry: float) -> None:
        points = []
        for k in range(24):
            t = 2 * math.pi * k / 24
            px, py = dx + rx * math.cos(t), dy + ry * math.sin(t)
            points.append(
                (
                    cx + px * math.cos(rad) - py * math.sin(rad),
                    cy + px * math.sin(rad) + py * math.cos(rad),
                )
            )
        draw.polygon(points, fill=WHITE)

    oval(0, -0.6 * unit, 0.9 * unit, 1.35 * unit)  # sole
    oval(0, 1.55 * unit, 0.65 * unit, 0.7 * unit)  # heel


def load_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Bold when installed (apt-get install fonts-dejavu-core), else Pillow's default."""
    for candidate in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ):
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


IMAGES: dict[str, Callable[[], Image.Image]] = {
    "velobus.png": velobus,
    "rue-scolaire.png": rue_scolaire,
    "pedibus.png": pedibus,
    "logo-mobiscol.png": logo,
}


def main(argv: list[str]) -> int:
    out = (
        Path(argv[1])
        if len(argv) > 1
        else Path(__file__).resolve().parent.parent / "examples" / "images"
    )
    out.mkdir(parents=True, exist_ok=True)
    for name, make in IMAGES.items():
        path = out / name
        make().save(path, optimize=True)
        sys.stdout.write(f"{path} {path.stat().st_size // 1024} KB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
