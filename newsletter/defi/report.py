"""`defi report`: the year's results as a report (HTML page + workbook), through `newsletter.reporting`.

Every figure comes from `newsletter.defi.figures`; this module only lays them out: key
figures and a summary in words, the participation per département (the map, as a table) and
per level, the modal shares, the progression from the reference day, each school's results
and the ranking per level. A change is shown in percentage points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter import formats
from newsletter.defi import figures as fig
from newsletter.defi.model import ACTIVE_MODES, MODES, SHARED_MODES, CountRow
from newsletter.i18n import _, ngettext

if TYPE_CHECKING:
    from newsletter.charts import Chart
    from newsletter.config import Settings
    from newsletter.defi.store import DefiData
    from newsletter.reporting import Report, ReportFiles

ECO_MODES = ACTIVE_MODES + SHARED_MODES


def points(change: float | None) -> float | None:
    """A change of share in percentage points (0.123 -> 12.3), for a 'decimal' column."""
    return None if change is None else round(change * 100, 1)


def signed_points(change: float) -> str:
    """'+12,3 points' in words."""
    value = formats.decimal(abs(change) * 100, 1)
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return _("{sign}{value} points").format(sign=sign, value=value)


def day_label(day: dt.date | None) -> str:
    return _("Reference day") if day is None else formats.long_date(day)


def challenge_days_words(rows: Sequence[CountRow]) -> str:
    days = sorted({row.day for row in rows if row.day is not None})
    return ", ".join(formats.long_date(day) for day in days)


def summary_words(figures: fig.KeyFigures) -> str:
    """The summary paragraph: who took part, and the shares on the challenge days against the reference day."""
    part = figures.participation
    text = _("{schools} schools, {classes} classes and {pupils} pupils of Île-de-France took part in the Défi Moov'IDF {year}.").format(
        schools=formats.integer(part.schools), classes=formats.integer(part.classes), pupils=formats.integer(part.pupils), year=figures.year
    )
    overall = figures.overall
    text += " " + _("On the challenge days, {eco} of the {trips} trips counted were made on foot, by bike, scooter or skates, by public transport or car-sharing").format(
        eco=formats.percent(overall.challenge.eco, 0), trips=formats.integer(figures.trips)
    )
    if overall.reference is not None and overall.eco_change is not None:
        text += " " + _("(against {reference} on the reference day, {change}).").format(
            reference=formats.percent(overall.reference.eco, 0), change=signed_points(overall.eco_change)
        )
    else:
        text += "."
    text += " " + _("Active modes alone: {active}.").format(active=formats.percent(overall.challenge.active, 0))
    return text


def modal_share_chart(rows: Sequence[CountRow]) -> Chart:
    """Stacked bars: the share of each mode on the reference day and on each challenge day."""
    from newsletter.charts import Series, stacked_bar_chart

    days = fig.totals_by_day(rows)
    series = [Series(mode.label, [totals.share([mode]) for _day, totals in days]) for mode in MODES]
    return stacked_bar_chart(
        [day_label(day) for day, _t in days], series,
        title=_("Modal shares, day by day"), value_format="percent", height=300,
        note=_("Share of the pupils counted each day."),
    )


def progression_chart(rows: Sequence[CountRow], *, width: int | None = None, height: int | None = None, note: bool = True) -> Chart:
    """Grouped bars per level: the share of active and shared modes, reference day against challenge days."""
    from newsletter.charts import HEIGHT, WIDTH, Series, bar_chart

    levels = fig.level_table(rows)
    labels = [level.short_label for level, _r in levels] + [_("All levels")]
    results = [result for _l, result in levels] + [fig.group_result(rows)]
    return bar_chart(
        labels,
        [
            Series(_("Reference day"), [r.reference.eco if r.reference is not None else None for r in results]),
            Series(_("Challenge days"), [r.challenge.eco for r in results]),
        ],
        title=_("Share of active and shared modes"), value_format="percent",
        width=width or WIDTH, height=height or HEIGHT,
        note=_("Active modes: on foot, bike, scooter or skates. Shared modes: public transport, car-sharing.") if note else None,
    )


def participation_chart(rows: Sequence[CountRow]) -> Chart:
    """Horizontal bars: pupils taking part per département (all eight, even without a school)."""
    from newsletter.charts import Series, bar_chart

    table = fig.departement_table(rows)
    return bar_chart(
        [f"{line.name} ({line.code})" for line in table],
        [Series(_("Pupils"), [line.result.participation.pupils if line.result else 0 for line in table])],
        title=_("Pupils taking part, per département"), horizontal=True, height=340,
    )


def build_report(data: DefiData, *, organisation: str | None = None) -> Report:
    """The whole report of a year's results."""
    from newsletter.reporting import (
        CellValue,
        Column,
        Figure,
        KeyFigure,
        Paragraph,
        Report,
        Section,
        Table,
    )

    rows = data.rows
    key = fig.key_figures(data.year, rows)
    overall = key.overall
    # Short headers: nine columns must fit an A4 page; the table's note says what each one is.
    share_columns = [
        Column(_("Active"), "percent"),
        Column(_("Shared"), "percent"),
        Column(_("Active + shared"), "percent"),
        Column(_("Reference day"), "percent"),
        Column(_("Change (pts)"), "decimal"),
    ]
    shares_note = _(
        "Shares of the trips counted on the challenge days (active: on foot, bike, scooter or skates; shared: public "
        "transport, car-sharing); 'Reference day': the share of active and shared modes on the reference day; the "
        "change is in percentage points."
    )

    def shares(result: fig.GroupResult) -> list[float | None]:
        return [
            result.challenge.active, result.challenge.shared, result.challenge.eco,
            result.reference.eco if result.reference is not None else None, points(result.eco_change),
        ]

    count_columns = [Column(_("Schools"), "integer"), Column(_("Classes"), "integer"), Column(_("Pupils"), "integer")]
    departements = Table(
        _("Participation and results per département"),
        [Column(_("Département")), *count_columns, *share_columns],
        [
            [f"{line.name} ({line.code})", line.result.participation.schools, line.result.participation.classes,
             line.result.participation.pupils, *shares(line.result)]
            if line.result else [f"{line.name} ({line.code})", 0, 0, 0, None, None, None, None, None]
            for line in fig.departement_table(rows)
        ],
        sheet=_("Départements"),
        note=shares_note + " " + _("Every département of Île-de-France is listed; a dash: no school took part."),
    )
    levels = Table(
        _("Participation and results per level"),
        [Column(_("Level")), *count_columns, *share_columns],
        [[level.label, r.participation.schools, r.participation.classes, r.participation.pupils, *shares(r)] for level, r in fig.level_table(rows)]
        + [[_("All levels"), overall.participation.schools, overall.participation.classes, overall.participation.pupils, *shares(overall)]],
        sheet=_("Levels"),
        note=shares_note,
    )
    days = fig.totals_by_day(rows)
    modal_rows: list[list[CellValue]] = [[mode.label, *[totals.share([mode]) for _d, totals in days]] for mode in MODES]
    modal = Table(
        _("Modal shares per counting day"),
        [Column(_("Mode")), *[Column(day_label(day), "percent") for day, _t in days]],
        modal_rows,
        sheet=_("Modal shares"),
        note=_("Pupils counted: {counts}.").format(counts=", ".join(f"{day_label(day)} {formats.integer(totals.counted)}" for day, totals in days)),
    )
    results = fig.school_results(rows)
    schools = Table(
        _("Results per school"),
        [Column(_("School")), Column(_("Town")), Column(_("Level")), Column(_("Pupils"), "integer"), *share_columns],
        [[r.school, f"{r.town} ({r.departement})", r.level.label, r.participation.pupils, *shares(r)] for r in results],
        sheet=_("Schools"),
        note=shares_note,
    )
    ranking_tables = [
        Table(
            _("Ranking: {level}").format(level=level.label),
            [Column(_("Place"), "integer"), Column(_("School")), Column(_("Town")),
             Column(_("Active + shared"), "percent"), Column(_("Change (pts)"), "decimal")],
            [[entry.rank, entry.result.school, entry.result.town, entry.result.challenge.eco, points(entry.result.eco_change)] for entry in ranked],
            sheet=_("Ranking {level}").format(level=level.label),
        )
        for level, ranked in fig.ranking(results).items()
    ]
    eco_detail = signed_points(overall.eco_change) + " " + _("from the reference day") if overall.eco_change is not None else None
    return Report(
        title=_("Défi Moov'IDF {year}: the results").format(year=data.year),
        subtitle=_("Counting days: the reference day, then {days}").format(days=challenge_days_words(rows)),
        organisation=organisation,
        summary=summary_words(key),
        key_figures=[
            KeyFigure(formats.integer(key.participation.schools), ngettext("school", "schools", key.participation.schools)),
            KeyFigure(formats.integer(key.participation.classes), ngettext("class", "classes", key.participation.classes)),
            KeyFigure(formats.integer(key.participation.pupils), ngettext("pupil", "pupils", key.participation.pupils)),
            KeyFigure(formats.percent(overall.challenge.eco, 0), _("of trips active or shared on the challenge days"), eco_detail),
        ],
        sections=[
            Section(_("Participation"), [Figure(participation_chart(rows)), departements, levels]),
            Section(_("How pupils came to school"), [Figure(modal_share_chart(rows)), modal]),
            Section(_("Progression from the reference day"), [Figure(progression_chart(rows)), Paragraph(_(
                "The ranking orders the schools of each level by their share of active and shared modes on the challenge days; "
                "a tie is broken by the change from the reference day."
            ))]),
            Section(_("Ranking per level"), ranking_tables),
            Section(_("Results per school"), [schools]),
        ],
        footer=_("Source: the counts of the schools, imported from {source}.").format(source=data.source),
    )


def write_defi_report(settings: Settings, *, year: int | None, out_dir: Path | None) -> tuple[DefiData, ReportFiles]:
    """Load the year's results (default: the latest) and write `defi-moov-idf-<year>.html` and `.xlsx`."""
    from newsletter.defi.store import DEFI_DIR, load_year
    from newsletter.i18n import language_of
    from newsletter.reporting import write_report

    data = load_year(settings.root / DEFI_DIR, year)
    target = out_dir if out_dir is not None else settings.root / "reports"
    # A document for the association's readers: in the workspace's language, not the terminal's.
    with language_of(settings.file.newsletter.locale):
        report = build_report(data, organisation=settings.newsletter.organisation or settings.newsletter.name)
        return data, write_report(settings, report, out_dir=target, stem=f"defi-moov-idf-{data.year}")
