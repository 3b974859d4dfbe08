"""The actors section's count of new actors: written by the draft, kept true by the render.

The draft's intro says "1 248 acteurs sur la carte, dont 3 nouveaux acteurs"; the editor then
deletes the actors she does not announce. The render counts the actors left in the section and
rewrites the draft's own phrase (and only it: an intro she wrote herself is left as it is).
"""

from __future__ import annotations

import re

# The phrases `new_actors_phrase` writes; \s also takes the no-break space of a typographic fix.
_PHRASE = re.compile(r"\bdont\s+(?:aucun\s+nouvel\s+acteur\s+ce\s+mois-ci|\d+\s+nouvel\s+acteur|\d+\s+nouveaux\s+acteurs)\b")


def new_actors_phrase(count: int) -> str:
    """'dont aucun nouvel acteur ce mois-ci', 'dont 1 nouvel acteur', 'dont 8 nouveaux acteurs'."""
    if count == 0:
        return "dont aucun nouvel acteur ce mois-ci"
    return f"dont {count} nouvel acteur" if count == 1 else f"dont {count} nouveaux acteurs"


def recount_new_actors(intro: str, count: int) -> str:
    """`intro` with the draft's "dont N nouveaux acteurs" set to `count` (the actors left)."""
    return _PHRASE.sub(new_actors_phrase(count), intro, count=1)
