"""The NKI tables as downloads: each page's table as headers and rows of plain values, written by
members.tabular (CSV in the user's convention or .xlsx). The importer reads the files back."""

from __future__ import annotations

from typing import NamedTuple

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members import tabular

from . import constants, selectors

FORMATS = tabular.FORMATS


class Table(NamedTuple):
    filename: str  # without the suffix
    headers: list[str]
    rows: list[list]


def download(fmt: str, table: Table) -> HttpResponse:
    return tabular.table_response(fmt, table.filename, table.headers, table.rows)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def overview_table(data: selectors.Overview) -> Table:
    """Kommuner × areas (value and answers per area), then the SBA and national averages."""
    headers = [_("Kommunkod"), _("Kommun"), _("Län"), _("SBA member"), _("Rank in SBA")]
    for area in data.areas:
        headers += [area.name, _("%(area)s, answers") % {"area": area.name}]
    rows = []
    for row in data.rows:
        line = [row.kommun.code, row.kommun.name, row.kommun.lan.name, _yes_no(row.is_member), row.rank]
        for cell in row.cells:
            line += [cell.value, cell.answers]
        rows.append(line)
    for label, averages in ((_("SBA average"), data.sba), (_("National average"), data.national)):
        line = ["", label, "", "", None]
        for average in averages:
            line += [average.value, None]
        rows.append(line)
    return Table(f"nki-{data.year}", headers, rows)


def kommun_table(kommun, data: selectors.KommunNki) -> Table:
    """One row per area and year: the kommun's NKI with its interval, the comparisons, the change."""
    headers = [
        _("Area"),
        _("Year"),
        _("NKI"),
        pgettext("number of survey answers", "Answers"),
        _("Confidence interval, low"),
        _("Confidence interval, high"),
        _("SBA average"),
        _("National average"),
        _("Similar kommuner"),
        pgettext("NKI difference", "Change"),
        _("Significant"),
        _("Change, in words"),
        _("Method break"),
        _("Preliminary"),
    ]
    rows = []
    for trend in data.trends:
        for p in trend.points:
            significant = "" if p.change.significant is None else _yes_no(p.change.significant)
            rows.append(
                [
                    trend.area.name,
                    p.year,
                    p.cell.value,
                    p.cell.answers,
                    p.interval.low if p.interval else None,
                    p.interval.high if p.interval else None,
                    p.sba.value,
                    p.national.value,
                    p.similar.value,
                    p.change.delta,
                    significant,
                    p.change.label,
                    p.method_break.description if p.method_break else "",
                    _yes_no(p.preliminary),
                ]
            )
    return Table(f"nki-{kommun.code}", headers, rows)


AREA_TABLES = ("factors", "improvers")


def area_table(data: selectors.AreaPage, table: str = "") -> Table:
    """The area page's kommun table, or with `table` its service factors or its improvers."""
    name = f"nki-{data.area.code}-{data.year}"
    if table == "factors":
        return _factors_table(data, name)
    if table == "improvers":
        return _improvers_table(data, name)
    headers = [
        _("Kommunkod"),
        _("Kommun"),
        _("SBA member"),
        _("Rank in SBA"),
        _("NKI"),
        pgettext("number of survey answers", "Answers"),
        *(str(f.label) for f in constants.FACTORS),
    ]
    rows = [
        [k.code, k.name, _yes_no(member), rank, cell.value, cell.answers, *cell.factors]
        for k, member, cell, rank, _url in data.rows
    ]
    return Table(name, headers, rows)


def _factors_table(data: selectors.AreaPage, name: str) -> Table:
    headers = [_("Service factor"), "r", _("Strength"), _("Kommuner")]
    rows = [
        [
            str(c.factor.label),
            None if c.correlation.r is None else round(c.correlation.r, 3),
            str(c.strength),
            c.correlation.n,
        ]
        for c in data.correlations
    ]
    return Table(f"{name}-faktorer", headers, rows)


def _improvers_table(data: selectors.AreaPage, name: str) -> Table:
    headers = [
        _("Kommunkod"),
        _("Kommun"),
        _("From year"),
        _("NKI then"),
        _("NKI now"),
        pgettext("NKI difference", "Change"),
        _("NKI contact"),
        _("E-mail"),
    ]
    rows = [
        [
            i.kommun.code,
            i.kommun.name,
            i.from_year,
            i.from_value,
            i.to_value,
            i.delta,
            ", ".join(c.name for c in i.contacts),
            ", ".join(c.email for c in i.contacts if c.email),
        ]
        for i in data.improvers
    ]
    return Table(f"{name}-forbattring", headers, rows)
