"""The one Jinja2 environment of a workspace: its templates/ first, then the default theme.

Used by render (the email's MJML and text part), archive (pages and feed) and draft (the
Markdown skeleton): strict undefined variables, autoescape for HTML/XML/MJML templates only
(chosen by file name, so the draft's `.md.j2` and the `.txt.j2` part are never escaped), and
compiled templates kept in the user's cache folder.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from newsletter.errors import TemplateError
from newsletter.i18n import _
from newsletter.render.markup import markdown_to_html, markdown_to_text, wrap_text
from newsletter.workspace import default_theme_dir

if TYPE_CHECKING:
    from newsletter.config import Settings

AUTOESCAPED_SUFFIXES = (".mjml.j2", ".html.j2", ".xml.j2")


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith(AUTOESCAPED_SUFFIXES)


def _user_cache_dir() -> Path:
    """platformdirs.user_cache_dir("newsletter"), without importing platformdirs on Linux."""
    if sys.platform.startswith("linux"):
        return Path(os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")) / "newsletter"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsletter"))


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's compiled-template cache in the user's cache folder: compiling the theme is most
    of a cold render. Keyed by template source checksum, so an edited template recompiles."""
    folder = _user_cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: render without the cache
    return jinja2.FileSystemBytecodeCache(str(folder))


@lru_cache(maxsize=8)
def _environment(workspace_templates: Path, theme: Path) -> jinja2.Environment:
    search = [str(workspace_templates), str(theme)] if workspace_templates != theme else [str(theme)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # the preview re-reads a template edited while it runs
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = lambda source, width=None: Markup(markdown_to_html(source, image_width=width))
    env.filters["md_text"] = markdown_to_text
    env.filters["wrap_text"] = wrap_text
    return env


def template_environment(settings: Settings, *, filters: Mapping[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    """The one Jinja2 environment: workspace templates/ first, then the default theme; strict.

    `filters` adds a stage's own filters (the draft's `yaml` and `comment`) on an overlay that
    shares the loader and the compiled templates, leaving the shared environment untouched.
    """
    env = _environment(settings.templates_dir.resolve(), default_theme_dir().resolve())
    if not filters:
        return env
    overlay = env.overlay()
    overlay.filters = {**env.filters, **filters}
    return overlay


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    found: tuple[str, int] | None = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.endswith(".css"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template; a failure becomes a TemplateError naming the template file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        message = _("template {where}: {reason}").format(where=where, reason=exc.message)
        raise TemplateError(message, hint=_("fix the Jinja syntax on that line of the template")) from exc
    except jinja2.TemplateNotFound as exc:
        message = _("template not found: {name}").format(name=exc.name)
        raise TemplateError(message, hint=_("restore the file in templates/ or delete your override")) from exc
    except Exception as exc:
        frame = _template_frame(sys.exc_info()[2])
        where = f"{frame[0]}:{frame[1]}" if frame else name
        message = _("template {where}: {reason}").format(where=where, reason=exc)
        raise TemplateError(message, hint=_("check the variable or filter used on that line of the template")) from exc

