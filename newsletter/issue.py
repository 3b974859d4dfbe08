"""The Issue / Section / Item model, parsed from a Markdown file with YAML front matter.

H2 = section, H3 whose text is a link = item; anything else is free Markdown kept in the
section (before the first item) or in the item it follows.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.choices import Layout
from newsletter.errors import IssueError, UsageError
from newsletter.frontmatter import FrontMatter, parse_front_matter, split_front_matter
from newsletter.i18n import _, ngettext
from newsletter.validation import Schema

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from newsletter.config import SectionConfig

class Image(Schema):
    """An image with its alt text (required, may be empty only for decoration)."""

    src: str
    alt: str
    line: int


class Link(Schema):
    """A link found in the Markdown, kept for checks and statistics."""

    href: str
    text: str
    line: int


class Item(Schema):
    """One announced thing: an article, an actor, an event."""

    title: str
    url: str
    line: int
    image: Image | None = None
    meta: str = ""
    body: str = ""  # free Markdown under the item


class Section(Schema):
    """A block of the email, matched to a configured section when possible."""

    id: str
    title: str
    layout: Layout
    line: int
    intro: str = ""  # free Markdown before the first item
    items: tuple[Item, ...] = ()
    configured: bool = True


class Issue(Schema):
    """A parsed issue file."""

    path: Path
    front: FrontMatter
    sections: tuple[Section, ...]
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    warnings: tuple[tuple[int, str], ...] = ()
    body_start_line: int = 1

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


@cache
def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect of issues: CommonMark plus tables and strikethrough (built once)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def slugify(text: str) -> str:
    """A lowercase ASCII id for a title: 'Nouveaux acteurs' -> 'nouveaux-acteurs'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"


# The section the draft appends new candidates under; `check` refuses to send it.
TRIAGE_TITLE = "À trier"
# Apostrophes and quotes a title may be typed with: "Défi Moov’IDF" is "Défi Moov'IDF".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


def _fold(text: str) -> str:
    return slugify(text.translate(_APOSTROPHES)).replace("-", " ")


def same_title(first: str, second: str) -> bool:
    """Whether two section titles name the same section (case, accents, apostrophes and spaces aside)."""
    return _fold(first) == _fold(second)


def read_issue_text(path: Path) -> str:
    """The file's text, or a UsageError/IssueError saying why it cannot be read."""
    try:
        # stat before open: opening a FIFO blocks, and /dev/zero never ends.
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise UsageError(
                _("{path} is not a regular file (a device, a pipe or a socket)").format(path=path),
                hint=_("give the path of an issue's .md file, e.g. issues/2026-12.md"),
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            _("issue file not found: {path}").format(path=path),
            hint=_("check the path; issues live in issues/ and are named YYYY-MM.md, for example 2026-12.md"),
        ) from None
    except IsADirectoryError:
        raise UsageError(_("{path} is a folder, not an issue file").format(path=path), hint=_("give the path of a .md file")) from None
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IssueError(
            _("{path}:{line}: the file is not UTF-8 text").format(path=path, line=line),
            hint=_("open it in your editor and save it with the UTF-8 encoding"),
        ) from None


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or [] if child.type in {"text", "code_inline", "softbreak"})


