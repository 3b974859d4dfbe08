"""The Défi's figures on a small set of rows whose every expected value is worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pytest

from newsletter.defi import figures as fig
from newsletter.defi.model import CountRow, Level

REF = None
D1 = dt.date(2027, 5, 18)
D2 = dt.date(2027, 5, 20)


def row(school: str, town: str, dep: str, level: Level, class_name: str, pupils: int, day: dt.date | None,
        counts: tuple[int, int, int, int, int, int, int], uai: str | None = None) -> CountRow:
    # counts: on foot, bike, scooter, public transport, car-sharing, car, other
    return CountRow(school, uai, town, dep, level, class_name, pupils, day, counts)


E = Level.elementaire
ROWS = [
    # School A (93), two classes; CM2 has no reference count.
    row("École A", "Saint-Denis", "93", E, "CM1", 20, REF, (5, 0, 0, 0, 0, 15, 0), uai="0930001A"),
    row("École A", "Saint-Denis", "93", E, "CM1", 20, D1, (10, 4, 1, 1, 2, 2, 0), uai="0930001A"),
    row("École A", "Saint-Denis", "93", E, "CM2", 25, D1, (12, 3, 0, 0, 0, 5, 0), uai="0930001A"),
    # School B (75), counted as a whole school.
    row("École B", "Paris", "75", E, "", 100, REF, (60, 5, 5, 10, 0, 20, 0)),
    row("École B", "Paris", "75", E, "", 100, D2, (70, 10, 5, 10, 0, 3, 2)),
    # Collège C (77), no reference count at all.
    row("Collège C", "Melun", "77", Level.college, "6e", 30, D1, (10, 5, 0, 10, 1, 4, 0)),
    # School D (93): the same share and change as B.
    row("École D", "Montreuil", "93", E, "CE1", 20, REF, (16, 0, 0, 0, 0, 4, 0)),
    row("École D", "Montreuil", "93", E, "CE1", 20, D1, (19, 0, 0, 0, 0, 1, 0)),
]


def test_participation_counts_each_class_once() -> None:
    # Schools A B C D; classes A/CM1 A/CM2 B C/6e D/CE1; pupils 20+25+100+30+20.
    assert fig.participation(ROWS) == fig.Participation(schools=4, classes=5, pupils=195)


def test_participation_per_departement_lists_all_eight() -> None:
    table = fig.departement_table(ROWS)
    assert [line.code for line in table] == ["75", "77", "78", "91", "92", "93", "94", "95"]
    by_code = {line.code: line for line in table}
    assert by_code["93"].result is not None and by_code["93"].result.participation == fig.Participation(2, 3, 65)
    assert by_code["75"].result is not None and by_code["75"].result.participation == fig.Participation(1, 1, 100)
    assert by_code["78"].result is None


def test_departement_shares_and_change() -> None:
    seine_saint_denis = next(line for line in fig.departement_table(ROWS) if line.code == "93").result
    assert seine_saint_denis is not None
    # Challenge days: A 40 trips (33 eco-mobile), D 20 (19): 52/60. Reference: A/CM1 5/20, D 16/20: 21/40.
    assert seine_saint_denis.challenge.eco == pytest.approx(52 / 60)
    assert seine_saint_denis.reference is not None and seine_saint_denis.reference.eco == pytest.approx(21 / 40)
    assert seine_saint_denis.eco_change == pytest.approx(52 / 60 - 21 / 40)


def test_participation_per_level() -> None:
    levels = dict(fig.level_table(ROWS))
    assert list(levels) == [Level.elementaire, Level.college]
    assert levels[Level.elementaire].participation == fig.Participation(3, 4, 165)
    assert levels[Level.college].participation == fig.Participation(1, 1, 30)


def test_school_shares_on_challenge_days_and_change_from_reference() -> None:
    results = {r.school: r for r in fig.school_results(ROWS)}
    a = results["École A"]
    # A, challenge days: 40 trips; active 10+4+1+12+3 = 30, shared 1+2 = 3. Reference: 5 of 20 on foot.
    assert a.challenge.counted == 40
    assert a.challenge.active == pytest.approx(0.75)
    assert a.challenge.shared == pytest.approx(0.075)
    assert a.challenge.eco == pytest.approx(0.825)
    assert a.reference is not None and a.reference.eco == pytest.approx(0.25)
    assert a.eco_change == pytest.approx(0.575)
    assert a.active_change == pytest.approx(0.5)
    b = results["École B"]
    assert (b.challenge.active, b.challenge.shared) == (pytest.approx(0.85), pytest.approx(0.10))
    assert b.eco_change == pytest.approx(0.15)
    c = results["Collège C"]
    assert c.challenge.eco == pytest.approx(26 / 30)
    assert c.reference is None and c.eco_change is None


def test_ranking_per_level_shares_places_on_a_tie() -> None:
    ranking = fig.ranking(fig.school_results(ROWS))
    # B and D: 95 % and +15 points both, so both first; A (82.5 %) third.
    assert [(entry.rank, entry.result.school) for entry in ranking[Level.elementaire]] == [(1, "École B"), (1, "École D"), (3, "École A")]
    assert [(entry.rank, entry.result.school) for entry in ranking[Level.college]] == [(1, "Collège C")]
    assert Level.lycee not in ranking


def test_ranking_breaks_a_tie_on_share_by_the_change() -> None:
    rows = [
        row("Low start", "Paris", "75", Level.lycee, "2nde", 10, REF, (2, 0, 0, 0, 0, 8, 0)),
        row("Low start", "Paris", "75", Level.lycee, "2nde", 10, D1, (9, 0, 0, 0, 0, 1, 0)),
        row("High start", "Paris", "75", Level.lycee, "1re", 10, REF, (8, 0, 0, 0, 0, 2, 0)),
        row("High start", "Paris", "75", Level.lycee, "1re", 10, D1, (9, 0, 0, 0, 0, 1, 0)),
        row("No reference", "Paris", "75", Level.lycee, "Tle", 10, D1, (9, 0, 0, 0, 0, 1, 0)),
    ]
    ranked = fig.ranking(fig.school_results(rows))[Level.lycee]
    assert [(entry.rank, entry.result.school) for entry in ranked] == [(1, "Low start"), (2, "High start"), (3, "No reference")]
    assert [entry.result.school for entry in fig.podium(ranked)] == ["Low start", "High start", "No reference"]


def test_modal_shares_per_day_reference_first() -> None:
    days = fig.totals_by_day(ROWS)
    assert [day for day, _totals in days] == [None, D1, D2]
    reference, first, second = (totals for _day, totals in days)
    # Reference: A/CM1, B, D -> on foot 5+60+16, bike 5, scooter 5, transport 10, car 15+20+4.
    assert reference.counts == (81, 5, 5, 10, 0, 39, 0)
    assert first.counts == (51, 12, 1, 11, 3, 12, 0)
    assert second.counts == (70, 10, 5, 10, 0, 3, 2)


def test_key_figures() -> None:
    key = fig.key_figures(2027, ROWS)
    assert key.challenge_days == 2
    assert key.trips == 190
    assert key.overall.challenge.eco == pytest.approx(173 / 190)
    assert key.overall.reference is not None and key.overall.reference.eco == pytest.approx(101 / 140)
