"""The one Jinja environment: strict, escaped by file name, shared, and extensible per stage."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from newsletter.config import load_settings
from newsletter.render.templates import template_environment

ROOT = Path(__file__).resolve().parents[2]


def settings_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    shutil.copytree(ROOT / "examples", tmp_path / "ws")
    (tmp_path / "ws" / "templates").mkdir(exist_ok=True)
    return load_settings(tmp_path / "ws" / "newsletter.toml", environ={})


def test_one_environment_per_workspace_with_stage_filters_on_an_overlay(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    env = template_environment(settings)
    assert template_environment(settings) is env
    draft_env = template_environment(settings, filters={"shout": str.upper})
    assert draft_env.from_string("{{ 'a' | shout }}").render() == "A"
    assert "shout" not in env.filters and {"md", "md_text"} <= set(draft_env.filters)
    assert draft_env.loader is env.loader


def test_workspace_templates_first_autoescape_by_name_strict_undefined(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    (settings.templates_dir / "page.html.j2").write_text("{{ value }}", encoding="utf-8")
    (settings.templates_dir / "note.md.j2").write_text("{{ value }}", encoding="utf-8")
    env = template_environment(settings)
    assert env.get_template("page.html.j2").render(value="<b>") == "&lt;b&gt;"
    assert env.get_template("note.md.j2").render(value="<b>") == "<b>"
    assert env.get_template("newsletter.txt.j2") is not None  # the default theme behind
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
