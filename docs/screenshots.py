"""Screenshots of the example issue (375 px, 700 px, dark mode) with headless Chromium.

Run with `make screenshots`. Offline, the email's https images cannot load, so a copy of the
HTML points them at the example workspace's local files (reference/email.md §8).
"""

from __future__ import annotations

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
    shoot(page, out_dir / "issue-375.png", width=375, height=12000)
    shoot(page, out_dir / "issue-700.png", width=700)
    shoot(page, out_dir / "issue-700-dark.png", width=700, dark=True)
    for name in ("issue-375.png", "issue-700.png", "issue-700-dark.png"):
        print(out_dir / name)


if __name__ == "__main__":
    main()
