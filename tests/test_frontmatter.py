"""The front matter: the common lines read without PyYAML give what PyYAML gives; errors in words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsletter.errors import IssueError
from newsletter.frontmatter import (
    _front_matter_loader,
    _simple_front_matter,
    parse_front_matter,
    split_front_matter,
)

BLOCKS = [
    'title: "La lettre de Mobiscol — novembre 2026"\nsubject: "Rues scolaires : 12 acteurs # et plus"\ndate: 2026-11-10\nnumber: 36\n',
    'subject: ""\ndate: 2026-11-31\nnumber: 0\n',
    'subject:\t"x"  \n\n',
    "number: 036\n",  # octal in YAML 1.1
    "subject: sans guillemets\n",
    'subject: "avec \\" échappé"\n',
    "# un commentaire\nsubject: \"x\"\n",
    'subject: "un caractère \x01 de contrôle"\n',
    "subject: [a, b]\n",
    "date: 2026-11-10 # commentaire\n",
]


@pytest.mark.parametrize("block", BLOCKS)
def test_the_fast_reader_agrees_with_pyyaml_or_steps_aside(block: str) -> None:
    fast = _simple_front_matter(block)
    try:
        slow = yaml.load(block, Loader=_front_matter_loader())  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        assert fast is None
        return
    assert fast is None or fast == slow


def test_the_usual_front_matter_is_read_without_pyyaml() -> None:
    assert _simple_front_matter(BLOCKS[0]) == {
        "title": "La lettre de Mobiscol — novembre 2026",
        "subject": "Rues scolaires : 12 acteurs # et plus",
        "date": "2026-11-10",
        "number": 36,
    }


def test_bad_front_matter_one_line_per_key_with_its_line() -> None:
    text = '---\nsubject: ""\ndate: 2026-02-30\nnumber: 0\nauthor: "moi"\n---\n'
    data, _, _ = split_front_matter(text, Path("i.md"))
    with pytest.raises(IssueError) as info:
        parse_front_matter(data, Path("i.md"), text)
    assert info.value.problems == [
        "i.md:5: front matter key 'author': unknown key (value 'moi'); remove it or check its spelling",
        "i.md:2: front matter key 'subject' = '': expected the email's subject line, as text between double quotes",
        "i.md:3: front matter key 'date' = '2026-02-30': expected a real date written YYYY-MM-DD, for example 2026-12-08",
        "i.md:4: front matter key 'number' = 0: expected a number at least 1",
    ]
    assert info.value.hint and "subject and date are required" in info.value.hint
