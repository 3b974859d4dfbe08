"""The letter's year worded for funders: summary, key figures, tables and charts (a `Report`)."""

from __future__ import annotations

import datetime as dt

from newsletter import charts, formats, i18n
from newsletter.i18n import _, ngettext
from newsletter.reporting.letter import LetterYear
from newsletter.reporting.model import Column, Figure, KeyFigure, Report, Section, Table

#: The départements of Île-de-France, named in the tables and charts (proper names: not translated).
DEPARTEMENTS = {
    "75": "Paris", "77": "Seine-et-Marne", "78": "Yvelines", "91": "Essonne",
    "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
}


def _change(fraction: float) -> str:
    """+9 %, −4 % (a real minus sign), ±0 %."""
    rounded = round(fraction * 100)
    sign = "+" if rounded > 0 else "\u2212" if rounded < 0 else "\u00b1"
    return sign + formats.percent(abs(fraction), 0)


def summary_text(year: LetterYear) -> str:
    """The key figures in a few whole sentences: letters sent, list size and its change, rates, network.

    Each sentence is one message to translate, with named placeholders and its plural from
    its own count, so the translation reads naturally (no sentence is glued from fragments).
    """
    count = len(year.issues)
    sentences = [ngettext("{count} letter was sent from {start} to {end}.", "{count} letters were sent from {start} to {end}.", count)
                 .format(count=formats.integer(count), start=formats.month(year.start), end=formats.month(year.end))]
    sized = [row for row in year.issues if row.subscribers is not None]
    if sized:
        first, last = sized[0], sized[-1]
        subscribers = last.subscribers or 0
        if len(sized) > 1 and first.subscribers:
            sentences.append(ngettext("The list had {count} subscriber in {month} ({change} since {first_month}).",
                                      "The list had {count} subscribers in {month} ({change} since {first_month}).", subscribers)
                             .format(count=formats.integer(subscribers), month=formats.month(last.sent_on),
                                     change=_change(subscribers / first.subscribers - 1), first_month=formats.month(first.sent_on)))
        else:
            sentences.append(ngettext("The list had {count} subscriber in {month}.", "The list had {count} subscribers in {month}.", subscribers)
                             .format(count=formats.integer(subscribers), month=formats.month(last.sent_on)))
    if year.open_rate is not None and year.click_rate is not None:
        sentences.append(_("On average, {open_rate} of the delivered letters were opened and {click_rate} were clicked.")
                         .format(open_rate=formats.percent(year.open_rate, 0), click_rate=formats.percent(year.click_rate, 0)))
    if year.actors_announced:
        sentences.append(ngettext("The letter announced {count} new actor of the network.", "The letter announced {count} new actors of the network.",
                                  year.actors_announced).format(count=formats.integer(year.actors_announced)))
    if year.map_size:
        day, size = year.map_size[-1]
        sentences.append(ngettext("The map showed {count} actor on {date}.", "The map showed {count} actors on {date}.", size)
                         .format(count=formats.integer(size), date=formats.long_date(day)))
    return " ".join(sentences)


def _period(year: LetterYear) -> str:
    return _("From {start} to {end}").format(start=formats.month(year.start), end=formats.month(year.end))


def _departement(code: str | None) -> str:
    if code is None:
        return _("Not written")
    name = DEPARTEMENTS.get(code)
    return f"{name} ({code})" if name else code


def _named(name: str | None) -> str:
    return _("Not written") if name is None else name


