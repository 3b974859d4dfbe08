"""The render pipeline: Issue -> Jinja2 -> MJML -> mjml-python -> css-inline -> HTML; and the text part.

The text part is rendered from the Issue through templates/newsletter.txt.j2, never converted
from the HTML (reference/email.md §7).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter.actorintro import recount_new_actors
from newsletter.choices import Layout, Provider
from newsletter.errors import TemplateError
from newsletter.french import french_date
from newsletter.i18n import _
from newsletter.issue import Issue, Section, parse_issue, read_issue_text
from newsletter.render.checks import CheckInput, Level, Problem, run_checks
from newsletter.render.images import LocalImage, localise_images
from newsletter.render.markup import tag_html_links, tag_text_links
from newsletter.render.palette import theme_palette
from newsletter.render.templates import render_template, template_environment

if TYPE_CHECKING:
    from newsletter.config import ActorMapSection, Settings


MJML_TEMPLATE = "newsletter.mjml.j2"
TEXT_TEMPLATE = "newsletter.txt.j2"
INLINE_CSS = "inline.css"

PROVIDER_PLACEHOLDERS: Mapping[Provider, str] = {
    Provider.brevo: "{{ unsubscribe }}",
    Provider.mailjet: "[[UNSUB_LINK_FR]]",
}
# Other placeholders a provider replaces, allowed to remain in the output.
ALLOWED_PLACEHOLDERS: Mapping[Provider, frozenset[str]] = {
    Provider.brevo: frozenset({"{{ unsubscribe }}", "{{ mirror }}", "{{ update_profile }}", "{{ contact.FIRSTNAME }}"}),
    Provider.mailjet: frozenset({"[[UNSUB_LINK_FR]]", "[[UNSUB_LINK_EN]]", "[[PERMALINK]]"}),
    Provider.outbox: frozenset(),
}


@dataclass(frozen=True)
class RenderStats:
    """Figures shown in the render report."""

    html_bytes: int
    text_bytes: int
    sections: int
    items: int
    links: int
    images: int


@dataclass(frozen=True)
class RenderResult:
    """Both parts of the email, the MJML they came from, and what the checks found."""

    issue: Issue
    provider: Provider
    mjml: str
    html: str
    text: str
    problems: tuple[Problem, ...]
    stats: RenderStats
    html_path: Path | None = None
    text_path: Path | None = None
    mjml_path: Path | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(problem.level == Level.error for problem in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.warning]


def unsubscribe_placeholder(settings: Settings, provider: Provider) -> str:
    """The unsubscribe link to put in both parts for this provider."""
    if provider in PROVIDER_PLACEHOLDERS:
        return PROVIDER_PLACEHOLDERS[provider]
    return settings.newsletter.unsubscribe_url or ""


def web_link(settings: Settings, issue: Issue) -> str | None:
    """The issue's page in the web archive ("Voir dans le navigateur"), when web_url is set."""
    base = settings.newsletter.web_url
    if not base:
        return None
    return base.rstrip("/") + f"/{issue.stem}.html"


# An attribute value holding a character outside ASCII. The MJML's text never holds a raw '="'
# (Jinja and markdown-it escape quotes in text), so this finds attribute values only; the
# possessive '*+' keeps the scan linear (0.3 ms on the example issue against 0.8 ms without).
_VALUE_WITH_NON_ASCII = re.compile(r'="[\x00-\x21\x23-\x7f]*+[^\x00-\x7f][^"]*"')
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# mj-title's text becomes the body's aria-label attribute too, escaped the same way.
_TITLE_WITH_NON_ASCII = re.compile(r"<mj-title>[^<]*[^\x00-\x7f][^<]*</mj-title>")


def _references(match: re.Match[str]) -> str:
    return _NON_ASCII.sub(lambda c: f"&#{ord(c.group(0))};", match.group(0))


def protect_attributes(mjml: str) -> str:
    """Non-ASCII characters of attribute values written as character references (&#160;).

    mjml-python writes attribute values through Rust's escape_debug: a non-breaking space
    (French spacing in alt texts: "Rues\\u00a0: test") and any combining accent come out as the
    literal text `\\u{a0}`, which screen readers then read aloud. A character reference is
    copied as is, and css-inline's HTML parser turns it back into the character.
    """
    if mjml.isascii():
        return mjml
    return _TITLE_WITH_NON_ASCII.sub(_references, _VALUE_WITH_NON_ASCII.sub(_references, mjml))


