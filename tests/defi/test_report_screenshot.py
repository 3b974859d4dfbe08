"""The Défi report opened by a real browser: headless Chromium draws every chart of the page.

Each chart's first series is drawn in the theme's darkest colour (charts.PALETTE[0]), which
nothing else on the page uses; the screenshot must hold one band of that colour per chart,
apart from the others. Skipped, with the reason, where Chromium is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter.charts import PALETTE
from newsletter.cli import app

CHROMIUM = next((path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None)


def colour_bands(png: Path, colour: str, *, gap: int = 60) -> list[tuple[int, int]]:
    """(top, bottom) of each horizontal band of the image where `colour` fills part of the rows."""
    import numpy
    from PIL import Image

    target = numpy.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    with Image.open(png) as opened:
        pixels = numpy.asarray(opened.convert("RGB"), dtype=numpy.int16)
    matches = (numpy.abs(pixels - target) <= 3).all(axis=2).sum(axis=1)
    rows = [int(y) for y in numpy.nonzero(matches >= 20)[0]]
    bands: list[list[int]] = []
    for y in rows:
        if bands and y - bands[-1][1] <= gap:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    return [(top, bottom) for top, bottom in bands]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: the report's screenshot test needs a headless browser")
def test_every_chart_of_the_defi_report_is_visible(example_workspace: Path, tmp_path: Path) -> None:
    config = str(example_workspace / "newsletter.toml")
    runner = CliRunner()
    for args in (["defi", "import", str(example_workspace / "comptages" / "defi-moov-idf-2026.csv")], ["defi", "report"]):
        result = runner.invoke(app, ["--config", config, *args])
        assert result.exit_code == 0, result.output
    page = example_workspace / "reports" / "defi-moov-idf-2026.html"
    assert page.read_text(encoding="utf-8").count("<svg") == 3
    shot = tmp_path / "report.png"
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + str(tmp_path / "profile"),
         "--window-size=1100,9000", f"--screenshot={shot}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    bands = colour_bands(shot, PALETTE[0])
    assert len(bands) == 3, bands  # participation, modal shares, progression
    assert all(bottom - top > 150 for top, bottom in bands), bands  # drawn at full size, not collapsed