def letter_report(year: LetterYear, *, organisation: str, newsletter_title: str, generated_on: dt.date) -> Report:
    """The whole report of `year`: every table, each chart above the table of its figures."""
    issues = Table(
        _("Issues sent"),
        [Column(_("Issue"), "key"), Column(_("Sent on"), "date"), Column(_("Subscribers"), "integer"),
         Column(_("Recipients"), "integer"), Column(_("Delivered"), "integer"), Column(_("Unique opens"), "integer"),
         Column(_("Open rate"), "percent"), Column(_("Unique clicks"), "integer"), Column(_("Click rate"), "percent"),
         Column(_("Unsubscriptions"), "integer")],
        [(r.issue, r.sent_on, r.subscribers, r.recipients, r.delivered, r.unique_opens, r.open_rate,
          r.unique_clicks, r.click_rate, r.unsubscriptions) for r in year.issues],
        note=_("Rates are computed on delivered messages. Subscribers: the list's size when the issue was sent (— when not recorded)."),
    )
    rate_chart = charts.line_chart([row.sent_on.replace(day=1) for row in year.issues],
                                   [charts.Series(_("Opens"), [r.open_rate for r in year.issues]),
                                    charts.Series(_("Clicks"), [r.click_rate for r in year.issues])],
                                   title=_("Open and click rates per issue"), value_format="percent", height=340)
    subjects = Table(_("Subjects"), [Column(_("Issue"), "key"), Column(_("Sent on"), "date"), Column(_("Subject"))],
                     [(r.issue, r.sent_on, r.subject) for r in year.issues])
    audience: list[Table | Figure] = [Figure(rate_chart, caption=_("Rates on delivered messages, per issue."))]
    sized = [row for row in year.issues if row.subscribers is not None]
    if sized:
        audience.append(Figure(charts.bar_chart([r.sent_on.replace(day=1) for r in sized], [charts.Series(_("Subscribers"), [r.subscribers for r in sized])],
                                                title=_("Subscribers at each send"), height=300)))
    top = Table(_("Most clicked items"), [Column(_("Item")), Column(_("Issue"), "key"), Column(_("Section")), Column(_("Clicks"), "integer")],
                [(item.title, item.issue, item.section, item.clicks) for item in year.top_items],
                note=_("Clicks on the item's links (every click, not unique clicks)."))
    audience.extend([issues, subjects, top])

    network: list[Table | Figure] = []
    per_month = Table(_("Actors announced per month"), [Column(_("Month"), "month"), Column(_("Actors announced"), "integer")],
                      list(year.actors_per_month), sheet=_("Actors per month"),
                      note=_("— : that month's issue kept no list of its items.") if any(c is None for _m, c in year.actors_per_month) else None)
    if year.actors_per_month:
        network.append(Figure(charts.bar_chart([m for m, _count in year.actors_per_month],
                                               [charts.Series(_("Actors announced"), [c for _m, c in year.actors_per_month])],
                                               title=_("Actors announced per month"), height=280), table=per_month))
    map_size = Table(_("Actors on the map"), [Column(_("Date"), "date"), Column(_("Actors on the map"), "integer")], list(year.map_size),
                     note=_("Validated actors on the map when each issue was drafted."))
    if year.map_size:
        network.append(Figure(charts.line_chart([d.replace(day=1) for d, _count in year.map_size], [charts.Series(_("Actors on the map"), [c for _d, c in year.map_size])],
                                                title=_("Actors on the map over time"), height=280), table=map_size))
    departements = [_departement(code) for code, _count in year.actors_by_departement]
    by_departement = Table(_("Actors announced by département"), [Column(_("Département")), Column(_("Actors"), "integer")],
                           [(name, count) for name, (_code, count) in zip(departements, year.actors_by_departement, strict=True)],
                           sheet=_("Actors by département"))
    if year.actors_by_departement:
        network.append(Figure(charts.bar_chart(departements, [charts.Series(_("Actors"), [c for _d, c in year.actors_by_departement])],
                                               title=_("Actors announced by département"), horizontal=True,
                                               height=max(200, 30 * len(year.actors_by_departement) + 60)), table=by_departement))
    by_category = Table(_("Actors announced by category"), [Column(_("Category")), Column(_("Actors"), "integer")],
                        [(_named(name), count) for name, count in year.actors_by_category], sheet=_("Actors by category"),
                        note=_("An actor counts in its first category."))
    network.append(by_category)
    veille = Table(_("Items published per source"), [Column(_("Source")), Column(_("Items"), "integer")],
                   [(_named(name), count) for name, count in year.veille_by_source])
    veille_blocks: list[Table | Figure] = [veille]
    if year.veille_by_source:
        veille_blocks = [Figure(charts.bar_chart([_named(name) for name, _count in year.veille_by_source], [charts.Series(_("Items"), [c for _s, c in year.veille_by_source])],
                                                 title=_("Items published per source"), horizontal=True,
                                                 height=max(200, 30 * len(year.veille_by_source) + 60)), table=veille)]

    key_figures = [KeyFigure(formats.integer(len(year.issues)), ngettext("letter sent", "letters sent", len(year.issues)))]
    if sized:
        last = sized[-1].subscribers or 0
        key_figures.append(KeyFigure(formats.integer(last), ngettext("subscriber", "subscribers", last), formats.month(sized[-1].sent_on)))
    if year.open_rate is not None:
        key_figures.append(KeyFigure(formats.percent(year.open_rate, 0), _("average open rate"), _("on delivered messages")))
    if year.click_rate is not None:
        key_figures.append(KeyFigure(formats.percent(year.click_rate, 0), _("average click rate"), _("on delivered messages")))
    key_figures.append(KeyFigure(formats.integer(year.actors_announced), ngettext("new actor announced", "new actors announced", year.actors_announced)))
    return Report(
        title=_("{title}: the year's report").format(title=newsletter_title),
        subtitle=_period(year),
        organisation=organisation,
        summary=summary_text(year),
        key_figures=key_figures,
        sections=[
            Section(_("Audience"), audience, intro=_("Each issue sent in the period, with its campaign's figures as the provider reports them.")),
            Section(_("The network"), network, intro=_("Actors announced in the letter, by month, département and category, and the size of the map.")),
            Section(_("Veille"), veille_blocks, intro=_("Items of the veille published in the letter, per source.")),
        ],
        footer=_("Report generated on {date} by newsletter.").format(date=formats.long_date(generated_on)),
        language=i18n.language(),
    )
