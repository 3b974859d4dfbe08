"""The letter's year worded for funders: summary, key figures, tables and charts (a `Report`)."""

from __future__ import annotations

import datetime as dt

from newsletter import charts, formats, i18n
from newsletter.i18n import _, ngettext
from newsletter.reporting.letter import LetterYear
from newsletter.reporting.model import Column, Figure, KeyFigure, Paragraph, Report, Section, Table


def summary_text(year: LetterYear) -> str:
    """The key figures in one paragraph: letters sent, subscribers at the last send and their change, rates, actors."""
    count = len(year.issues)
    parts = [ngettext("{count} letter sent", "{count} letters sent", count).format(count=formats.integer(count))]
    sized = [row for row in year.issues if row.subscribers is not None]
    if sized:
        last = sized[-1]
        text = _("{subscribers} subscribers in {month}").format(subscribers=formats.integer(last.subscribers or 0), month=formats.month(last.sent_on))
        if len(sized) > 1 and sized[0].subscribers:
            change = (last.subscribers or 0) / sized[0].subscribers - 1
            text += " " + _("({change} since {month})").format(change=("+" if change >= 0 else "") + formats.percent(change, 0), month=formats.month(sized[0].sent_on))
        parts.append(text)
    if year.open_rate is not None:
        parts.append(_("average open rate {rate}").format(rate=formats.percent(year.open_rate, 0)))
    if year.click_rate is not None:
        parts.append(_("average click rate {rate}").format(rate=formats.percent(year.click_rate, 0)))
    if year.actors_announced:
        parts.append(ngettext("{count} new actor announced", "{count} new actors announced", year.actors_announced).format(count=formats.integer(year.actors_announced)))
    if year.map_size:
        parts.append(_("{count} actors on the map").format(count=formats.integer(year.map_size[-1][1])))
    return ", ".join(parts) + "."


def _period(year: LetterYear) -> str:
    return _("from {start} to {end}").format(start=formats.month(year.start), end=formats.month(year.end))


