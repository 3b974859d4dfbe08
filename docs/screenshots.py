"""Screenshots of the example issue (375 and 700 px, light and dark, Outlook-like) with headless Chromium.

Run with `make screenshots`. Offline, the email's https images cannot load, so a copy of the
HTML points them at the example workspace's local files (reference/email.md §8).

The "Outlook-like" shot approximates Outlook for Windows (the Word engine), which no headless
browser runs: the `<!--[if mso]>` markup is shown and the `<!--[if !mso]>` markup dropped, as
Outlook does; media queries, border-radius and max-width are removed (Word ignores them), and
the text is in Segoe UI. It shows the widths Outlook uses (the MSO tables, `<img width>`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--force-device-scale-factor=1",
]


def localise(html: str, remote_prefix: str, local_dir: Path) -> str:
    """Point remote image URLs at local files for an offline screenshot."""
    return html.replace(remote_prefix, local_dir.as_uri() + "/")


_MSO_OPEN = re.compile(r"<!--\[if [^\]]*mso[^\]]*\]>")
_NOT_MSO = re.compile(r"<!--\[if !mso[^\]]*\]><!-->.*?<!--<!\[endif\]-->", re.DOTALL)
_MEDIA = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
_IGNORED_BY_WORD = re.compile(r"(?:border-radius|max-width|box-shadow)\s*:[^;\"]*;?")


def outlook_like(html: str) -> str:
    """The email as Outlook for Windows reads it (an approximation; see the module's docstring)."""
    html = _NOT_MSO.sub("", html)
    html = _MSO_OPEN.sub("", html).replace("<![endif]-->", "")
    html = _MEDIA.sub("", html)
    html = _IGNORED_BY_WORD.sub("", html)
    style = '<style>body, table, td, div, p, a, h1, h2, h3, h4, li, span { font-family: "Segoe UI", "DejaVu Sans", sans-serif !important; }</style>'
    return html.replace("</head>", style + "</head>", 1)


def shoot(page: Path, target: Path, *, width: int, dark: bool = False, height: int = 7000) -> None:
    """One screenshot, then crop the empty background below the email."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium not found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={target}"]
        if dark:
            flags.append("--force-dark-mode")
        subprocess.run([chromium, *flags, page.as_uri()], check=True, capture_output=True, timeout=120)
    crop_background(target)


def crop_background(path: Path) -> None:
    """Cut the trailing rows that are only the page background."""
    from PIL import Image, ImageChops

    image = Image.open(path).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((2, image.height - 2)))
    box = ImageChops.difference(image, background).getbbox()
    if box:
        image.crop((0, 0, image.width, min(image.height, box[3] + 24))).save(path, optimize=True)


# (file name, window width, dark mode, Outlook-like) of each shot of the example issue.
SHOTS = (
    ("issue-375.png", 375, False, False),
    ("issue-375-dark.png", 375, True, False),
    ("issue-700.png", 700, False, False),
    ("issue-700-dark.png", 700, True, False),
    ("issue-outlook.png", 700, False, True),
)


def main() -> None:
    out_dir = ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    workspace = ROOT / "examples"
    build = Path(tempfile.mkdtemp(prefix="newsletter-shots-"))
    subprocess.run(
        [sys.executable, "-m", "newsletter.cli", "-q", "--config", str(workspace / "newsletter.toml"),
         "render", str(workspace / "issues" / "2026-11.md"), "--provider", "outbox", "--out", str(build)],
        check=True,
    )
    html = (build / "2026-11.html").read_text(encoding="utf-8")
    page = build / "preview.html"
    page.write_text(localise(html, "https://lettre.example.org/mobiscol/images/", workspace / "images"), encoding="utf-8")
    outlook = build / "outlook.html"
    outlook.write_text(outlook_like(page.read_text(encoding="utf-8")), encoding="utf-8")
    for name, width, dark, like_outlook in SHOTS:
        shoot(outlook if like_outlook else page, out_dir / name, width=width, dark=dark, height=12000 if width < 500 else 7000)
        print(out_dir / name)


if __name__ == "__main__":
    main()
