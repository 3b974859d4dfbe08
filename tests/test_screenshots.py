"""`make screenshots` (docs/screenshots.py) takes the dark 375 px shot and an Outlook-like shot
(issue 11 §7); the Outlook-like page shows the MSO markup as Outlook does."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from newsletter.config import load_settings
from newsletter.render.pipeline import render_issue_file
from tests.conftest import EXAMPLES, ROOT


def _screenshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_screenshots", ROOT / "docs" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shots_include_375_dark_and_outlook_like() -> None:
    shots = {(name, width, dark, outlook) for name, width, dark, outlook in _screenshots().SHOTS}
    assert ("issue-375-dark.png", 375, True, False) in shots
    assert ("issue-700-dark.png", 700, True, False) in shots
    assert any(outlook for *_, outlook in shots)


def test_outlook_like_page_shows_the_mso_markup() -> None:
    html = render_issue_file(load_settings(EXAMPLES / "newsletter.toml", environ={}), EXAMPLES / "issues" / "2026-11.md").html
    page = _screenshots().outlook_like(html)
    assert "<!--[if" not in page and "<![endif]-->" not in page
    assert "@media" not in page and "border-radius" not in page and "max-width" not in page
    assert re.search(r'<table [^>]*width="640"', page)  # the Outlook tables are now real tables
    assert re.search(r'<td style="vertical-align:top;width:278px;"|<img [^>]*width="278"', page)
    assert '"Segoe UI"' in page and "nl-card" in page
