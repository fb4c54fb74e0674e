"""NKI figures as bar charts (members.charts): the members ranked with their grade bands.

The bars are the same rows as the table beside them (the chart is built from the page's data,
never queried again), coloured by grade band from the one palette (members/palette.py).
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members import palette
from members.charts import Bar, Chart, Reference

from . import constants


def _band_bar(label: str, cell, url: str = "") -> Bar:
    band = cell.band
    return Bar(
        label=label,
        value=float(cell.value),
        display=number_format(cell.value, 1),
        step=palette.NKI_BAND_STEP[band.code],
        words=str(band.label),
        url=url,
    )


def band_legend() -> list[tuple[str, str]]:
    return [(palette.fill(palette.NKI_BAND_STEP[band.code]), str(band.label)) for band in constants.GRADE_BANDS]


def _references(sba, national) -> list[Reference]:
    refs = []
    if sba is not None and sba.value is not None:
        refs.append(Reference(float(sba.value), _("SBA %(value)s") % {"value": number_format(sba.value, 1)}))
    if national is not None and national.value is not None:
        refs.append(
            Reference(float(national.value), _("Sweden %(value)s") % {"value": number_format(national.value, 1)})
        )
    return refs


def overview_chart(data) -> Chart | None:
    """The SBA members of the table, ranked on the rank area (Totalt unless sorted by another
    area), highest first, each bar in its grade band; the SBA and national averages as lines."""
    if data.rank_area is None or not data.rows:
        return None
    index = next(i for i, a in enumerate(data.areas) if a.pk == data.rank_area.pk)
    ranked = [row for row in data.rows if row.is_member and row.cells[index].value is not None]
    if not ranked:
        return None
    ranked.sort(key=lambda row: (-row.cells[index].value, row.kommun.name))
    return Chart(
        id="nki-ranked-chart",
        title=_("SBA members ranked by NKI %(area)s %(year)s") % {"area": data.rank_area.name, "year": data.year},
        bars=[_band_bar(row.kommun.name, row.cells[index], row.url) for row in ranked],
        low=40,
        high=100,
        references=_references(data.sba[index], data.national[index]),
        value_header=_("NKI"),
        words_header=_("Grade"),
        legend=band_legend(),
    )


AREA_CHART_MAX = 60  # more bars than this would not read as a chart (all 290 kommuner)


def area_chart(data, rows) -> Chart | None:
    """The rows shown on the area page (members by default), highest first. With every kommun
    shown, the members among them (the table holds the rest); never more than AREA_CHART_MAX."""
    shown = [row for row in rows if row[2].value is not None]
    title = _("NKI %(area)s %(year)s, highest first") % {"area": data.area.name, "year": data.year}
    if len(shown) > AREA_CHART_MAX:
        members = [row for row in shown if row[1]]
        if members:
            shown = members
            title = _("NKI %(area)s %(year)s, SBA members, highest first") % {"area": data.area.name, "year": data.year}
        shown = shown[:AREA_CHART_MAX]
    if not shown:
        return None
    return Chart(
        id="nki-area-chart",
        title=title,
        bars=[_band_bar(kommun.name, cell, url) for kommun, _member, cell, _rank, url in shown],
        low=40,
        high=100,
        references=_references(data.sba, data.national),
        value_header=_("NKI"),
        words_header=_("Grade"),
        legend=band_legend(),
    )
