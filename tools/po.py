"""Fill French translations into newsletter.po from a JSON file {"english": "français", …}.

Used while translating in bulk; `make catalogs` then compiles. Plural entries take a list
[singular, plural].
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(po_path: Path, *json_paths: Path) -> int:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    french: dict[str, str | list[str]] = {}
    for path in json_paths:
        french.update(json.loads(path.read_text(encoding="utf-8")))
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key not in french:
            continue
        value = french[key]
        if isinstance(message.id, tuple):
            singular, plural = (value[0], value[1]) if isinstance(value, list) else (value, value)
            message.string = (singular, *[plural] * (catalog.num_plurals - 1))
        else:
            message.string = value if isinstance(value, str) else value[0]
        message.flags.discard("fuzzy")
        filled += 1
    catalog.fuzzy = False
    with po_path.open("wb") as handle:
        write_po(handle, catalog, no_location=True)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    sys.stderr.write(f"{filled} filled, {len(untranslated)} still untranslated\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *map(Path, sys.argv[2:])))
