"""Screenshots of the web archive of the example workspace (index and one issue page), headless Chromium.

Run with `.venv/bin/python docs/archive_screenshots.py` (needs chromium and Pillow, `pip install -e '.[docs]'`).
Offline, the https images cannot load, so copies of the pages point them at the example's local files.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import ROOT, localise, shoot  # noqa: E402

REMOTE_IMAGES = "https://lettre.example.org/mobiscol/images/"


def main() -> None:
    out_dir = ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    workspace = ROOT / "examples"
    site = Path(tempfile.mkdtemp(prefix="newsletter-archive-shots-"))
    subprocess.run(
        [sys.executable, "-m", "newsletter.cli", "-q", "--config", str(workspace / "newsletter.toml"), "archive", "--all", "--out", str(site)],
        check=True,
    )
    for name in ("index.html", "2026-11.html"):
        page = site / name
        page.write_text(localise(page.read_text(encoding="utf-8"), REMOTE_IMAGES, workspace / "images"), encoding="utf-8")
    shoot(site / "index.html", out_dir / "archive-index.png", width=1000, height=1400)
    shoot(site / "2026-11.html", out_dir / "archive-issue.png", width=700)
    for name in ("archive-index.png", "archive-issue.png"):
        print(out_dir / name)  # noqa: T201


if __name__ == "__main__":
    main()
