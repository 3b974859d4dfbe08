"""`defi section`: the key figures, the podium per level and one chart, written into an issue's Défi section.

The section is the one configured with id `defi` in newsletter.toml. What the command writes
is plain Markdown between two invisible marker lines (`[//]: # "…"`, Markdown's comment), so
the editor can change it like any other text, and the text around it is never touched.
The end marker records a fingerprint of what was written: running the command again replaces
the block only while it is unchanged; once the editor has edited it, `--force` is needed.

The chart is a PNG (twice its size, for sharp screens) in the workspace's `images/`, linked as
`<web_url>images/<name>.png` like the other images, so the email and the web archive show it
once `archive` has published the folder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter import formats, i18n
from newsletter.defi import figures as fig
from newsletter.defi.report import progression_chart, signed_points
from newsletter.errors import ConfigError, UsageError
from newsletter.i18n import _, language_of

if TYPE_CHECKING:
    from newsletter.config import SectionConfig, Settings
    from newsletter.defi.store import DefiData

SECTION_ID = "defi"
_START = '[//]: # "defi-moov-idf {year} start, written by newsletter defi section"'
_END = '[//]: # "defi-moov-idf end {fingerprint}"'
_START_RE = re.compile(r'^\[//\]: # "defi-moov-idf \d{4} start[^"]*"\s*$')
_END_RE = re.compile(r'^\[//\]: # "defi-moov-idf end ([0-9a-f]*)"\s*$')
# The email's column is 600 pixels wide; the PNG is drawn at twice that.
CHART_WIDTH, CHART_HEIGHT = 600, 330


@dataclass(frozen=True)
class SectionResult:
    """What `write_section` did: the issue, the chart it wrote, and whether the section was new."""

    issue: Path
    image: Path
    image_url: str
    image_bytes: int
    year: int
    created_section: bool
    replaced_block: bool


def fingerprint(body: str) -> str:
    """A short fingerprint of the block's text (trailing spaces ignored)."""
    normalised = "\n".join(line.rstrip() for line in body.strip("\n").splitlines())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def image_name(year: int) -> str:
    return f"defi-moov-idf-{year}.png"


def chart_alt(overall: fig.GroupResult) -> str:
    """The chart's alt text: what it shows, with the headline numbers (a reader without images gets them)."""
    if overall.reference is None:
        return _("Chart: share of active and shared modes per level on the challenge days ({share} for all levels)").format(
            share=formats.percent(overall.challenge.eco, 0)
        )
    return _("Chart: share of active and shared modes per level, reference day against challenge days ({before} then {after} for all levels)").format(
        before=formats.percent(overall.reference.eco, 0), after=formats.percent(overall.challenge.eco, 0)
    )


def section_markdown(data: DefiData, image_url: str) -> str:
    """The block's Markdown: the key figures in a sentence, the chart, the podium of each level."""
    key = fig.key_figures(data.year, data.rows)
    part, overall = key.participation, key.overall
    lines = [
        _("**Results of the Défi Moov'IDF {year}**: {schools} schools, {classes} classes and {pupils} pupils took part.").format(
            year=data.year, schools=formats.integer(part.schools), classes=formats.integer(part.classes), pupils=formats.integer(part.pupils)
        )
        + " "
        + (
            _("On the challenge days, {after} of trips were made on foot, by bike, scooter or skates, by public transport or car-sharing, against {before} on the reference day ({change}).").format(
                after=formats.percent(overall.challenge.eco, 0), before=formats.percent(overall.reference.eco, 0), change=signed_points(overall.eco_change)
            )
            if overall.reference is not None and overall.eco_change is not None
            else _("On the challenge days, {after} of trips were made on foot, by bike, scooter or skates, by public transport or car-sharing.").format(
                after=formats.percent(overall.challenge.eco, 0)
            )
        ),
        "",
        f"![{chart_alt(overall)}]({image_url})",
        "",
        _("**The podium of each level**"),
        "",
    ]
    for level, ranked in fig.ranking(fig.school_results(data.rows)).items():
        places = " · ".join(
            _("{rank}. {school} ({town}, {share})").format(
                rank=entry.rank, school=entry.result.school, town=entry.result.town, share=formats.percent(entry.result.challenge.eco, 0)
            )
            for entry in fig.podium(ranked)
        )
        lines.append(_("- **{level}**: {places}").format(level=level.label, places=places))
    lines += ["", _("Congratulations to every class that took part!")]
    text = "\n".join(lines)
    if i18n.language() == "fr":
        from newsletter.french import french_spacing

        text = "\n".join(french_spacing(line) for line in text.splitlines())
    return text


@dataclass(frozen=True)
class _Span:
    start: int  # index of the first line of the section's body (after its heading)
    end: int  # index after its last line