def compile_mjml(mjml: str, *, template: str = MJML_TEMPLATE) -> str:
    """MJML -> HTML with mjml-python; a parse failure becomes a TemplateError naming the template."""
    from mjml import mjml2html

    try:
        # fonts={} keeps MJML from adding a Google Fonts <link> (privacy, and useless in Gmail).
        return mjml2html(mjml, disable_comments=True, fonts={})
    except BaseException as exc:  # pyo3 panics derive from BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TemplateError(
            _("the template {template} produced MJML that does not compile: {detail}").format(template=template, detail=detail),
            hint=_(
                "check the MJML tags your template override writes (every tag closed, mj-text inside mj-column); "
                "the generated MJML is in the .mjml file next to the output"
            ),
        ) from None


# Characters XML 1.0 forbids (a \v or \0 written as an escape in the front matter, U+FFFE): the
# MJML parser stops at them with a message that blames the template. The checks report them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_chars_only(mjml: str) -> str:
    """The MJML without the characters an XML parser refuses."""
    return _NOT_XML.sub("", mjml)


def inline_css(document: str, css: str) -> str:
    """Inline only the theme's own CSS; keep MJML's <style> blocks (media queries, dark mode)."""
    import css_inline

    inliner = css_inline.CSSInliner(
        inline_style_tags=False,
        keep_style_tags=True,
        keep_link_tags=True,
        load_remote_stylesheets=False,
        extra_css=css,
    )
    return str(inliner.inline(document))


def build_context(settings: Settings, issue: Issue, provider: Provider) -> dict[str, Any]:
    """Everything the templates see."""
    news = settings.newsletter
    locale = news.locale
    actor_map = settings.file.actor_map
    sections = [_recounted(s) for s in issue.sections if s.items or s.intro.strip()]
    has_actors = any(s.layout == Layout.actors for s in sections)
    map_url, add_actor_url = _map_links(actor_map)
    return {
        "issue": issue,
        "front": issue.front,
        "title": issue.front.title or news.title,
        "number": issue.front.number,
        "month_label": french_date(issue.front.date, "MMMM yyyy", locale),
        "date_label": french_date(issue.front.date, "d MMMM yyyy", locale),
        "sections": sections,
        "section_config": {s.id: s for s in settings.file.sections},
        "news": news,
        "theme": settings.file.theme,
        "palette": theme_palette(settings.file.theme.primary_color, settings.file.theme.accent_color),
        "unsubscribe": unsubscribe_placeholder(settings, provider),
        "web_link": web_link(settings, issue),
        "has_actors": has_actors,
        "actor_map": actor_map,
        "map_url": map_url,
        "add_actor_url": add_actor_url,
        "provider": provider.value,
        "preheader_padding": "\u034f\u200c\u00a0" * 60,
    }


def _recounted(section: Section) -> Section:
    """An actors section whose intro's "dont N nouveaux acteurs" counts the actors left in it."""
    if section.layout != Layout.actors or not section.intro:
        return section
    intro = recount_new_actors(section.intro, len(section.items))
    return section if intro == section.intro else section.model_copy(update={"intro": intro})


def _map_links(actor_map: ActorMapSection | None) -> tuple[str | None, str | None]:
    """(the full map, the 'add your action' form) on the map's public site, when known."""
    if actor_map is None:
        return None, None
    public = actor_map.public_url
    if not public.startswith(("http://", "https://")):
        return None, None  # a local copy (the offline example) has no public page to link to
    if actor_map.kind == "gogocarto":
        base = public.rstrip("/")
        return f"{base}/annuaire", f"{base}/elements/add"
    return public, None


def utm_params(settings: Settings, issue: Issue, *, medium: str | None = None) -> dict[str, str]:
    """The UTM parameters for this issue, or none when disabled; `medium` overrides [utm] medium."""
    utm = settings.file.utm
    if not utm.enabled:
        return {}
    return {"utm_source": utm.source, "utm_medium": medium or utm.medium, "utm_campaign": utm.campaign or issue.stem}


def untagged_urls(settings: Settings) -> frozenset[str]:
    """Links that never get UTM parameters: the subscription pages and the map data's licence."""
    licence = settings.file.actor_map.licence_url if settings.file.actor_map else None
    return frozenset(u for u in (settings.newsletter.unsubscribe_url, settings.newsletter.subscribe_url, licence) if u)


