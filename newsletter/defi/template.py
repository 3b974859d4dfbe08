"""`defi template`: an empty input file to fill in, as CSV (for any form or spreadsheet) or XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from newsletter import i18n
from newsletter.defi.columns import COLUMNS
from newsletter.defi.model import DEPARTEMENT_CODES, LEVEL_CHOICES
from newsletter.errors import UsageError
from newsletter.i18n import N_, _

# One line per column, then the rules; shown on the workbook's instructions sheet.
INSTRUCTIONS = (
    N_("Défi Moov'IDF: how to fill in this file"),
    "",
    N_("One row per class (or per school) and per counting day: the reference day (an ordinary day before the challenge), then each day of the challenge."),
    N_("Leave no row half-filled: `newsletter defi import` checks every row and imports nothing while a problem remains."),
    "",
    N_("School: the school's name, as it should appear in the ranking."),
    N_("UAI: the school's national number (7 digits and a letter, e.g. 0931234A); optional, but it tells two schools of the same name apart."),
    N_("Town: the school's town."),
    N_("Département: the code of an Île-de-France département: {codes}."),
    N_("Level: {levels}."),
    N_("Class: the class's name (e.g. CM1 B); leave it empty for a row that counts the whole school."),
    N_("Pupils in the class: the number of pupils enrolled in the class (or the school)."),
    N_("Day: 'référence' for the reference day, else the date of the challenge day (e.g. 18/05/2027)."),
    N_("One column per mode (on foot, bike, scooter or skates, public transport, car-sharing, car, other): the number of pupils who came that way; an empty cell counts as 0."),
    "",
    N_("The modes may add up to less than the class (absent pupils), never to more."),
    N_("Active modes: on foot, bike, scooter or skates. Shared modes: public transport, car-sharing."),
)


def instructions() -> list[str]:
    """The instructions, in the language in use."""
    return [i18n._(line).format(codes=DEPARTEMENT_CODES, levels=LEVEL_CHOICES) if line else "" for line in INSTRUCTIONS]


def template_csv() -> bytes:
    """The CSV template: the header row, UTF-8 with a byte-order mark and ';' (what a French Excel opens)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow([column.header for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The XLSX template: a sheet to fill in (headers, widths, a list of levels) and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Counts")
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3F1EE")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) + 4)
    sheet.freeze_panes = "A2"
    levels = DataValidation(type="list", formula1='"' + LEVEL_CHOICES.replace(", ", ",") + '"', allow_blank=True)
    level_column = get_column_letter(1 + [column.key for column in COLUMNS].index("level"))
    levels.add(f"{level_column}2:{level_column}1000")
    sheet.add_data_validation(levels)
    notes = workbook.create_sheet(_("Instructions"))
    for line in instructions():
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_template(path: Path) -> Path:
    """Write an empty input file at `path` (.csv or .xlsx); never overwrites a file."""
    from newsletter.fsutil import write_atomic

    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise UsageError(_("{path}: the template is a .csv or an .xlsx file").format(path=path), hint=_("give a name ending in .xlsx or .csv"))
    if path.exists():
        raise UsageError(_("{path} already exists; nothing was changed").format(path=path), hint=_("give the name of a new file"))
    write_atomic(path, template_xlsx() if suffix == ".xlsx" else template_csv())
    return path
