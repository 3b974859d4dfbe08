"""The writer's slips that Markdown turns into something else without a word: each on its line, with the fix.

A link or an image that Markdown does not recognise is printed as raw text; a heading without
its space is a paragraph (its section vanishes, its items fall into the previous one); HTML is
shown escaped. These rules read the issue's lines outside fenced code, with code spans blanked;
they never parse the Markdown a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsletter.i18n import _
from newsletter.issue import TRIAGE_TITLE, same_title
from newsletter.render.problems import CheckInput, Problem, error, warning
from newsletter.typography import body_text_parts

_CODE_SPAN = re.compile(r"`+[^`]*`+")
# '](' with no ')' after it on the line: the link (or image) was never closed.
_UNCLOSED = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)]*)$")
# '[texte] (https://…)': a space between the brackets and the parentheses (only before an
# address, so that '[sic] (voir plus bas)' is left alone).
_SPACED = re.compile(r"(!?)\[([^\]\n]+)\][ \t]+\(((?:https?://|mailto:|www\.)[^)\s]+)\)")
_TARGET = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")
_VALID_TARGET = re.compile(r"\s*(?:<[^>]*>|\S+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*")
_HEADING = re.compile(r"^ {0,3}(#{2,6})([^#\s].*)$")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)")
# The draft's placeholder, however it is typed; in running text ('un formulaire à compléter
# avant le 15') it may be meant, so there it is a warning.
_MARKER = re.compile(r"[àa] compl[éeè]ter", re.IGNORECASE)
_PROSE_MARKER = re.compile(r"[^\W\d_] +[àa] compl[éeè]ter +[^\W\d_]")


def _blank_code(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_markdown_slips(data: CheckInput) -> Iterator[Problem]:
    """Links and images Markdown does not see, headings without their space, raw HTML."""
    lines = data.source.splitlines()
    for part in body_text_parts(lines, data.issue.body_start_line, hide_comments=False):
        line = _blank_code(part.text)
        if not any(sign in line for sign in "](#<"):
            continue
        number = part.line
        unclosed = _UNCLOSED.search(line)
        if unclosed and not _SPACED.search(line):
            bang, label, address = unclosed.groups()
            address = address.split()[0] if address.split() else "https://…"
            written = _cut(unclosed.group(0))
            fixed = f"{bang}[{label}]({address})"
            if bang:
                message = _("the image “{written}” has no closing ')': the email shows this raw text instead of the image; write {fixed}")
            else:
                message = _("the link “{written}” has no closing ')': the email shows this raw text instead of a link; write {fixed}")
            yield error("link-unclosed", message.format(written=written, fixed=fixed), number)
        for match in _SPACED.finditer(line):
            bang, label, address = match.groups()
            if bang:
                message = _("“{written}” has a space between ']' and '(': the email shows this raw text instead of the image; write {fixed}")
            else:
                message = _("“{written}” has a space between ']' and '(': the email shows this raw text instead of a link; write {fixed}")
            yield error("link-space", message.format(written=_cut(match.group(0)), fixed=f"{bang}[{label}]({address})"), number)
        for match in _TARGET.finditer(line):
            bang, label, target = match.groups()
            if _VALID_TARGET.fullmatch(target) or not target.strip():
                continue
            address = target.strip()
            fixed = f"{bang}[{label}]({address.replace(' ', '%20')})"
            if bang:
                message = _("the image address “{address}” contains a space: the email shows the raw text instead of the image; rename the file without spaces, or write %20 for each space: {fixed}")
            else:
                message = _("the link address “{address}” contains a space: the email shows the raw text instead of a link; write %20 for each space: {fixed}")
            yield error("address-space", message.format(address=_cut(address), fixed=_cut(fixed, 100)), number)
        heading = _HEADING.match(line)
        if heading:
            fixed = f"{heading.group(1)} {heading.group(2)}"
            message = _("“{written}” is not a heading: the '#' signs need a space after them, or the section vanishes and its items fall into the previous one; write {fixed}")
            yield error("heading-space", message.format(written=_cut(heading.group(0).strip()), fixed=_cut(fixed)), number)
        if "<" in line:
            for comment in _COMMENT.finditer(line):
                message = _("the HTML comment “{written}” is shown as text in the email; delete it, or write a note the email never shows: [//]: # \"…\"")
                yield error("raw-html", message.format(written=_cut(comment.group(0))), number)
            tags = [match.group(0) for match in _TAG.finditer(_COMMENT.sub("", line))]
            if tags:
                message = _("raw HTML “{tags}” is shown as text in the email (an issue is Markdown); write it in Markdown (**bold**, *italic*, [text](https://…)) or delete it")
                yield error("raw-html", message.format(tags=_cut(" ".join(tags))), number)


def check_draft_leftovers(data: CheckInput) -> Iterator[Problem]:
    """The draft's placeholder (À COMPLÉTER, in any case) and its section 'À trier'."""
    for number, line in enumerate(data.source.splitlines(), start=1):
        if not _MARKER.search(line):
            continue
        for match in _MARKER.finditer(line):
            found = match.group(0)
            prose = found != found.upper() and _PROSE_MARKER.search(line, max(0, match.start() - 40), match.end() + 40)
            if prose:
                message = _("'{found}' is in the issue: if it is the draft's placeholder, fill it in or delete it")
                yield warning("draft-marker", message.format(found=found), number)
            else:
                yield error("draft-marker", _("'{found}' is still in the issue: fill it in or delete it").format(found=found), number)
    for section in data.issue.sections:
        if same_title(section.title, TRIAGE_TITLE):
            message = _("the draft's section '## {title}' is still in the issue, and send would publish it: move the items you keep into their sections, then delete it")
            yield error("triage", message.format(title=section.title), section.line)


def check_local_images(data: CheckInput) -> Iterator[Problem]:
    """Images written as files: the file looked for and the address to write."""
    for image in data.local_images:
        if not image.found:
            if image.url:
                message = _("the image “{written}” is a file of this computer, which mail clients cannot load, and {file} does not exist: put the image in the workspace's images/ folder (render then writes its web address, {url}), or write its full https:// address")
            else:
                message = _("the image “{written}” is a file of this computer, which mail clients cannot load, and {file} does not exist: write the image's full https:// address")
            yield error("img-local", message.format(written=image.written, file=image.file, url=image.url), image.line)
        elif image.url is None:
            message = _("the image “{written}” is in {file}, but [newsletter] web_url is not set, so it has no web address: set web_url to where `newsletter archive` publishes the site (it publishes images/ too)")
            yield error("img-local", message.format(written=image.written, file=image.file), image.line)
        elif image.elsewhere:
            message = _("the image “{written}” is a file of this computer: the email uses its copy {file} instead, published as {url}; write images/{name} to say so")
            yield warning("img-local", message.format(written=image.written, file=image.file, url=image.url, name=image.file.name), image.line)