def letter_report(year: LetterYear, *, organisation: str, newsletter_title: str, generated_on: dt.date) -> Report:
    """The whole report of `year`: every table, with a chart next to the ones a chart says better."""
    issues = Table(
        _("Issues sent"),
        [Column(_("Issue")), Column(_("Sent on"), "date"), Column(_("Subscribers"), "integer"),
         Column(_("Recipients"), "integer"), Column(_("Delivered"), "integer"), Column(_("Unique opens"), "integer"),
         Column(_("Open rate"), "percent"), Column(_("Unique clicks"), "integer"), Column(_("Click rate"), "percent"),
         Column(_("Unsubscriptions"), "integer")],
        [(r.issue, r.sent_on, r.subscribers, r.recipients, r.delivered, r.unique_opens, r.open_rate,
          r.unique_clicks, r.click_rate, r.unsubscriptions) for r in year.issues],
        note=_("Rates are computed on delivered messages. Subscribers: the list's size when the issue was sent (— when not recorded)."),
    )
    labels = [row.sent_on.replace(day=1) for row in year.issues]
    rate_chart = charts.line_chart(labels, [charts.Series(_("Opens"), [r.open_rate for r in year.issues]),
                                            charts.Series(_("Clicks"), [r.click_rate for r in year.issues])],
                                   title=_("Open and click rates per issue"), value_format="percent", note=_("Rates on delivered messages"))
    sized = [row for row in year.issues if row.subscribers is not None]
    subjects = Table(_("Subjects"), [Column(_("Issue")), Column(_("Sent on"), "date"), Column(_("Subject"))],
                     [(r.issue, r.sent_on, r.subject) for r in year.issues])
    blocks_audience: list[Table | Figure | Paragraph] = [Figure(rate_chart), issues, subjects]
    if sized:
        blocks_audience.insert(1, Figure(charts.bar_chart([r.sent_on.replace(day=1) for r in sized], [charts.Series(_("Subscribers"), [r.subscribers for r in sized])],
                                                          title=_("Subscribers at each send"), height=320)))
    top = Table(_("Most clicked items"), [Column(_("Item")), Column(_("Issue")), Column(_("Section")), Column(_("Clicks"), "integer")],
                [(item.title, item.issue, item.section, item.clicks) for item in year.top_items],
                note=_("Clicks on the item's links (every click, not unique clicks)."))
    per_month = Table(_("Actors announced per month"), [Column(_("Month"), "month"), Column(_("Actors announced"), "integer")],
                      list(year.actors_per_month), sheet=_("Actors per month"))
    by_category = Table(_("Actors announced by category"), [Column(_("Category")), Column(_("Actors"), "integer")], list(year.actors_by_category),
                        sheet=_("Actors by category"))
    by_departement = Table(_("Actors announced by département"), [Column(_("Département")), Column(_("Actors"), "integer")],
                           list(year.actors_by_departement), sheet=_("Actors by département"))
    map_size = Table(_("Actors on the map"), [Column(_("Date"), "date"), Column(_("Actors on the map"), "integer")], list(year.map_size),
                     note=_("Validated actors on the map when each issue was drafted."))
    veille = Table(_("Items published per source"), [Column(_("Source")), Column(_("Items"), "integer")], list(year.veille_by_source))
    network: list[Table | Figure | Paragraph] = []
    if year.actors_per_month:
        network.append(Figure(charts.bar_chart([m for m, _count in year.actors_per_month], [charts.Series(_("Actors announced"), [c for _m, c in year.actors_per_month])],
                                               title=_("Actors announced per month"), height=320)))
    if year.map_size:
        network.append(Figure(charts.line_chart([d.replace(day=1) for d, _count in year.map_size], [charts.Series(_("Actors on the map"), [c for _d, c in year.map_size])],
                                                title=_("Actors on the map over time"), height=320)))
    network.append(per_month)
    if year.actors_by_departement:
        network.append(Figure(charts.bar_chart([d for d, _count in year.actors_by_departement], [charts.Series(_("Actors"), [c for _d, c in year.actors_by_departement])],
                                               title=_("Actors announced by département"), horizontal=True, height=max(240, 40 * len(year.actors_by_departement) + 80))))
    network.extend([by_departement, by_category, map_size])
    veille_blocks: list[Table | Figure | Paragraph] = []
    if year.veille_by_source:
        veille_blocks.append(Figure(charts.bar_chart([s for s, _count in year.veille_by_source], [charts.Series(_("Items"), [c for _s, c in year.veille_by_source])],
                                                     title=_("Items published per source"), horizontal=True, height=max(240, 40 * len(year.veille_by_source) + 80))))
    veille_blocks.append(veille)
    key_figures = [KeyFigure(formats.integer(len(year.issues)), ngettext("letter sent", "letters sent", len(year.issues)))]
    if year.issues and year.issues[-1].subscribers is not None:
        key_figures.append(KeyFigure(formats.integer(year.issues[-1].subscribers or 0), _("subscribers"), formats.month(year.issues[-1].sent_on)))
    if year.open_rate is not None:
        key_figures.append(KeyFigure(formats.percent(year.open_rate, 0), _("average open rate"), _("on delivered messages")))
    if year.click_rate is not None:
        key_figures.append(KeyFigure(formats.percent(year.click_rate, 0), _("average click rate"), _("on delivered messages")))
    key_figures.append(KeyFigure(formats.integer(year.actors_announced), _("new actors announced")))
    return Report(
        title=_("{title}: the year's report").format(title=newsletter_title),
        subtitle=_period(year).capitalize(),
        organisation=organisation,
        summary=summary_text(year),
        key_figures=key_figures,
        sections=[
            Section(_("Audience"), blocks_audience, intro=_("Each issue sent in the period, with its campaign's figures as the provider reports them.")),
            Section(_("Most clicked items"), [top], keep_with_previous=False),
            Section(_("The network"), network, intro=_("Actors announced in the letter, by month, département and category, and the size of the map.")),
            Section(_("Veille"), veille_blocks, keep_with_previous=True),
        ],
        footer=_("Report generated on {date} by newsletter.").format(date=formats.long_date(generated_on)),
        language=i18n.language(),
    )
