"""The report opens in a real browser with every chart drawn (headless Chromium; skipped without it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_report_screenshot_shows_every_chart(example_workspace: Path, tmp_path: Path) -> None:
    from newsletter.cli import app

    (example_workspace / "state").mkdir(exist_ok=True)
    shutil.copy(ROOT / "examples" / "report" / "campaigns-2026.json", example_workspace / "state" / "campaigns.json")
    result = CliRunner().invoke(app, ["--config", str(example_workspace / "newsletter.toml"), "report", "--from", "2026-01", "--to", "2026-12", "--cached"])
    assert result.exit_code == 0, result.output
    page = example_workspace / "reports" / "rapport-lettre-2026-01-2026-12.html"
    html = page.read_text(encoding="utf-8")
    shot = tmp_path / "shot.png"
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                    "--window-size=1280,7000", f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=90)
    image = Image.open(shot).convert("RGB")
    # Each chart draws bars, lines or markers in the theme's dark teal (#0b4d43): count the
    # bands of the page where it appears; the six charts make at least six separate bands.
    width, height = image.size
    rows_with_teal = [y for y in range(0, height, 4) if any(image.getpixel((x, y)) == (11, 77, 67) for x in range(0, width, 3))]
    bands = sum(1 for previous, current in zip([-100, *rows_with_teal], rows_with_teal, strict=False) if current - previous > 60)
    assert html.count("<svg") == 6
    assert bands >= 6, bands

    # Printed to A4: the sections follow each other (one page each, half empty, made 8 pages).
    pdf = tmp_path / "report.pdf"
    subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    page.as_uri()], check=True, capture_output=True, timeout=90)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert 4 <= pages <= 7, pages