def render_issue(
    settings: Settings,
    issue: Issue,
    *,
    source: str,
    provider: Provider | None = None,
    extra_context: Mapping[str, Any] | None = None,
    local_images: tuple[LocalImage, ...] = (),
    utm_medium: str | None = None,
) -> RenderResult:
    """Render both parts of an issue in memory and run the checks; writes nothing.

    `local_images` are the images written as files, found by `parse_for_render`; `utm_medium`
    replaces [utm] medium (the web archive says "web").
    """
    chosen = provider or settings.provider
    env = template_environment(settings)
    context = build_context(settings, issue, chosen)
    if extra_context:
        context.update(extra_context)
    mjml = render_template(env, MJML_TEMPLATE, context)
    # inline.css is a template too: its colours come from the palette.
    html = inline_css(compile_mjml(protect_attributes(xml_chars_only(mjml))), render_template(env, INLINE_CSS, context))
    text = render_template(env, TEXT_TEMPLATE, context)
    params = utm_params(settings, issue, medium=utm_medium)
    skip = untagged_urls(settings)
    html = tag_html_links(html, params, skip=skip)
    text = tag_text_links(text, params, skip=skip)
    unsubscribe = unsubscribe_placeholder(settings, chosen)
    problems = run_checks(
        CheckInput(
            issue=issue,
            source=source,
            html=html,
            text=text,
            unsubscribe=unsubscribe,
            allowed_placeholders=ALLOWED_PLACEHOLDERS.get(chosen, frozenset()) | ({unsubscribe} if unsubscribe else set()),
            apostrophes=settings.typographic_apostrophes,
            local_images=local_images,
        )
    )
    parse_warnings = tuple(Problem(Level.warning, "structure", message, line) for line, message in issue.warnings)
    if context["web_link"] is None and "web_link" not in (extra_context or {}):
        parse_warnings += (
            Problem(
                Level.warning,
                "web-link",
                _("[newsletter] web_url is not set: the email has no 'Voir dans le navigateur' link; set it to where `newsletter archive` is published"),
            ),
        )
    stats = RenderStats(
        html_bytes=len(html.encode("utf-8")),
        text_bytes=len(text.encode("utf-8")),
        sections=len(context["sections"]),
        items=len(issue.items),
        links=len(issue.links),
        images=len(issue.images),
    )
    return RenderResult(issue=issue, provider=chosen, mjml=mjml, html=html, text=text, problems=tuple(problems) + parse_warnings, stats=stats)


def render_issue_file(settings: Settings, path: Path, *, provider: Provider | None = None) -> RenderResult:
    """Read, parse and render an issue file in memory."""
    source = read_issue_text(path)
    issue, local_images = parse_for_render(settings, source, path)
    return render_issue(settings, issue, source=source, provider=provider, local_images=local_images)


def parse_for_render(settings: Settings, source: str, path: Path) -> tuple[Issue, tuple[LocalImage, ...]]:
    """Parse an issue's text, its images of the workspace's images/ at their address under web_url."""
    parsed, local_images = localise_images(source, root=settings.root, web_url=settings.newsletter.web_url)
    return parse_issue(parsed, path, settings.file.sections), local_images


def write_outputs(result: RenderResult, out_dir: Path) -> RenderResult:
    """Write <stem>.html, .txt and .mjml atomically into out_dir."""
    from newsletter.fsutil import write_atomic

    stem = result.issue.stem
    paths = {suffix: out_dir / f"{stem}.{suffix}" for suffix in ("html", "txt", "mjml")}
    # Build outputs can be rebuilt at any time: atomic, but without the cost of fsync.
    hint = _("check that {folder} is a folder you may write in, or choose another one with --out").format(folder=out_dir)
    write_atomic(paths["mjml"], result.mjml, durable=False, hint=hint)
    write_atomic(paths["txt"], result.text, durable=False, hint=hint)
    write_atomic(paths["html"], result.html, durable=False, hint=hint)
    return replace(result, html_path=paths["html"], text_path=paths["txt"], mjml_path=paths["mjml"])


def render_to_files(settings: Settings, path: Path, *, out_dir: Path | None = None, provider: Provider | None = None) -> RenderResult:
    """`newsletter render`: render, check, and write the three files (even when a check fails)."""
    result = render_issue_file(settings, path, provider=provider)
    return write_outputs(result, out_dir or settings.build_dir)


def check_issue(settings: Settings, path: Path, *, provider: Provider | None = None) -> RenderResult:
    """`newsletter check`: render in memory and run the rules (links are checked by linkcheck)."""
    return render_issue_file(settings, path, provider=provider)
