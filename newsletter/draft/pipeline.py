"""Candidates -> a draft issue: the window, the skeleton of the month, the merge (selection.py filters).

`draft_issue(settings, today=...)` fetches every source (sources/collect.py), keeps what is new, and writes
issues/<month>.md through templates/draft.md.j2. An existing file is never overwritten:
candidates it lacks are appended under "À trier" and every other byte stays as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsletter import formats
from newsletter.actorintro import new_actors_phrase
from newsletter.config import Settings
from newsletter.draft.actors import ActorSelection, select_actors
from newsletter.draft.memory import (
    DRAFT_MEMORY_NAME,
    deleted_keys,
    extend_month,
    load_draft_memory,
    record_fetch,
    save_draft_memory,
)
from newsletter.draft.selection import (
    URL_RE,
    drop_published,
    issue_links,
    link_key,
    select_feed_items,
)
from newsletter.draft.window import PreviousIssue, draft_window
from newsletter.errors import IssueError, TemplateError, UsageError
from newsletter.french import french_date, french_spacing, typographic_apostrophes
from newsletter.frontmatter import PREHEADER_MAX, PREHEADER_MIN, SUBJECT_MAX
from newsletter.fsutil import backup_copy, write_atomic
from newsletter.i18n import _, ngettext
from newsletter.issue import TRIAGE_TITLE
from newsletter.mdtext import french_md, md_text, md_url
from newsletter.sources import Candidate, SourceReport
from newsletter.sources.actormap import MAP_NAME
from newsletter.sources.collect import ProgressCallback, collect_sources, no_source_warning

PLACEHOLDER = "À COMPLÉTER"
UPDATED_NOTE = "Acteurs déjà présents dont la fiche a changé : gardez ceux qui méritent une ligne."
# The lengths the check asks for (frontmatter.py), so the draft and the check agree.
SUBJECT_PLACEHOLDER = f"{PLACEHOLDER} — objet de l'email (au plus {SUBJECT_MAX} caractères)"
PREHEADER_PLACEHOLDER = f"{PLACEHOLDER} — phrase d'accroche affichée après l'objet ({PREHEADER_MIN} à {PREHEADER_MAX} caractères)"
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")



# --- the issue's skeleton -----------------------------------------------------------------------


def parse_month(value: str | None, today: dt.date) -> str:
    """'YYYY-MM' (the current month when None); UsageError otherwise."""
    if value is None:
        return f"{today.year:04d}-{today.month:02d}"
    match = MONTH_RE.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:  # 0000-01: no such date
        raise UsageError(_("--month {value} is not a month").format(value=repr(value)), hint=_("write it as YYYY-MM, e.g. --month 2026-12"))
    return value.strip()


def md_comment(text: str) -> str:
    """An invisible Markdown line (a link reference definition): a note to the editor, in French."""
    return '[//]: # "' + french_spacing(text).replace('"', "'").replace("\n", " ") + '"'


@functools.lru_cache(maxsize=1024)
def _format_day(day: dt.date, locale: str) -> str:
    # Cached: a draft dates thousands of items over a few dozen days, and Babel costs ~50 µs a call.
    if day.day == 1 and locale.startswith("fr"):
        return "1er " + french_date(day, "MMMM yyyy", locale)  # the French rules' 1er (newsletter.french)
    return french_date(day, "d MMMM yyyy", locale)


@functools.lru_cache(maxsize=4096)
def _item_meta(source: str, day: dt.date | None, locale: str) -> str:
    # Cached: a large draft has thousands of items, but only a few dates per source.
    meta = f"{source} · {_format_day(day, locale)}" if day is not None else f"{source} · date inconnue"
    return french_spacing(meta) if locale.startswith("fr") else meta


def item_context(candidate: Candidate, *, locale: str, apostrophes: bool = False) -> dict[str, Any]:
    """What draft.md.j2 needs for one item, already escaped for Markdown (and French typography,
    with ’ when `apostrophes`: what `check --fix` would write, so that the check finds nothing)."""
    french = locale.startswith("fr")
    if candidate.meta:
        meta = french_spacing(candidate.meta) if french else candidate.meta
    else:
        meta = _item_meta(candidate.source, candidate.date.date() if candidate.date is not None and candidate.date_known else None, locale)
    if french:
        # Prepared on the parse workers while other feeds were fetched (`Candidate.drafted`).
        title, summary, alt = candidate.drafted or (french_md(candidate.title), french_md(candidate.summary), french_md(candidate.image_alt))
        if apostrophes:
            title, summary, alt, meta = (typographic_apostrophes(text) for text in (title, summary, alt, meta))
    else:
        title, summary, alt = md_text(candidate.title), md_text(candidate.summary), md_text(candidate.image_alt)
    image, note = candidate.image, ""
    if image is not None and not image.startswith("https://"):
        # `check` refuses an image that is not https:// (mail clients block it): never write one.
        image, note = None, f"Image de la source non reprise (adresse non sécurisée, refusée par check) : {image}"
    return {
        "title": title,
        "url": md_url(candidate.url),
        "image": md_url(image) if image else None,
        "alt": alt,
        "meta": md_text(meta),
        "summary": summary,
        "kind": candidate.kind,
        "note": note,
    }


def _template_env(settings: Settings) -> Any:
    # The one environment of render/templates.py (autoescape by file name: draft.md.j2 is
    # Markdown, never escaped; its values are escaped for Markdown before they get here).
    from newsletter.render.templates import template_environment

    return template_environment(settings, filters={"yaml": lambda value: json.dumps(value, ensure_ascii=False), "comment": md_comment})


def render_draft(settings: Settings, context: dict[str, Any]) -> str:
    """templates/draft.md.j2 (the workspace's copy first) rendered with `context`."""
    import jinja2

    try:
        return str(_template_env(settings).get_template("draft.md.j2").render(**context))
    except jinja2.TemplateError as exc:
        raise TemplateError(
            _("the draft template failed: {reason}").format(reason=exc),
            hint=_("if you copied templates/draft.md.j2 into your workspace, compare it with the default one"),
        ) from exc


# --- the whole command ----------------------------------------------------------------------------


@dataclass
class DraftResult:
    """What `newsletter draft` did."""

    path: Path
    action: str  # created | merged | unchanged | replaced | not written
    month: str
    since: dt.date
    reports: list[SourceReport]
    window_start: dt.datetime | None = None
    window_origin: str = ""  # where the window starts from, in words
    added: int = 0
    images_left_out: int = 0  # items written without their source's http:// image
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return bool(self.reports) and all(r.failed for r in self.reports)

    @property
    def offline(self) -> bool:
        """Every source failed without reaching its site: the computer is probably offline."""
        return self.all_failed and all(r.unreachable for r in self.reports)


def draft_issue(
    settings: Settings,
    *,
    today: dt.date,
    month: str | None = None,
    since: dt.date | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
    transport: Any = None,
    cache_dir: Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> DraftResult:
    """Fetch every source, keep what is new since the previous issue, write or merge issues/<month>.md.

    `now` (the CLI's clock) dates the fetch, the `--force` backup's name and the draft memory;
    without it, noon of `today`. The core never reads the clock itself.
    """
    tz = settings.tz
    month_name = parse_month(month, today)
    warnings: list[str] = []
    memory_path = settings.state_dir / DRAFT_MEMORY_NAME
    memory = load_draft_memory(memory_path, warnings)
    source_names = [feed.name for feed in settings.file.feeds] + ([MAP_NAME] if settings.file.actor_map is not None else [])
    window = draft_window(settings, month_name, today=today, since=since, memory=memory, sources=source_names, warnings=warnings)
    previous = window.previous
    window_start = window.start
    since = window_start.date()
    if since > today:
        raise UsageError(
            _("the window starts on {start}, after today ({today})").format(start=formats.long_date(since), today=formats.long_date(today)),
            hint=_("give --since a date in the past"),
        )
    fetched_at = now or dt.datetime.combine(today, dt.time(12, 0), tzinfo=tz)
    window_end = dt.datetime.combine(today, dt.time.max, tzinfo=tz)
    path = settings.issues_dir / f"{month_name}.md"
    if (path.exists() or path.is_symlink()) and not path.is_file():
        raise UsageError(
            _("{path} is not a file (a folder, or a link to nothing readable): the draft of {month} goes there").format(path=path, month=month_name),
            hint=_("move or rename {path}, then run draft again").format(path=path),
        )

    collection = collect_sources(settings, now=fetched_at, transport=transport, cache_dir=cache_dir, on_progress=on_progress)
    warnings.extend(collection.warnings)
    if not collection.reports:
        warnings.append(no_source_warning(settings))
    links = issue_links(settings.issues_dir)
    skip = {month_name, *window.unsent}
    published: set[str] = set().union(*(keys for stem, keys in links.items() if stem not in skip))
    # What the editor deleted from another month's draft never comes back (this month: `_merge`).
    deleted = deleted_keys(memory, links, skip=skip)
    seen: set[str] = set()
    selection: ActorSelection | None = None
    snapshot_path = settings.state_dir / "actor-map.json"
    baseline = None
    conf = settings.file.actor_map
    if collection.map is not None and collection.map.data is not None and conf is not None:
        from newsletter.draft.snapshot import baseline_for, load_snapshot

        snapshot = load_snapshot(snapshot_path, collection.map.report.warnings)
        baseline = baseline_for(snapshot, month_name, unsent=window.unsent)
        selection = select_actors(
            collection.map.data, conf, collection.map.report, baseline=baseline, since=window_start, until=window_end, tz=tz
        )
        selection.new = drop_published(selection.new, published, seen, collection.map.report, deleted=deleted)
        selection.updated = drop_published(selection.updated, published, seen, collection.map.report)
    items = select_feed_items(
        collection.feeds, settings, since=window.since, until=window_end, published=published, seen_urls=seen, deleted=deleted
    )

    result = DraftResult(
        path=path, action="not written", month=month_name, since=since, reports=collection.reports, warnings=warnings,
        window_start=window_start, window_origin=window.origin,
    )
    if result.all_failed:
        return result
    context = _draft_context(settings, month_name, today, since, previous, items, selection)
    fresh_start = force or not path.exists()
    if not fresh_start:
        month_record = memory.get(month_name)
        _merge(settings, path, context, result, proposed=month_record.keys() if month_record else set())
    else:
        if path.exists():
            result.backup = backup_copy(path, fetched_at, hint=_("delete old {name}.bak-* files, then run draft --force again").format(name=path.name))
            result.action = "replaced"
        else:
            result.action = "created"
        write_atomic(path, render_draft(settings, context))
        result.added = sum(len(section["items"]) for section in context["sections"])
        result.images_left_out = sum(1 for section in context["sections"] for item in section["items"] if item["note"])
    if result.images_left_out:
        warnings.append(
            ngettext(
                "{n} image left out: its address is not https://, which check refuses; a note under its item in the draft gives the address",
                "{n} images left out: their address is not https://, which check refuses; a note under each item in the draft gives the address",
                result.images_left_out,
            ).format(n=formats.integer(result.images_left_out))
        )
    candidate_urls = [item["url"] for section in context["sections"] for item in section["items"]]
    extend_month(memory, month_name, candidate_urls, now=fetched_at, fresh=fresh_start)
    fetched = [report.name for report in collection.reports if not report.failed]
    record_fetch(memory, month_name, fetched_at=fetched_at, window_start=window_start, sources=fetched)
    save_draft_memory(memory_path, memory)
    if selection is not None:
        from newsletter.draft.snapshot import save_snapshot

        save_snapshot(snapshot_path, month=month_name, baseline=baseline, current=selection.current)
    return result


def _draft_context(
    settings: Settings,
    month: str,
    today: dt.date,
    since: dt.date,
    previous: PreviousIssue | None,
    items: list[Candidate],
    selection: ActorSelection | None,
) -> dict[str, Any]:
    locale = settings.file.newsletter.locale
    apostrophes = settings.typographic_apostrophes
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    issue_date = today if (today.year, today.month) == (first.year, first.month) else first
    number = (previous.number + 1) if previous and previous.number else (None if previous else settings.file.newsletter.first_number)
    by_section: dict[str, list[Candidate]] = {}
    for candidate in sorted(items, key=lambda c: c.date or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True):
        by_section.setdefault(candidate.section, []).append(candidate)
    conf = settings.file.actor_map
    sections: list[dict[str, Any]] = []
    updated_id = f"{conf.section}-maj" if conf is not None else None
    updated_configured = any(section.id == updated_id for section in settings.file.sections)
    for section in settings.file.sections:
        entry: dict[str, Any] = {"id": section.id, "title": section.title, "intro": "", "notes": [], "items": []}
        if conf is not None and section.id == conf.section and selection is not None:
            entry["items"] = [item_context(c, locale=locale, apostrophes=apostrophes) for c in selection.new]
            entry["intro"] = _actors_intro(settings, selection)
            if selection.first_run:
                entry["notes"].append(
                    f"Premier relevé de la carte : sont annoncés les acteurs créés ou validés depuis le {_format_day(since, locale)}. Les prochains brouillons compareront avec ce relevé."
                )
        elif section.id == updated_id:
            entry["items"] = [item_context(c, locale=locale, apostrophes=apostrophes) for c in selection.updated] if selection is not None else []
            if entry["items"]:
                entry["notes"].append(UPDATED_NOTE)
        else:
            entry["items"] = [item_context(c, locale=locale, apostrophes=apostrophes) for c in by_section.get(section.id, [])]
        if section.id == "edito":
            entry["notes"].append("Écrivez ici l'édito (600 à 900 caractères), puis supprimez cette ligne.")
        elif not entry["items"] and not entry["intro"]:
            entry["notes"].append("Rien de nouveau pour cette section : complétez-la, ou laissez-la vide pour qu'elle n'apparaisse pas dans l'email.")
        sections.append(entry)
        if conf is not None and section.id == conf.section and selection is not None and selection.updated and not updated_configured:
            # No [[sections]] entry for it: the render lays it out as text, with a warning.
            sections.append(
                {
                    "id": updated_id,
                    "title": "Fiches mises à jour sur la carte",
                    "intro": "",
                    "notes": [UPDATED_NOTE],
                    "items": [item_context(c, locale=locale, apostrophes=apostrophes) for c in selection.updated],
                }
            )
    name = settings.file.newsletter.title
    return {
        "front": {
            "title": f"{name} — {french_date(first, 'MMMM yyyy', locale)}",
            "subject": SUBJECT_PLACEHOLDER,
            "preheader": PREHEADER_PLACEHOLDER,
            "date": issue_date.isoformat(),
            "number": number,
        },
        "sections": sections,
        "since": since.isoformat(),
        "today": today.isoformat(),
        "append_only": False,
        "triage_heading": True,
        "triage_title": TRIAGE_TITLE,
        "triage": [],
    }


def _actors_intro(settings: Settings, selection: ActorSelection) -> str:
    conf = settings.file.actor_map
    assert conf is not None
    site = conf.public_url if conf.public_url.startswith("http") else None
    licence_url = selection.licence_url or conf.licence_url
    name = settings.file.newsletter.name
    map_label = f"[carte des acteurs {md_text(name)}]({md_url(site.rstrip('/') + '/annuaire')})" if site and conf.kind == "gogocarto" else f"carte des acteurs {md_text(name)}"
    return (
        # The render recounts this phrase from the actors left in the section (actorintro.py).
        f"{selection.total} acteurs sur la carte, {new_actors_phrase(len(selection.new))}. "
        f"Données\u00a0: {map_label}, sous licence [{md_text(conf.licence_name)}]({md_url(licence_url)})."
    )


def _merge(settings: Settings, path: Path, context: dict[str, Any], result: DraftResult, *, proposed: set[str]) -> None:
    """Append under "À trier" the candidates neither in the file nor `proposed` before (URL keys).

    Every existing byte is left alone; an item the editor deleted was proposed, so it stays out.
    """
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise IssueError(
            _("cannot read {path} to merge new items into it: {reason}").format(path=path, reason=exc.strerror or exc),
            hint=_("check that you may read and write {path} (its permissions, its owner), or move it away and run draft again").format(path=path),
        ) from None
    except UnicodeDecodeError as exc:
        raise IssueError(
            _("cannot read {path} to merge new items into it: {reason}").format(path=path, reason=exc), hint=_("save it as UTF-8, or use --force")
        ) from None
    present = {link_key(url) for url in URL_RE.findall(text)} | proposed
    fresh: list[dict[str, Any]] = []
    for section in context["sections"]:
        for item in section["items"]:
            key = link_key(item["url"])
            if key not in present:
                present.add(key)
                fresh.append(item)
    if not fresh:
        result.action = "unchanged"
        return
    headings = re.findall(r"^##\s+(.+?)\s*#*\s*$", text, re.M)
    already = bool(headings) and headings[-1].strip() == TRIAGE_TITLE
    block = render_draft(settings, context | {"append_only": True, "triage": fresh, "triage_heading": not already})
    eol = b"\r\n" if b"\r\n" in raw else b"\n"  # keep the editor's line endings (Windows: CRLF)
    separator = b"" if raw.endswith(eol * 2) else (eol if raw.endswith(eol) else eol * 2)
    write_atomic(path, raw + separator + block.encode("utf-8").replace(b"\n", eol))
    result.action = "merged"
    result.added = len(fresh)
    result.images_left_out = sum(1 for item in fresh if item["note"])
