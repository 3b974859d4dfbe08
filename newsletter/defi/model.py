"""The Défi's vocabulary: levels, modes, Île-de-France départements, and one validated count row."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from newsletter import i18n
from newsletter.i18n import N_


class Level(StrEnum):
    """The school level of a class; the values are the stored codes."""

    maternelle = "maternelle"
    elementaire = "elementaire"
    college = "college"
    lycee = "lycee"

    @property
    def label(self) -> str:
        """The level in words, in the language in use."""
        return i18n._(LEVEL_LABELS[self])  # marked with N_ where defined

    @property
    def short_label(self) -> str:
        """The level in one short word, for a chart's axis."""
        return i18n._(LEVEL_SHORT_LABELS[self])  # marked with N_ where defined


LEVEL_LABELS = {
    Level.maternelle: N_("Nursery school"),
    Level.elementaire: N_("Primary school"),
    Level.college: N_("Middle school"),
    Level.lycee: N_("High school"),
}
LEVEL_SHORT_LABELS = {
    Level.maternelle: N_("Nursery"),
    Level.elementaire: N_("Primary"),
    Level.college: N_("Middle"),
    Level.lycee: N_("High"),
}
# What a file may write in the level column (folded: lowercase, no accents, no spaces).
LEVEL_WORDS = {
    "maternelle": Level.maternelle, "ecolematernelle": Level.maternelle, "nursery": Level.maternelle, "nurseryschool": Level.maternelle,
    "elementaire": Level.elementaire, "ecoleelementaire": Level.elementaire, "primary": Level.elementaire, "primaryschool": Level.elementaire,
    "college": Level.college, "middleschool": Level.college,
    "lycee": Level.lycee, "highschool": Level.lycee,
}
# The level words as the instructions and the messages quote them (the file's own language).
LEVEL_CHOICES = "maternelle, élémentaire, collège, lycée"


class Mode(StrEnum):
    """A way of getting to school; the values are the stored codes, in the order of the file."""

    walk = "walk"
    bike = "bike"
    scooter = "scooter"
    public_transport = "public_transport"
    carpool = "carpool"
    car = "car"
    other = "other"

    @property
    def label(self) -> str:
        """The mode in words, in the language in use."""
        return i18n._(MODE_LABELS[self])  # marked with N_ where defined


MODE_LABELS = {
    Mode.walk: N_("On foot"),
    Mode.bike: N_("Bike"),
    Mode.scooter: N_("Scooter or skates"),
    Mode.public_transport: N_("Public transport"),
    Mode.carpool: N_("Car-sharing"),
    Mode.car: N_("Car"),
    Mode.other: N_("Other"),
}
MODES = tuple(Mode)
#: Active modes: the pupil moves by their own strength.
ACTIVE_MODES = (Mode.walk, Mode.bike, Mode.scooter)
#: Shared modes: a vehicle, but shared.
SHARED_MODES = (Mode.public_transport, Mode.carpool)

#: The départements of Île-de-France, by code. Place names, not translated.
DEPARTEMENTS = {
    "75": "Paris",
    "77": "Seine-et-Marne",
    "78": "Yvelines",
    "91": "Essonne",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "94": "Val-de-Marne",
    "95": "Val-d'Oise",
}
DEPARTEMENT_CODES = ", ".join(DEPARTEMENTS)


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: 'Trottinette / Roller' -> 'trottinetteroller'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


@dataclass(frozen=True)
class CountRow:
    """One validated row: a class (or a whole school) on one counting day.

    `day` is None for the reference day (an ordinary day before the challenge), else the date
    of the challenge day. `counts` holds one number of pupils per mode, in `MODES` order.
    """

    school: str
    uai: str | None
    town: str
    departement: str
    level: Level
    class_name: str
    pupils: int
    day: dt.date | None
    counts: tuple[int, ...]

    @property
    def counted(self) -> int:
        """Pupils counted on that day, every mode together (absent pupils are not counted)."""
        return sum(self.counts)

    def count(self, mode: Mode) -> int:
        """Pupils who came by `mode`."""
        return self.counts[MODES.index(mode)]

    @property
    def school_key(self) -> str:
        """What identifies the school: its UAI when given, else its name and town."""
        return self.uai or f"{fold(self.school)}|{fold(self.town)}"

    @property
    def class_key(self) -> tuple[str, str]:
        """What identifies the class within its school ('' for a row that counts the whole school)."""
        return (self.school_key, fold(self.class_name))
