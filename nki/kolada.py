"""Read a Kolada API answer (JSON) into NKI values.

Kolada KPI ids are looked up in the KoladaKpi table (editable in admin). The seed maps U07451 to
NKI Totalt; that id is an assumption to verify against kolada.se before relying on it. A file with
a single KPI that is not mapped can still be imported by choosing its area (form or --area).
Each Kolada value is one measure (NKI or answers) for one kommun, year and KPI; the measures of a
kommun, year and area are merged into one value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from members.models import Kommun
from members.tabular import Unreadable, decode_text

from .models import KoladaKpi, ServiceArea
from .reading import KommunLookup, Parsed, ParsedValue, Problem, UploadRefused, parse_count, parse_index, parse_year


@dataclass
class _Measure:
    """One Kolada value understood: which kommun, year and area it is, which measure and its value."""

    number: int
    kommun: Kommun
    year: int
    area: ServiceArea
    measure: str
    value: object

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.kommun.pk, self.year, self.area.pk)


def parse_kolada(content: bytes, *, kommuner: KommunLookup, chosen_area: ServiceArea | None) -> Parsed:
    parsed = Parsed(layout="kolada")
    data = _load(content)
    if data.get("next_page"):
        parsed.warnings.append(
            _("This is one page of a longer Kolada answer (next_page is set): only the values in it are imported.")
        )
    mapping = {k.kpi: k for k in KoladaKpi.objects.select_related("area")}
    kpis_in_file = {str(item.get("kpi")) for item in data["values"] if isinstance(item, dict)}
    single_kpi_area = chosen_area if len(kpis_in_file) == 1 else None
    merged: dict[tuple[int, int, int], ParsedValue] = {}
    for number, item in enumerate(data["values"], start=1):
        measure = _read_item(parsed, number, item, kommuner=kommuner, mapping=mapping, area=single_kpi_area)
        if measure is not None:
            _merge(parsed, merged, measure)
    for value in merged.values():
        if "nki" in value.values:
            parsed.values.append(value)
        else:
            parsed.problems.append(
                Problem(
                    value.row,
                    "kpi",
                    _("No NKI value for %(kommun)s %(year)s %(area)s, only other figures.")
                    % {"kommun": value.kommun.name, "year": value.year, "area": value.area.name},
                )
            )
    return parsed


def _load(content: bytes) -> dict:
    try:
        data = json.loads(decode_text(content))
    except (ValueError, Unreadable):
        raise UploadRefused(_("The file is not valid JSON. Save the Kolada API response as it came.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise UploadRefused(_("The JSON is not a Kolada API response: it has no “values” list."))
    return data


def _read_item(
    parsed: Parsed, number: int, item: object, *, kommuner: KommunLookup, mapping: dict, area: ServiceArea | None
) -> _Measure | None:
    """The value as a measure; None if it is skipped (no total, not one kommun) or has problems."""
    if not isinstance(item, dict):
        parsed.problems.append(Problem(number, "", _("Not a Kolada value.")))
        return None
    kpi, municipality = str(item.get("kpi") or ""), str(item.get("municipality") or "")
    total = next((v for v in item.get("values") or [] if isinstance(v, dict) and v.get("gender") == "T"), None)
    if total is None or total.get("value") is None:
        parsed.skipped += 1  # no value for both genders together, or Kolada reports it missing
        return None
    if municipality == "0000" or municipality.startswith("G"):
        parsed.skipped += 1  # the whole country or a group of kommuner, not one kommun
        return None
    problems: list[Problem] = []
    kommun = kommuner.by_code.get(municipality)
    if kommun is None:
        problems.append(Problem(number, "municipality", _("Unknown kommun “%(value)s”.") % {"value": municipality}))
    area, measure = _area_and_measure(problems, number, kpi, mapping, area)
    try:
        year = parse_year(item.get("period"))
    except ValueError as error:
        problems.append(Problem(number, "period", str(error)))
        year = None
    value = None
    try:
        raw = total["value"]
        value = parse_count(raw) if measure == KoladaKpi.Measure.ANSWERS else parse_index(raw)
    except ValueError as error:
        problems.append(Problem(number, "value", str(error)))
    if problems:
        parsed.problems.extend(problems)
        return None
    return _Measure(number, kommun, year, area, measure, value)


def _area_and_measure(
    problems: list[Problem], number: int, kpi: str, mapping: dict, single_kpi_area: ServiceArea | None
) -> tuple[ServiceArea | None, str | None]:
    """The area and measure of a KPI: mapped in admin, or the area chosen for a one-KPI file."""
    entry = mapping.get(kpi)
    if entry is not None:
        return entry.area, entry.measure
    if single_kpi_area is not None:
        return single_kpi_area, KoladaKpi.Measure.NKI
    problems.append(
        Problem(
            number,
            "kpi",
            _(
                "Kolada KPI “%(kpi)s” is not mapped to an area. Add it under Kolada KPIs in admin, "
                "or import a file with this KPI only and choose its area."
            )
            % {"kpi": kpi},
        )
    )
    return None, None


def _merge(parsed: Parsed, merged: dict, measure: _Measure) -> None:
    """Add the measure to its kommun, year and area's value; the same measure twice is a problem."""
    target = merged.get(measure.key)
    if target is None:
        target = merged[measure.key] = ParsedValue(measure.number, measure.kommun, measure.year, measure.area, {})
    if measure.measure in target.values:
        parsed.problems.append(
            Problem(
                measure.number,
                "kpi",
                _("Duplicate: %(kommun)s %(year)s %(area)s is already given in value %(row)s.")
                % {"kommun": target.kommun.name, "year": target.year, "area": target.area.name, "row": target.row},
            )
        )
        return
    target.values[measure.measure] = measure.value
