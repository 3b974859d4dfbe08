"""`newsletter preview`: a local page showing the email at phone and desktop width, re-rendered on save.

A stdlib ThreadingHTTPServer on 127.0.0.1 serves the page; a background thread polls the
modification times of the issue file and of the workspace templates/ (polling rather than
inotify: it works the same on every OS and editor, and stops at once). The page asks
/version every 300 ms and reloads its panes when the number changes. A render error is
shown in the page; the server keeps running and the next good save brings the email back.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from newsletter import formats, i18n
from newsletter.errors import ConfigError, IssueError, NewsletterError, UsageError
from newsletter.i18n import _, ngettext
from newsletter.render.checks import Level, Problem

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.render.pipeline import RenderResult

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
# DNS rebinding: a web page from evil.example whose name now resolves to 127.0.0.1 may read
# this server unless requests that name another host are refused.
ALLOWED_HOSTS = frozenset({HOST, "localhost"})
MAX_NAME_BYTES = 1024
POLL_SECONDS = 0.2
PHONE_WIDTH, DESKTOP_WIDTH = 375, 700


@dataclass(frozen=True)
class PreviewState:
    """What the page shows: the last good render, and the error of the last attempt if it failed."""

    version: int = 0
    result: RenderResult | None = None
    error: str | None = None
    hint: str | None = None
    details: tuple[str, ...] = ()
    rendered_at: str = ""  # when `result` was rendered
    failed_at: str = ""  # when `error` happened


@dataclass
class _Watcher:
    paths: Callable[[], list[Path]]
    signature: object = field(default=None)

    def changed(self) -> bool:
        current = self._signature()
        if current != self.signature:
            self.signature = current
            return True
        return False

    def _signature(self) -> object:
        found: list[tuple[str, int, int, str]] = []
        for path in self.paths():
            try:
                stat = path.stat()
                # Hash the issue itself: two saves in the same clock tick keep the same mtime.
                digest = hashlib.sha1(path.read_bytes()).hexdigest() if path.suffix == ".md" else ""
            except OSError:
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size, digest))
        return tuple(found)


class PreviewServer:
    """The preview's HTTP server and file watcher; `start()` returns at once, `stop()` ends both."""

    def __init__(
        self,
        settings: Settings,
        issue_path: Path,
        *,
        port: int = 0,
        on_render: Callable[[PreviewState], None] | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.settings = settings
        self.issue_path = issue_path
        self.port = port
        self.on_render = on_render
        self.poll_seconds = poll_seconds
        self._state = PreviewState()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._watcher = _Watcher(self._watched_paths)

    @property
    def images_dir(self) -> Path:
        """The workspace's images/ folder: published under <web_url>images/, shown locally here."""
        return self.settings.root / "images"

    def local_images(self, document: str) -> str:
        """Point <web_url>images/… at this server, so images show before they are published."""
        base = self.settings.newsletter.web_url
        if not base or not self.images_dir.is_dir():
            return document
        return document.replace(base.rstrip("/") + "/images/", "/images/")

    def image_file(self, name: str) -> Path | None:
        """A file of images/ by name, never outside it; ValueError for a name no file can have."""
        decoded = unquote(name)
        if "\0" in decoded or len(decoded.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            raise ValueError("not a file name")
        try:
            candidate = (self.images_dir / decoded).resolve()
            if not candidate.is_file() or self.images_dir.resolve() not in candidate.parents:
                return None
        except OSError as exc:  # a name component longer than the file system allows
            raise ValueError("not a file name") from exc
        return candidate

    def host_allowed(self, host: str | None) -> bool:
        """Whether a request's Host header names this server, not a site resolving to 127.0.0.1."""
        name, _colon, port = (host or "").strip().lower().partition(":")
        return name in ALLOWED_HOSTS and (not port or port.isdigit())

    @property
    def state(self) -> PreviewState:
        return self._state

    @property
    def url(self) -> str:
        """The page's address, e.g. http://127.0.0.1:8025/ (the real port when 0 was asked)."""
        if self._httpd is None:
            raise RuntimeError("the preview server is not started")
        return f"http://{HOST}:{self._httpd.server_address[1]}/"

    def _watched_paths(self) -> list[Path]:
        paths = [self.issue_path]
        templates = self.settings.templates_dir
        if templates.is_dir():
            paths.extend(sorted(p for p in templates.rglob("*") if p.is_file()))
        return paths

    def start(self) -> None:
        """Render once, bind the port, and start the server and watcher threads."""
        try:
            self._httpd = ThreadingHTTPServer((HOST, self.port), _handler_for(self))
        except OverflowError:
            raise UsageError(
                _("--port {port} is not a port number").format(port=self.port), hint=_("choose a port from 1024 to 65535, or --port 0 for a free one")
            ) from None
        except OSError as exc:
            raise UsageError(
                _("cannot open the preview on port {port}: {reason}").format(port=self.port, reason=exc.strerror or exc),
                hint=_("another program uses this port; choose another with --port, or --port 0 for a free one"),
            ) from None
        self._httpd.daemon_threads = True
        self._watcher.changed()  # record the current signature
        self.rerender()
        self._stop.clear()
        httpd = self._httpd
        for target, name in ((lambda: httpd.serve_forever(poll_interval=0.1), "preview-http"), (self._watch, "preview-watch")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        logger.info(_("preview of {path} at {url}").format(path=self.issue_path, url=self.url))

    def stop(self) -> None:
        """Stop watching and serving; safe to call twice."""
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                if self._watcher.changed():
                    self.rerender()
            except Exception:  # the watcher must survive anything a save can do
                logger.exception("preview: re-render failed")

    def rerender(self) -> PreviewState:
        """Render the issue again; on failure keep the last good email and record the error."""
        from newsletter.render.pipeline import render_issue_file
        from newsletter.render.templates import template_environment

        previous = self._state
        stamp = time.strftime("%H:%M:%S")
        try:
            # Jinja's cache only notices edits to a template it already loaded; drop it so a new
            # override in templates/ (or a deleted one) is picked up too.
            cache = template_environment(self.settings).cache
            if cache is not None:
                cache.clear()
            result = render_issue_file(self.settings, self.issue_path)
        except NewsletterError as exc:
            details = tuple(exc.problems) if isinstance(exc, ConfigError | IssueError) else ()
            state = PreviewState(previous.version + 1, previous.result, exc.message, exc.hint, details, previous.rendered_at, stamp)
        except Exception as exc:
            logger.debug("preview: unexpected render failure", exc_info=True)
            state = PreviewState(
                previous.version + 1, previous.result, _("unexpected error while rendering ({kind}: {reason})").format(kind=type(exc).__name__, reason=exc),
                _("run `newsletter render` on the issue with --debug to see where it happens"), (), previous.rendered_at, stamp,
            )
        else:
            state = PreviewState(previous.version + 1, result, None, None, (), stamp)
        with self._lock:
            self._state = state
        if self.on_render is not None:
            self.on_render(state)
        return state

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _handler_for(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            logger.debug("preview: " + format, *args)

        def _send(self, body: str, content_type: str, status: int = 200) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _send_image(self, name: str) -> None:
            try:
                found = server.image_file(name)
            except ValueError:
                self._send("bad request: not an image name", "text/plain", 400)
                return
            if found is None:
                self._send(_("not found"), "text/plain", 404)
                return
            data = found.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(found.name)[0] or "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if not server.host_allowed(self.headers.get("Host")):
                self._send(_("this preview only answers at {url}").format(url=server.url), "text/plain", 403)
                return
            state = server.state
            route = self.path.split("?", 1)[0]
            if route == "/":
                self._send(page(server.issue_path, state), "text/html")
            elif route == "/version":
                self._send(json.dumps({"version": state.version}), "application/json")
            elif route == "/panel":
                top, bottom = panel(server.issue_path, state)
                self._send(json.dumps({"version": state.version, "top": top, "bottom": bottom}, ensure_ascii=False), "application/json")
            elif route == "/email.html":
                self._send(server.local_images(state.result.html) if state.result else _empty_email(), "text/html")
            elif route.startswith("/images/"):
                self._send_image(route.removeprefix("/images/"))
            elif route == "/email.txt":
                self._send(state.result.text if state.result else "", "text/plain")
            else:
                self._send(_("not found"), "text/plain", 404)

    return Handler


def _empty_email() -> str:
    words = html.escape(_("Nothing rendered yet: fix the error above."))
    return f'<!doctype html><meta charset="utf-8"><p style="font-family:sans-serif;color:#777;padding:2em">{words}</p>'


def _level_label(level: Level) -> str:
    return _("error") if level == Level.error else _("warning")


def _problem_row(path: Path, problem: Problem) -> str:
    where = f"{path.name}:{problem.line}" if problem.line else "—"
    return (
        f'<tr class="{problem.level.value}"><td>{html.escape(_level_label(problem.level))}</td><td>{html.escape(where)}</td>'
        f"<td>{html.escape(problem.message)}</td><td><code>{html.escape(problem.code)}</code></td></tr>"
    )


def panel(issue_path: Path, state: PreviewState) -> tuple[str, str]:
    """The parts of the page that change: (status line and error box, check report and text part)."""
    parts: list[str] = []
    below: list[str] = []
    result = state.result
    if state.error:
        details = "".join(f"<li>{html.escape(d)}</li>" for d in state.details)
        hint_words = html.escape(_("Tip: {hint}").format(hint=state.hint or ""))
        hint = f'<p class="hint">{hint_words}</p>' if state.hint else ""
        kept_words = html.escape(_("The preview below is the last version that rendered."))
        kept = f"<p>{kept_words}</p>" if result else ""
        failed = html.escape(_("The render failed at {time}").format(time=state.failed_at))
        listed = "<ul>" + details + "</ul>" if details else ""
        parts.append(f'<div class="render-error" role="alert"><h2>{failed}</h2><p class="message">{html.escape(state.error)}</p>{listed}{hint}{kept}</div>')
    if result is not None:
        errors, warnings = len(result.errors), len(result.warnings)
        stats = result.stats
        rendered = _("Last valid render at {time}") if state.error else _("Rendered at {time}")
        size = _("{size} KB of Gmail's 102 KB").format(size=formats.decimal(stats.html_bytes / 1024))
        error_count = ngettext("{n} error", "{n} errors", errors).format(n=formats.integer(errors))
        warning_count = ngettext("{n} warning", "{n} warnings", warnings).format(n=formats.integer(warnings))
        subject_label, preheader_label = html.escape(_("Subject:")), html.escape(_("Preheader:"))
        parts.append(
            f'<p class="status">{html.escape(rendered.format(time=state.rendered_at))} · {html.escape(size)} · '
            f'<span class="{"bad" if errors else "good"}">{html.escape(error_count)}</span>, {html.escape(warning_count)}</p>'
            f'<p class="subject"><strong>{subject_label}</strong> {html.escape(result.issue.front.subject)}<br>'
            f"<strong>{preheader_label}</strong> {html.escape(result.issue.front.preheader)}</p>"
        )
        checks = html.escape(_("Checks"))
        if result.problems:
            rows = "".join(_problem_row(issue_path, p) for p in result.problems)
            heads = "".join(f"<th>{html.escape(name)}</th>" for name in (_("Level"), _("Line"), _("Message"), _("Rule")))
            below.append(f'<h2>{checks}</h2><table class="report"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>')
        else:
            passed = html.escape(_("All checks passed."))
            below.append(f'<h2>{checks}</h2><p class="good">{passed}</p>')
        text_title = html.escape(_("Text version"))
        below.append(f'<h2>{text_title}</h2><pre class="text-part">{html.escape(result.text)}</pre>')
    return "\n".join(parts), "\n".join(below)


def page(issue_path: Path, state: PreviewState) -> str:
    """The whole preview page."""
    top, bottom = panel(issue_path, state)
    return _PAGE.format(
        title=html.escape(_("Preview — {name}").format(name=issue_path.name)),
        lang=i18n.language(),
        heading=html.escape(_("Preview of the newsletter")),
        live=html.escape(_("updates on every save")),
        phone_title=html.escape(_("Phone ({width} px)").format(width=PHONE_WIDTH)),
        phone_frame=html.escape(_("Phone preview"), quote=True),
        desktop_title=html.escape(_("Computer ({width} px)").format(width=DESKTOP_WIDTH)),
        desktop_frame=html.escape(_("Computer preview"), quote=True),
        live_js=json.dumps(_("updates on every save")),
        stopped_js=json.dumps(_("preview server stopped")),
        name=html.escape(str(issue_path)),
        version=state.version,
        phone=PHONE_WIDTH,
        desktop=DESKTOP_WIDTH,
        top=top,
        bottom=bottom,
    )


_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: #eef1f0; color: #1d2a27; }}
header {{ background: #00806e; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: baseline; }}
header h1 {{ font-size: 17px; margin: 0; }} header span {{ opacity: .85; font-size: 13px; }}
main {{ padding: 16px 20px; }}
.panes {{ display: flex; gap: 24px; align-items: flex-start; overflow-x: auto; padding-bottom: 8px; }}
.pane h2, main h2 {{ font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: #4a5a56; margin: 18px 0 6px; }}
.pane iframe {{ border: 1px solid #c9d2cf; background: #fff; height: 78vh; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }}
.render-error {{ margin-bottom: 12px; background: #fdecea; border: 1px solid #e0a39b; border-left: 6px solid #c0392b; padding: 10px 16px; border-radius: 6px; }}
.render-error h2 {{ color: #a93226; margin-top: 4px; }} .render-error .message {{ font-family: ui-monospace, monospace; white-space: pre-wrap; }}
.hint {{ color: #1d5b8f; }} .status {{ margin: 0 0 4px; }} .subject {{ margin: 0; color: #33443f; }}
.good {{ color: #1e7b34; }} .bad {{ color: #c0392b; font-weight: 600; }}
table.report {{ border-collapse: collapse; background: #fff; width: 100%; max-width: 1100px; }}
table.report th, table.report td {{ text-align: left; padding: 5px 10px; border-bottom: 1px solid #e1e6e4; vertical-align: top; }}
tr.error td:first-child {{ color: #c0392b; font-weight: 600; }} tr.warning td:first-child {{ color: #a86400; }}
pre.text-part {{ background: #fff; border: 1px solid #c9d2cf; padding: 12px 16px; max-width: 72ch; white-space: pre-wrap; border-radius: 6px; }}
</style></head>
<body>
<header><h1>{heading}</h1><span>{name}</span><span id="live">{live}</span></header>
<main>
<div id="top">{top}</div>
<div class="panes">
<div class="pane"><h2>{phone_title}</h2><iframe id="phone" title="{phone_frame}" width="{phone}" src="/email.html?v={version}"></iframe></div>
<div class="pane"><h2>{desktop_title}</h2><iframe id="desktop" title="{desktop_frame}" width="{desktop}" src="/email.html?v={version}"></iframe></div>
</div>
<div id="bottom">{bottom}</div>
</main>
<script>
let version = {version};
function reloadFrame(frame, v) {{
  let y = 0;
  try {{ y = frame.contentWindow.scrollY; }} catch (e) {{}}
  frame.onload = () => {{ try {{ frame.contentWindow.scrollTo(0, y); }} catch (e) {{}} }};
  frame.src = "/email.html?v=" + v;
}}
async function poll() {{
  try {{
    const answer = await fetch("/version", {{cache: "no-store"}});
    const data = await answer.json();
    if (data.version !== version) {{
      version = data.version;
      const parts = await (await fetch("/panel", {{cache: "no-store"}})).json();
      document.getElementById("top").innerHTML = parts.top;
      document.getElementById("bottom").innerHTML = parts.bottom;
      reloadFrame(document.getElementById("phone"), version);
      reloadFrame(document.getElementById("desktop"), version);
    }}
    document.getElementById("live").textContent = {live_js};
  }} catch (e) {{
    document.getElementById("live").textContent = {stopped_js};
  }}
  setTimeout(poll, 300);
}}
setTimeout(poll, 300);
</script>
</body></html>
"""