def _sections(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, title) of every '## ' heading outside code fences."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else fence or marker
            continue
        if fence is None and re.match(r"^ {0,3}## +\S", line):
            found.append((index, line.strip()[3:].strip().rstrip("#").strip()))
    return found


def _body_start(lines: list[str]) -> int:
    """The index of the first line after the front matter."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in {"---", "..."}:
                return index + 1
    return 0


def place_block(text: str, block: str, *, year: int, conf: SectionConfig, order: list[SectionConfig], force: bool) -> tuple[str, bool, bool]:
    """The issue's text with the block in its Défi section: (text, section created, block replaced).

    UsageError when the block there was edited since it was written and `force` is not set.
    """
    from newsletter.issue import slugify

    def folded(title: str) -> str:
        return slugify(title)

    lines = text.splitlines()
    # Blank lines around the block: a marker right under a paragraph would be read as its text.
    wrapped = [_START.format(year=year), "", block, "", _END.format(fingerprint=fingerprint(block))]
    headings = [(index, title) for index, title in _sections(lines) if index >= _body_start(lines)]
    position = {folded(c.title): n for n, c in enumerate(order)} | {folded(c.id): n for n, c in enumerate(order)}
    own = next((n for n, (index, title) in enumerate(headings) if folded(title) in {folded(conf.title), folded(conf.id)}), None)
    if own is None:
        mine = position[folded(conf.id)]
        after = next((index for index, title in headings if position.get(folded(title), -1) > mine), None)
        new = [f"## {conf.title}", "", *wrapped, ""]
        if after is None:
            while lines and not lines[-1].strip():
                lines.pop()
            lines += ["", *new[:-1]]
        else:
            lines[after:after] = new
        return "\n".join(lines) + "\n", True, False
    span = _Span(headings[own][0] + 1, headings[own + 1][0] if own + 1 < len(headings) else len(lines))
    body = lines[span.start:span.end]
    start = next((i for i, line in enumerate(body) if _START_RE.match(line)), None)
    end = next((i for i, line in enumerate(body) if _END_RE.match(line)), None) if start is not None else None
    if start is not None and end is not None and end > start:
        recorded = _END_RE.match(body[end])
        current = "\n".join(body[start + 1:end])
        if not force and recorded and recorded.group(1) != fingerprint(current):
            raise UsageError(
                _("the Défi block of this issue was edited since `newsletter defi section` wrote it; nothing was changed"),
                hint=_("run the command again with --force to replace it with the new figures (your edits to the block are lost), or edit it by hand"),
            )
        new_body = body[:start] + wrapped + body[end + 1:]
        lines[span.start:span.end] = new_body
        return "\n".join(lines) + "\n", False, True
    # No block yet: after the section's own text, before the blank lines that end it.
    insert = span.end
    while insert > span.start and not lines[insert - 1].strip():
        insert -= 1
    addition = ["", *wrapped]
    if span.end < len(lines):
        addition.append("")
    lines[insert:insert] = addition
    return "\n".join(lines) + "\n", False, False


def write_section(settings: Settings, issue: Path, *, year: int | None, force: bool = False) -> SectionResult:
    """Write the chart into images/ and the block into the issue's Défi section (both atomically)."""
    from newsletter.defi.store import DEFI_DIR, load_year
    from newsletter.fsutil import write_atomic
    from newsletter.issue import load_issue, read_issue_text

    conf = settings.section_by_id(SECTION_ID)
    if conf is None:
        raise ConfigError(
            _("{config} has no section with id '{id}' for the Défi's results").format(config=settings.config_path, id=SECTION_ID),
            hint=_("add one to newsletter.toml: [[sections]] id = \"defi\", title = \"Défi Moov'IDF\", layout = \"text\""),
        )
    web_url = settings.newsletter.web_url
    if not web_url:
        raise ConfigError(
            _("[newsletter] web_url is not set; the email links the chart under it"),
            hint=_("set web_url in newsletter.toml to the address where `newsletter archive` is published"),
        )
    data = load_year(settings.root / DEFI_DIR, year)
    text = read_issue_text(issue)
    load_issue(issue, settings.file.sections)  # an issue that does not parse is reported as such, untouched
    name = image_name(data.year)
    url = web_url.rstrip("/") + "/images/" + name
    # The block and its chart are the letter's content: in the letter's language, not the terminal's.
    with language_of(settings.file.newsletter.locale):
        block = section_markdown(data, url)
        png = progression_chart(data.rows, width=CHART_WIDTH, height=CHART_HEIGHT, note=False).png()
    new_text, created, replaced = place_block(text, block, year=data.year, conf=conf, order=settings.file.sections, force=force)
    image = settings.root / "images" / name
    # The image first: the issue never links to a chart that is not there.
    write_atomic(image, png)
    if new_text != text:
        write_atomic(issue, new_text)
    return SectionResult(issue=issue, image=image, image_url=url, image_bytes=len(png), year=data.year, created_section=created, replaced_block=replaced)
