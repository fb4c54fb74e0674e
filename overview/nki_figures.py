"""The overview's figures from nki/: maturity evidence (years of results), the value report's NKI
section, the SBA NKI KPI, the latest-NKI map measure and the staff overview panel. Registered in
overview/integrations.py. Averages come from nki.selectors (region_averages, kommun_nki), so the
overview and the NKI pages never disagree. NKI results are public: no access scoping is needed.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members import access, cache
from nki import constants as nki_constants
from nki import selectors as nki_selectors
from nki import stats as nki_stats
from nki.models import NkiResult

from .registry import Evidence, MapValue, Period
from .selectors import report_day

# Map classes for the NKI grade bands (very high … very low), same order as nki.constants.GRADE_BANDS.
BAND_CLASS = {
    "very_high": "map-band-5",
    "high": "map-band-4",
    "pass": "map-band-3",
    "low": "map-band-2",
    "very_low": "map-band-1",
}


# --- Maturity evidence ---------------------------------------------------------------------------


def _year_span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def nki_years_evidence(kommun_ids) -> dict[int, Evidence]:
    """NKI results for at least settings.MATURITY_NKI_MIN_YEARS distinct years (one query).

    A kommun with no result in the portal at all is unknown (the results may simply not have been
    imported), so its own answer counts; with some years, the count decides."""
    ids = list(kommun_ids)
    years: dict[int, set[int]] = defaultdict(set)
    for kommun_id, year in (
        NkiResult.objects.filter(kommun_id__in=ids).order_by().values_list("kommun_id", "year").distinct()
    ):
        years[kommun_id].add(year)
    needed = settings.MATURITY_NKI_MIN_YEARS
    result = {}
    for pk in ids:
        found = sorted(years.get(pk, ()))
        if not found:
            result[pk] = Evidence(
                value="—", met=None, explanation=_("No NKI results for the kommun are in the portal.")
            )
            continue
        explanation = _("NKI results for %(n)d years are in the portal (%(span)s); %(needed)d years are needed.") % {
            "n": len(found),
            "span": _year_span(found),
            "needed": needed,
        }
        result[pk] = Evidence(value=str(len(found)), met=len(found) >= needed, explanation=explanation)
    return result


# --- Member value report -------------------------------------------------------------------------


def section_nki(kommun, period: Period) -> dict | None:
    """Per area, the kommun's latest NKI up to the period's end against the SBA and national
    averages of that year, and the change from the year before (nki.selectors.kommun_nki)."""
    last_year = report_day(period).year
    data = nki_selectors.kommun_nki(kommun=kommun)
    rows = []
    for trend in data.trends:
        points = [p for p in trend.points if p.year <= last_year]
        if not points:
            continue
        point = points[-1]
        previous = points[-2] if len(points) > 1 and points[-2].year == point.year - 1 else None
        rows.append(
            {
                "area": trend.area,
                "point": point,
                "band": point.cell.band,
                "flag": point.cell.flag,
                "previous": previous.cell.value if previous else None,
                "delta": point.cell.value - previous.cell.value if previous else None,
            }
        )
    if not rows:
        return {"rows": [], "year": None}
    year = max(r["point"].year for r in rows)
    return {"rows": rows, "year": year}


# --- KPI actual ----------------------------------------------------------------------------------


def kpi_nki_sba(period: Period):
    """SBA average NKI totalt, for the latest year with results up to the period's end."""
    averages = nki_selectors.region_averages(until_year=report_day(period).year)
    total = next((row for row in averages["rows"] if row.area.is_total), None)
    return total.sba.value if total else None


# --- Map measure ---------------------------------------------------------------------------------


def latest_total_by_kommun(kommun_ids: list[int]) -> dict[int, NkiResult]:
    """Each kommun's latest NKI totalt (one query)."""
    latest: dict[int, NkiResult] = {}
    for result in NkiResult.objects.filter(kommun_id__in=kommun_ids, area__is_total=True).order_by("kommun_id", "year"):
        latest[result.kommun_id] = result
    return latest


def nki_map_values(kommun_ids: list[int]) -> dict[int, MapValue]:
    values = {}
    for pk, result in latest_total_by_kommun(kommun_ids).items():
        band = nki_stats.grade_band(result.nki)
        values[pk] = MapValue(
            display=f"{number_format(result.nki, 1)} ({result.year})",
            css_class=BAND_CLASS[band.code],
            sort=float(result.nki),
        )
    return values


def nki_map_legend() -> list[tuple[str, str]]:
    bands = nki_constants.GRADE_BANDS
    legend = []
    for index, band in enumerate(bands):
        if index == 0:
            words = _("%(lower)d or more: %(label)s") % {"lower": band.lower, "label": band.label}
        elif band.lower == 0:
            words = _("under %(upper)d: %(label)s") % {"upper": bands[index - 1].lower, "label": band.label}
        else:
            words = _("%(lower)d–%(upper)d: %(label)s") % {
                "lower": band.lower,
                "upper": bands[index - 1].lower - 1,
                "label": band.label,
            }
        legend.append((BAND_CLASS[band.code], words))
    return legend


# --- Staff overview panel ------------------------------------------------------------------------


def nki_averages_panel(request) -> dict | None:
    """The latest year's SBA and national average per area (nki.selectors.region_averages)."""
    if not access.is_staff(request.user):
        return None
    # Cached until the next NKI or register write (or midnight: members are counted by date).
    return cache.get_or_build(
        "nki-region-averages", topics=("nki", "register"), by_date=True, build=nki_selectors.region_averages
    )
