"""The Issue / Section / Item model, parsed from a Markdown file with YAML front matter.

H2 = section, H3 whose text is a link = item; anything else is free Markdown kept in the
section (before the first item) or in the item it follows.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.choices import Layout
from newsletter.errors import IssueError, UsageError
from newsletter.validation import Schema, SchemaError, describe_errors, rule
from newsletter.validation import field as schema_field

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from newsletter.config import SectionConfig

FRONT_MATTER_FENCE = "---"
# Front matter has no use for many YAML aliases (*name); a few nested ones expand exponentially
# (a 600-byte "billion laughs" gave a 72 MB error message), so more than this is refused.
MAX_ALIASES = 10

@cache
def _front_matter_loader() -> type:
    """Safe YAML that leaves dates as text, so the validation checks them and names the key.

    PyYAML's own date resolver raises a bare ValueError for 2026-11-31.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, pattern) for tag, pattern in by_first if tag != "tag:yaml.org,2002:timestamp"]
        for first, by_first in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return type("_FrontMatterLoader", (base,), {"yaml_implicit_resolvers": resolvers})


# The front matter as `newsletter draft` writes it and editors keep it: `key: "text"` (no
# backslash or quote inside), `key: 2026-12-08`, `key: 36`. Read without PyYAML (~20 ms of
# import); anything else goes to PyYAML, which gives the same values for these lines.
_SIMPLE_LINE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):[ \t]+(?:"([^"\\]*)"|(\d{4}-\d{2}-\d{2})|(0|[1-9][0-9]*))[ \t]*$')


# The characters PyYAML refuses in a stream (the complement of yaml/reader.py's printable set,
# written as what it excludes: the negated form takes ~5 ms to compile); left to it to report.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _simple_front_matter(block: str) -> dict[str, object] | None:
    if _NON_PRINTABLE.search(block):
        return None
    data: dict[str, object] = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        match = _SIMPLE_LINE.match(line)
        if match is None:
            return None
        key, text, day, number = match.groups()
        data[key] = int(number) if number is not None else (text if text is not None else day)
    return data


def _load_yaml(block: str, path: Path) -> object:
    import yaml

    try:
        _refuse_many_aliases(block, path)
        return yaml.load(block, Loader=_front_matter_loader())  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        # The context mark is where the broken construct began, which is the line to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise _YamlProblem(line, str(problem)) from None


def _refuse_many_aliases(block: str, path: Path) -> None:
    """IssueError when the YAML uses more than MAX_ALIASES aliases, before anything is expanded.

    The C loader composes aliases out of reach of a subclass, so its events are counted first
    (only when the block has a '*' at all: a front matter is a few lines).
    """
    if "*" not in block:
        return
    import yaml

    aliases = 0
    for event in yaml.parse(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 2 if event.start_mark is not None else 2
                raise IssueError(
                    f"{path}:{line}: the front matter uses more than {MAX_ALIASES} YAML aliases (*name)",
                    hint="write each value out in full: title, subject, preheader, date and number need no aliases",
                )


class _YamlProblem(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


_TEXT = "text; put it between double quotes"


class FrontMatter(Schema):
    """The YAML block at the top of an issue file."""

    title: str = schema_field(default="", metadata=rule(expected=_TEXT))
    subject: str = schema_field(metadata=rule(min_length=1, expected="the email's subject line, as text between double quotes"))
    preheader: str = schema_field(default="", metadata=rule(expected=_TEXT))
    date: dt.date = schema_field(metadata=rule(expected="a real date written YYYY-MM-DD, e.g. 2026-12-08"))
    number: int | None = schema_field(default=None, metadata=rule(ge=1))


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


def _fold(text: str) -> str:
    return slugify(text).replace("-", " ")


def read_issue_text(path: Path) -> str:
    """The file's text, or a UsageError/IssueError saying why it cannot be read."""
    try:
        # stat before open: opening a FIFO blocks, and /dev/zero never ends.
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise UsageError(
                f"{path} is not a regular file (a device, a pipe or a socket)",
                hint="give the path of an issue's .md file, e.g. issues/2026-12.md",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"issue file not found: {path}",
            hint="check the path; issues live in issues/ and are named YYYY-MM.md",
        ) from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not an issue file", hint="give the path of a .md file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IssueError(
            f"{path}:{line}: the file is not UTF-8 text",
            hint="open it in your editor and save it with the UTF-8 encoding",
        ) from None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    """Split '---' YAML front matter from the body; returns (data, body, first body line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise IssueError(
            f"{path}:1: the file must start with front matter between two '---' lines",
            hint="begin the file with ---, then subject:, date: …, then --- on its own line",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            block = "".join(lines[1:index])
            break
    else:
        raise IssueError(
            f"{path}:1: the front matter is not closed",
            hint="add a line with only --- after the last front matter key",
        )
    try:
        data = (_simple_front_matter(block) or _load_yaml(block, path)) if block.strip() else {}
    except _YamlProblem as exc:
        raise IssueError(
            f"{path}:{exc.line}: the front matter is not valid YAML ({exc.problem})",
            hint='put text containing ":" or "#" between double quotes',
        ) from None
    if not isinstance(data, dict):
        raise IssueError(f"{path}:2: the front matter must be 'key: value' lines", hint="for example: subject: \"…\"")
    return data, "".join(lines[index + 1 :]), index + 2


def _key_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.strip() == FRONT_MATTER_FENCE:
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


def parse_front_matter(data: dict[str, object], path: Path, text: str = "") -> FrontMatter:
    """Validate the front matter; IssueError names each bad key with its line."""
    try:
        return FrontMatter.model_validate(data)
    except SchemaError as exc:
        errors = exc.errors()
    problems = []
    for error, words in zip(errors, describe_errors(errors, name=lambda key: f"front matter key '{key}'"), strict=True):
        line = _key_line(text, ".".join(str(p) for p in error.get("loc", ())))
        problems.append(f"{path}:{line}: {words}" if line else f"{path}: {words}")
    raise IssueError(
        f"{path}: the front matter has {len(problems)} problem(s)",
        problems=problems,
        hint="the keys are title, subject, preheader, date (YYYY-MM-DD) and number; subject and date are required",
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
        self.warnings.append(
            (line, f"section '{title}' is not in the configuration; it is laid out as text (add it to [[sections]] or rename it)")
        )
        return {"id": slugify(title), "title": title, "layout": Layout.text, "line": line, "configured": False}


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
                builder.warnings.append((line, "a '# ' title is ignored: the email's title comes from the front matter"))
            elif token.tag == "h2":
                builder.close_section()
                if not title:
                    builder.problems.append(f"{path}:{line}: a section heading ('## ') has no text")
                    builder.current = {"id": f"section-{line}", "title": "", "layout": Layout.text, "line": line, "configured": False}
                else:
                    builder.current = builder.match_section(title, line)
            else:
                builder.close_item()
                link = _heading_link(inline)
                if builder.current is None:
                    builder.problems.append(f"{path}:{line}: an item ('### ') comes before any section ('## ')")
                elif link is None:
                    builder.problems.append(
                        f"{path}:{line}: the item heading '{title or '(empty)'}' has no link; write it as ### [Title](https://…)"
                    )
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
            builder.warnings.append((line, "text before the first section ('## ') is ignored"))
        index = j if j > index else index + 1

    builder.close_section()
    if builder.problems:
        raise IssueError(
            f"{path}: {len(builder.problems)} problem(s) in the issue",
            problems=builder.problems,
            hint="fix the lines named above, then run the command again",
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