def _heading_link(inline: Token) -> tuple[str, str] | None:
    """(text, href) when the heading's content is exactly one link."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if not children or children[0].type != "link_open" or children[-1].type != "link_close":
        return None
    href = str(children[0].attrs.get("href", ""))
    text = "".join(c.content for c in children[1:-1] if c.type in {"text", "code_inline"})
    return text.strip(), href


@dataclass
class _Builder:
    """Mutable accumulators used only while walking the token stream."""

    path: Path
    source_lines: list[str]
    offset: int
    sections_config: list[SectionConfig]
    sections: list[Section] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    current: dict[str, object] | None = None
    item: dict[str, object] | None = None

    def slice(self, start: int, end: int) -> str:
        return "".join(self.source_lines[start:end])

    def close_item(self) -> None:
        if self.item is None or self.current is None:
            return
        items = self.current.setdefault("items", [])
        assert isinstance(items, list)
        items.append(
            Item(
                title=str(self.item["title"]),
                url=str(self.item["url"]),
                line=int(str(self.item["line"])),
                image=self.item.get("image"),  # type: ignore[arg-type]
                meta=str(self.item.get("meta", "")),
                body="".join(self.item.get("body", [])).strip("\n"),  # type: ignore[arg-type]
            )
        )
        self.item = None

    def close_section(self) -> None:
        self.close_item()
        if self.current is None:
            return
        c = self.current
        self.sections.append(
            Section(
                id=str(c["id"]),
                title=str(c["title"]),
                layout=c["layout"],  # type: ignore[arg-type]
                line=int(str(c["line"])),
                intro="".join(c.get("intro", [])).strip("\n"),  # type: ignore[arg-type]
                items=tuple(c.get("items", [])),  # type: ignore[arg-type]
                configured=bool(c["configured"]),
            )
        )
        self.current = None

    def match_section(self, title: str, line: int) -> dict[str, object]:
        folded = _fold(title)
        for conf in self.sections_config:
            if folded in {_fold(conf.title), _fold(conf.id)}:
                return {"id": conf.id, "title": title, "layout": conf.layout, "line": line, "configured": True}
        if folded != _fold(TRIAGE_TITLE):  # the draft's own section: the check refuses it, with its own words
            self.warnings.append((line, self.unknown_section(title)))
        return {"id": slugify(title), "title": title, "layout": Layout.text, "line": line, "configured": False}

    def unknown_section(self, title: str) -> str:
        from difflib import get_close_matches

        message = _("section '{title}' is not in the configuration; it is laid out as text (add it to [[sections]] or rename it)").format(title=title)
        titles = {_fold(conf.title): conf.title for conf in self.sections_config}
        close = get_close_matches(_fold(title), list(titles), n=1, cutoff=0.6)
        if close:
            message += _("; did you mean '{title}'?").format(title=titles[close[0]])
        return message


def _lines_of(inline: Token) -> list[list[Token]]:
    """The inline children split at soft line breaks: one list per source line."""
    lines: list[list[Token]] = [[]]
    for child in inline.children or []:
        if child.type in {"softbreak", "hardbreak"}:
            lines.append([])
        else:
            lines[-1].append(child)
    return [[c for c in line if not (c.type == "text" and not c.content.strip())] for line in lines]


def _take_image_and_meta(inline: Token, item: dict[str, object], line: int) -> int:
    """Take a leading image line and an italic meta line from an item's first paragraph.

    Returns how many source lines were consumed.
    """
    lines = _lines_of(inline)
    consumed = 0
    first = lines[0] if lines else []
    if len(first) == 1 and first[0].type == "image":
        image = first[0]
        item["image"] = Image(src=str(image.attrs.get("src", "")), alt=image.content, line=line)
        consumed = 1
    if consumed < len(lines):
        candidate = lines[consumed]
        if len(candidate) >= 3 and candidate[0].type == "em_open" and candidate[-1].type == "em_close":
            item["meta"] = "".join(c.content for c in candidate if c.type in {"text", "code_inline"}).strip()
            consumed += 1
    return consumed


def parse_issue(text: str, path: Path, sections_config: list[SectionConfig]) -> Issue:
    """Parse an issue's text; IssueError lists every structural problem with file:line."""
    data, body, body_line = split_front_matter(text, path)
    front = parse_front_matter(data, path, text)
    offset = body_line - 1
    md = markdown_parser()
    tokens = md.parse(body)
    builder = _Builder(path, body.splitlines(keepends=True), offset, sections_config)
    links: list[Link] = []
    images: list[Image] = []

    for token in tokens:
        if token.type != "inline":
            continue
        line = offset + (token.map[0] + 1 if token.map else 1)
        children = token.children or []
        for pos, child in enumerate(children):
            if child.type == "link_open":
                label = []
                for follower in children[pos + 1 :]:
                    if follower.type == "link_close":
                        break
                    label.append(follower.content)
                links.append(Link(href=str(child.attrs.get("href", "")), text="".join(label).strip(), line=line))
            elif child.type == "image":
                images.append(Image(src=str(child.attrs.get("src", "")), alt=child.content, line=line))

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.map is None:
            index += 1
            continue
        start, end = token.map
        line = offset + start + 1
        if token.type == "heading_open" and token.tag in {"h1", "h2", "h3"}:
            inline = tokens[index + 1]
            title = _inline_text(inline).strip()
            if token.tag == "h1":
                builder.warnings.append((line, _("a '# ' title is ignored: the email's title comes from the front matter")))
            elif token.tag == "h2":
                builder.close_section()
                if not title:
                    builder.problems.append(_("{path}:{line}: a section heading ('## ') has no text").format(path=path, line=line))
                    builder.current = {"id": f"section-{line}", "title": "", "layout": Layout.text, "line": line, "configured": False}
                else:
                    builder.current = builder.match_section(title, line)
            else:
                builder.close_item()
                link = _heading_link(inline)
                if builder.current is None:
                    builder.problems.append(_("{path}:{line}: an item ('### ') comes before any section ('## ')").format(path=path, line=line))
                elif link is None:
                    message = _("{path}:{line}: the item heading '{title}' has no link; write it as ### [Title](https://…)")
                    builder.problems.append(message.format(path=path, line=line, title=title or _("(empty)")))
                else:
                    builder.item = {"title": link[0], "url": link[1], "line": line, "body": []}
            index += 3
            continue
        # Any other top-level block: find where it ends (its close token) and keep its source.
        depth: int = token.nesting
        j = index + 1
        while depth > 0 and j < len(tokens):
            depth += tokens[j].nesting
            j += 1
        chunk = builder.slice(start, end)
        if builder.item is not None and token.type == "paragraph_open":
            body_list = builder.item["body"]
            assert isinstance(body_list, list)
            consumed = 0
            if not body_list and builder.item.get("image") is None and not builder.item.get("meta"):
                consumed = _take_image_and_meta(tokens[index + 1], builder.item, line)
            rest = builder.slice(start + consumed, end)
            if rest.strip():
                body_list.append(rest + "\n")
        elif builder.item is not None:
            item_body = builder.item["body"]
            assert isinstance(item_body, list)
            item_body.append(chunk + "\n")
        elif builder.current is not None:
            intro = builder.current.setdefault("intro", [])
            assert isinstance(intro, list)
            intro.append(chunk + "\n")
        elif chunk.strip():
            builder.warnings.append((line, _("text before the first section ('## ') is ignored")))
        index = j if j > index else index + 1

    builder.close_section()
    if builder.problems:
        count = len(builder.problems)
        raise IssueError(
            ngettext("{path}: {count} problem in the issue", "{path}: {count} problems in the issue", count).format(path=path, count=count),
            problems=builder.problems,
            hint=_("fix the lines named above, then run the command again"),
        )
    return Issue(
        path=path,
        front=front,
        sections=tuple(builder.sections),
        links=tuple(links),
        images=tuple(images),
        warnings=tuple(builder.warnings),
        body_start_line=body_line,
    )


def load_issue(path: Path, sections_config: list[SectionConfig]) -> Issue:
    """Read and parse an issue file."""
    return parse_issue(read_issue_text(path), path, sections_config)
