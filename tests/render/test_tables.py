"""A Markdown table in an issue is styled in the email (issue 10 §4): borders, padding, a header
row, no word cut in two on a phone; the text part's side is in test_text_part.py."""

from __future__ import annotations

import re
from pathlib import Path

from newsletter.config import load_settings
from newsletter.render.pipeline import render_issue_file
from tests.support.workspace import kitchen_sink_workspace


def test_table_cells_have_borders_padding_and_whole_words(tmp_path: Path) -> None:
    config, issue = kitchen_sink_workspace(tmp_path / "ws")
    html = render_issue_file(load_settings(config, environ={}), issue).html
    table = re.search(r"<table style=\"([^\"]*)\">(.*?)</table>", html, re.DOTALL)
    assert table and "border-collapse: collapse" in table.group(1) and "width: 100%" in table.group(1)
    cells = re.findall(r"<(th|td) style=\"([^\"]*)\">", table.group(2))
    assert len(cells) == 9
    for tag, style in cells:
        assert re.search(r"border: 1px solid #[0-9a-f]{6}", style), style
        assert "padding: 8px 10px" in style and "word-break: normal" in style, style
        assert ("background-color" in style) == (tag == "th"), style
