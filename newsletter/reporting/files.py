"""Writing a report: the HTML page and the workbook side by side, each written atomically."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.fsutil import write_atomic
from newsletter.reporting.html import report_html
from newsletter.reporting.model import Report
from newsletter.reporting.xlsx import report_workbook

if TYPE_CHECKING:
    from newsletter.config import Settings

# Windows refuses these in a file name, names ending in a dot or a space, and a few device names.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class ReportFiles:
    """Where a report was written."""

    html: Path
    xlsx: Path


def safe_file_name(stem: str) -> str:
    """A file name stem every system accepts: `Rapport 2026/01–12` -> `rapport-2026-01-12`.

    Accents are kept off too (an archive tool or a funder's mail server may mangle them).
    """
    # é -> e (drop the accent), then any other non-ASCII character (a dash, an emoji) -> "-".
    decomposed = "".join(char for char in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(char))
    cleaned = _WINDOWS_FORBIDDEN.sub("-", decomposed.lower())
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", cleaned)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-. ")
    if not cleaned:
        cleaned = "rapport"
    if cleaned.split(".")[0] in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:120]


def write_report(settings: Settings, report: Report, *, out_dir: Path, stem: str) -> ReportFiles:
    """Write `<out_dir>/<stem>.html` and `<stem>.xlsx` (stem made safe); OutputError when a write fails.

    Both are built before either is written, so a failing chart or template leaves the previous
    files as they were.
    """
    name = safe_file_name(stem)
    html = report_html(settings, report)
    workbook = report_workbook(report)
    paths = ReportFiles(html=out_dir / f"{name}.html", xlsx=out_dir / f"{name}.xlsx")
    write_atomic(paths.html, html, durable=False)
    write_atomic(paths.xlsx, workbook, durable=False)
    return paths
