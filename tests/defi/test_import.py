"""Reading and checking input files: headers, encodings, delimiters, workbooks, every kind of bad value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsletter.defi.checks import (
    check_table,
    looks_like_input,
    parse_count,
    parse_day,
    parse_departement,
)
from newsletter.defi.columns import match_column
from newsletter.defi.reader import read_csv_text, read_table
from newsletter.defi.store import import_file
from newsletter.errors import DefiDataError, UsageError

HEADER = "établissement;UAI;commune;département;niveau;classe;effectif;jour;à pied;vélo;trottinette/roller;transports en commun;covoiturage;voiture;autre"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Établissement", "school"),
        ("  ETABLISSEMENT ", "school"),
        ("Trottinette / Roller", "scooter"),
        ("trottinette-roller", "scooter"),
        ("Nombre d'élèves à pied", "walk"),
        ("Nb élèves vélo", "bike"),
        ("Transports en  commun", "public_transport"),
        ("Département", "departement"),
        ("School", "school"),
        ("Pupils in the class", "pupils"),
    ],
)
def test_headers_match_whatever_their_case_accents_and_spacing(header: str, key: str) -> None:
    column = match_column(header)
    assert column is not None and column.key == key


def test_unknown_header_matches_nothing() -> None:
    assert match_column("Horodateur") is None
    assert match_column("") is None


@pytest.mark.parametrize(("value", "expected"), [("12", 12), (12, 12), (12.0, 12), ("1 204", 1204), ("3,0", 3), ("", 0), (None, 0)])
def test_counts_are_whole_numbers(value: object, expected: int) -> None:
    assert parse_count(value, blank_is_zero=True) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["2,5", 2.5, "douze", "-1", "3 élèves", dt.date(2026, 5, 19)])
def test_a_count_that_is_not_a_whole_number_is_refused(value: object) -> None:
    with pytest.raises(Exception, match="whole number|negative|date"):
        parse_count(value, blank_is_zero=True)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [("93", "93"), (93, "93"), ("93100", "93"), ("93 - Seine-Saint-Denis", "93"), ("val d'oise", "95")])
def test_departements_of_ile_de_france(value: object, expected: str) -> None:
    assert parse_departement(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["27", "2A", "971", "Eure", "Nord"])
def test_a_departement_outside_ile_de_france_is_refused(value: str) -> None:
    with pytest.raises(Exception, match="not a département of Île-de-France"):
        parse_departement(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("référence", None), ("Reference", None), ("Jour de référence", None), ("19/05/2026", dt.date(2026, 5, 19)),
     ("2026-05-19", dt.date(2026, 5, 19)), (dt.datetime(2026, 5, 19, 0, 0), dt.date(2026, 5, 19))],
)
def test_days(value: object, expected: dt.date | None) -> None:
    assert parse_day(value) == expected  # type: ignore[arg-type]


def good_rows() -> list[str]:
    return [
        "École A;0930001A;Saint-Denis;93;élémentaire;CM1;25;référence;10;1;0;2;1;10;0",
        "École A;0930001A;Saint-Denis;93;élémentaire;CM1;25;19/05/2026;15;3;1;2;1;2;0",
        "Collège B;;Melun;77;Collège;6e A;28;19/05/2026;8;4;1;8;2;5;0",
    ]


def test_csv_in_windows_1252_with_commas_is_read(tmp_path: Path) -> None:
    lines = [HEADER.replace(";", ","), *(line.replace(";", ",") for line in good_rows())]
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    checked = check_table(read_table(path))
    assert checked.year == 2026
    assert [row.school for row in checked.rows] == ["École A", "École A", "Collège B"]
    assert checked.rows[2].counts == (8, 4, 1, 8, 2, 5, 0)


def test_row_numbers_are_the_spreadsheets(tmp_path: Path) -> None:
    text = "\n".join([HEADER, good_rows()[0], "", good_rows()[1].replace(";15;", ";x;")])
    with pytest.raises(DefiDataError) as caught:
        check_table(read_csv_text(text, tmp_path / "f.csv"))
    assert caught.value.problems == ["row 4: à pied: 'x' is not a whole number"]


def test_a_workbook_with_numbers_and_dates_and_the_instructions_sheet_first(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Mode d'emploi"
    workbook.active.append(["Remplissez une ligne par classe."])
    sheet = workbook.create_sheet("Comptages")
    sheet.append(HEADER.split(";"))
    sheet.append(["École A", "0930001A", "Saint-Denis", 93, "élémentaire", "CM1", 25.0, "référence", 10, 1, None, 2, 1, 10, 0])
    sheet.append(["École A", "0930001A", "Saint-Denis", 93, "élémentaire", "CM1", 25, dt.datetime(2026, 5, 19), 15, 3, 1, 2, 1, 2, 0])
    path = tmp_path / "comptages.xlsx"
    workbook.save(path)
    checked = check_table(read_table(path, is_data=looks_like_input))
    assert [row.day for row in checked.rows] == [None, dt.date(2026, 5, 19)]
    assert checked.rows[0].counts == (10, 1, 0, 2, 1, 10, 0)
    assert checked.rows[0].departement == "93" and checked.rows[0].pupils == 25


def test_import_twice_changes_nothing_and_a_new_file_replaces_the_year(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("\n".join([HEADER, *good_rows()]), encoding="utf-8")
    first = import_file(source, tmp_path / "defi")
    assert (first.changed, first.rows, first.previous_rows, first.year) == (True, 3, None, 2026)
    stored = first.path.read_bytes()
    again = import_file(source, tmp_path / "defi")
    assert (again.changed, again.previous_rows) == (False, 3)
    assert first.path.read_bytes() == stored
    source.write_text("\n".join([HEADER, *good_rows()[:2]]), encoding="utf-8")
    replaced = import_file(source, tmp_path / "defi")
    assert (replaced.changed, replaced.rows, replaced.previous_rows) == (True, 2, 3)


def test_an_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d")
    with pytest.raises(UsageError, match="neither UTF-8 nor Windows-1252"):
        read_table(path)
