"""The Défi's figures, as pure functions of the validated rows.

Shares are computed on the pupils counted (every mode together), not on the class size:
an absent pupil made no trip. A school's share over several classes or days is the sum of
its trips by those modes over the sum of its trips (each trip weighs the same). "Eco-mobile"
means active or shared: on foot, bike, scooter or skates, public transport, car-sharing.
A change is a difference of shares (0.12 is 12 points), from the reference day to the
challenge days; it is None for a school that has no reference count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from newsletter.defi.model import (
    ACTIVE_MODES,
    DEPARTEMENTS,
    MODES,
    SHARED_MODES,
    CountRow,
    Level,
    Mode,
    fold,
)

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Participation:
    """Schools, classes and pupils taking part (a class's size is counted once, whatever its days)."""

    schools: int
    classes: int
    pupils: int


@dataclass(frozen=True)
class ModeTotals:
    """Trips counted per mode, summed over some rows."""

    counts: tuple[int, ...]

    @property
    def counted(self) -> int:
        return sum(self.counts)

    def trips(self, modes: Iterable[Mode]) -> int:
        return sum(self.counts[MODES.index(mode)] for mode in modes)

    def share(self, modes: Iterable[Mode]) -> float:
        """The share of trips made by `modes` (0 when nothing was counted)."""
        return self.trips(modes) / self.counted if self.counted else 0.0

    def exact_share(self, modes: Iterable[Mode]) -> Fraction:
        return Fraction(self.trips(modes), self.counted) if self.counted else Fraction(0)

    @property
    def active(self) -> float:
        return self.share(ACTIVE_MODES)

    @property
    def shared(self) -> float:
        return self.share(SHARED_MODES)

    @property
    def eco(self) -> float:
        return self.share(ACTIVE_MODES + SHARED_MODES)


def mode_totals(rows: Iterable[CountRow]) -> ModeTotals:
    """The trips per mode of `rows`, summed."""
    sums = [0] * len(MODES)
    for row in rows:
        for index, count in enumerate(row.counts):
            sums[index] += count
    return ModeTotals(tuple(sums))


def participation(rows: Iterable[CountRow]) -> Participation:
    """Distinct schools and classes of `rows`, and their pupils (each class's largest size, once)."""
    sizes: dict[tuple[str, str], int] = {}
    schools: set[str] = set()
    for row in rows:
        schools.add(row.school_key)
        sizes[row.class_key] = max(sizes.get(row.class_key, 0), row.pupils)
    return Participation(schools=len(schools), classes=len(sizes), pupils=sum(sizes.values()))


def group_by(rows: Iterable[CountRow], key: Callable[[CountRow], K]) -> dict[K, list[CountRow]]:
    groups: dict[K, list[CountRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return dict(groups)


def split_days(rows: Iterable[CountRow]) -> tuple[list[CountRow], list[CountRow]]:
    """(reference-day rows, challenge-day rows)."""
    reference: list[CountRow] = []
    challenge: list[CountRow] = []
    for row in rows:
        (reference if row.day is None else challenge).append(row)
    return reference, challenge


@dataclass(frozen=True)
class GroupResult:
    """Participation and the trips of a group of rows (a school, a level, a département, everything)."""

    participation: Participation
    reference: ModeTotals | None  # None: no reference count
    challenge: ModeTotals

    def change(self, modes: Sequence[Mode]) -> float | None:
        """Challenge-day share of `modes` minus the reference day's (None without a reference)."""
        if self.reference is None or not self.reference.counted:
            return None
        return self.challenge.share(modes) - self.reference.share(modes)

    @property
    def eco_change(self) -> float | None:
        return self.change(ACTIVE_MODES + SHARED_MODES)

    @property
    def active_change(self) -> float | None:
        return self.change(ACTIVE_MODES)

    @property
    def shared_change(self) -> float | None:
        return self.change(SHARED_MODES)


def group_result(rows: Sequence[CountRow]) -> GroupResult:
    reference, challenge = split_days(rows)
    return GroupResult(
        participation=participation(rows),
        reference=mode_totals(reference) if reference else None,
        challenge=mode_totals(challenge),
    )


@dataclass(frozen=True)
class SchoolResult(GroupResult):
    """One school at one level (a groupe scolaire's maternelle and élémentaire are ranked apart)."""

    school: str = ""
    town: str = ""
    departement: str = ""
    level: Level = Level.elementaire


def school_results(rows: Iterable[CountRow]) -> list[SchoolResult]:
    """Each school at each of its levels, in the order the file first names them."""
    results: list[SchoolResult] = []
    for (_key, level), group in group_by(rows, lambda row: (row.school_key, row.level)).items():
        base = group_result(group)
        first = group[0]
        results.append(
            SchoolResult(
                participation=base.participation, reference=base.reference, challenge=base.challenge,
                school=first.school, town=first.town, departement=first.departement, level=level,
            )
        )
    return results


@dataclass(frozen=True)
class Ranked:
    """A school's place in its level (equal places for equal results)."""

    rank: int
    result: SchoolResult


def _rank_key(result: SchoolResult) -> tuple[Fraction, Fraction, str]:
    eco = ACTIVE_MODES + SHARED_MODES
    share = result.challenge.exact_share(eco)
    reference = result.reference
    # No reference count: no progression to break a tie with; ranked after those that progressed.
    change = share - reference.exact_share(eco) if reference is not None and reference.counted else Fraction(-2)
    return (-share, -change, fold(result.school))


def ranking(results: Iterable[SchoolResult]) -> dict[Level, list[Ranked]]:
    """Per level, the schools by their share of eco-mobile trips on the challenge days, best first.

    Ties are broken by the change from the reference day; schools equal on both share a place
    (1, 2, 2, 4). Levels without a school are left out; levels come in school order.
    """
    by_level = group_by_level(results)
    ranked: dict[Level, list[Ranked]] = {}
    for level in Level:
        entries = sorted(by_level.get(level, []), key=_rank_key)
        places: list[Ranked] = []
        for position, result in enumerate(entries, start=1):
            if places and _rank_key(places[-1].result)[:2] == _rank_key(result)[:2]:
                places.append(Ranked(places[-1].rank, result))
            else:
                places.append(Ranked(position, result))
        if places:
            ranked[level] = places
    return ranked


def group_by_level(results: Iterable[SchoolResult]) -> dict[Level, list[SchoolResult]]:
    grouped: dict[Level, list[SchoolResult]] = defaultdict(list)
    for result in results:
        grouped[result.level].append(result)
    return dict(grouped)


def podium(ranked: Sequence[Ranked]) -> list[Ranked]:
    """The schools placed 1 to 3 (more than three when places are shared)."""
    return [entry for entry in ranked if entry.rank <= 3]


@dataclass(frozen=True)
class DepartementLine:
    """One line of the département table (every département of Île-de-France, even without a school)."""

    code: str
    name: str
    result: GroupResult | None  # None: no school of this département took part


def departement_table(rows: Iterable[CountRow]) -> list[DepartementLine]:
    """The eight départements in code order, with their participation and shares."""
    groups = group_by(rows, lambda row: row.departement)
    return [
        DepartementLine(code, name, group_result(groups[code]) if code in groups else None)
        for code, name in DEPARTEMENTS.items()
    ]


def level_table(rows: Iterable[CountRow]) -> list[tuple[Level, GroupResult]]:
    """Each level that took part, in school order, with its participation and shares."""
    groups = group_by(rows, lambda row: row.level)
    return [(level, group_result(groups[level])) for level in Level if level in groups]


def totals_by_day(rows: Iterable[CountRow]) -> list[tuple[dt.date | None, ModeTotals]]:
    """The trips of each counting day: the reference day (None) first, then the challenge days by date."""
    groups = group_by(rows, lambda row: row.day)
    days = sorted(groups, key=lambda day: (day is not None, day or dt.date.min))
    return [(day, mode_totals(groups[day])) for day in days]


@dataclass(frozen=True)
class KeyFigures:
    """The headline: who took part, and the eco-mobile and active shares before and during the challenge."""

    year: int
    participation: Participation
    challenge_days: int
    trips: int  # trips counted on the challenge days
    overall: GroupResult


def key_figures(year: int, rows: Sequence[CountRow]) -> KeyFigures:
    overall = group_result(rows)
    return KeyFigures(
        year=year,
        participation=overall.participation,
        challenge_days=len({row.day for row in rows if row.day is not None}),
        trips=overall.challenge.counted,
        overall=overall,
    )
