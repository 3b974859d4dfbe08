"""The input file's columns, and how a file's headers are matched to them.

A header matches when it folds (lowercase, no accents, no spaces or punctuation) to one of the
column's names: the French name of the file format, the English one, the name in the language
in use, or a few usual variants. Form exports often write "Nombre d'élèves à pied": a leading
"nombre d'élèves", "nb" or "élèves" is ignored when nothing else matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsletter import i18n
from newsletter.defi.model import Mode, fold
from newsletter.i18n import N_


@dataclass(frozen=True)
class Column:
    """One column of the input file: its key, its header (English source, translated), its other names."""

    key: str
    label: str
    french: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    @property
    def header(self) -> str:
        """The header the template writes, in the language in use."""
        return i18n._(self.label)  # marked with N_ in COLUMNS

    def names(self) -> set[str]:
        """Every folded name that designates this column."""
        return {fold(name) for name in (self.label, self.french, self.header, *self.aliases)}


COLUMNS = (
    Column("school", N_("School"), "établissement", ("école", "nom de l'établissement", "nom de l'école", "etablissement scolaire")),
    Column("uai", N_("UAI"), "UAI", ("RNE", "code UAI", "numéro UAI"), required=False),
    Column("town", N_("Town"), "commune", ("ville", "city")),
    Column("departement", N_("Département"), "département", ("dept", "dép", "code département", "department")),
    Column("level", N_("Level"), "niveau", ("niveau scolaire", "cycle")),
    Column("class_name", N_("Class"), "classe", ("nom de la classe",), required=False),
    Column("pupils", N_("Pupils in the class"), "effectif", ("effectif de la classe", "effectif total", "nombre d'élèves de la classe", "pupils")),
    Column("day", N_("Day"), "jour", ("date", "journée", "jour de comptage", "date du comptage")),
    Column(Mode.walk, N_("On foot"), "à pied", ("marche", "pied", "walk")),
    Column(Mode.bike, N_("Bike"), "vélo", ("bicyclette", "bike", "cycling")),
    Column(Mode.scooter, N_("Scooter or skates"), "trottinette/roller", ("trottinette", "roller", "trottinette ou roller", "trottinettes et rollers", "scooter")),
    Column(Mode.public_transport, N_("Public transport"), "transports en commun", ("transport en commun", "TC", "bus", "public transport")),
    Column(Mode.carpool, N_("Car-sharing"), "covoiturage", ("co-voiturage", "carpool", "carpooling")),
    Column(Mode.car, N_("Car"), "voiture", ("voiture individuelle", "car")),
    Column(Mode.other, N_("Other"), "autre", ("autres", "autre mode", "other")),
)
MODE_COLUMNS = tuple(column for column in COLUMNS if column.key in set(Mode))

# Prefixes of a form's question that say nothing about which column it is (folded).
_PREFIXES = ("nombredelevesvenus", "nombredeleves", "nombreeleves", "nbdeleves", "nbeleves", "nombre", "nb", "eleves")


def match_column(header: str) -> Column | None:
    """The column a header designates, or None."""
    folded = fold(header)
    if not folded:
        return None
    for column in COLUMNS:
        if folded in column.names():
            return column
    for prefix in _PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            rest = folded[len(prefix):]
            for column in COLUMNS:
                if rest in column.names():
                    return column
    return None
