"""Import populations from a CSV file (e.g. SCB's "Folkmängd" table saved as CSV).

Columns by header name, in any order and case: kommunkod (or kommun), år / year, folkmängd /
population. UTF-8 (with or without BOM) or Windows-1252; comma, semicolon or tab (read by
members.tabular, the separator found from the header row). All-or-nothing: any bad row rejects the
file with every problem listed by row number, and nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import tabular
from .models import Kommun
from .services import population_import

HEADERS = {
    "kommunkod": "kommunkod",
    "kod": "kommunkod",
    "kommun": "kommun",
    "år": "year",
    "ar": "year",
    "year": "year",
    "folkmängd": "population",
    "folkmangd": "population",
    "population": "population",
    "invånare": "population",
}


@dataclass
class PopulationImportResult:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _columns(cells: list[str]) -> list[str | None]:
    return [HEADERS.get(cell.strip().lower()) for cell in cells]


def _header_score(cells: list[str]) -> int | None:
    """How many known columns the cells name as a header row (None: none), to find the separator."""
    return len({name for name in _columns(cells) if name}) or None


def parse(data: bytes) -> tuple[list[dict], list[str]]:
    try:
        return _parse(tabular.csv_rows(data, _header_score))
    except tabular.Unreadable as unreadable:
        return [], [unreadable.message]


def _parse(lines) -> tuple[list[dict], list[str]]:
    first = next(lines, None)
    if first is None:
        return [], [_("The file is empty.")]
    header = _columns(first[1])
    if "year" not in header or "population" not in header or not ({"kommunkod", "kommun"} & set(header)):
        return [], [_("The first row must name the columns: kommunkod (or kommun), år and folkmängd.")]
    by_code = {k.code: k.code for k in Kommun.objects.only("code")}
    by_name = {k.name.lower(): k.code for k in Kommun.objects.only("code", "name")}
    rows, problems, seen = [], [], set()
    for number, raw in lines:
        if not any(cell.strip() for cell in raw):
            continue
        values = {name: cell.strip() for name, cell in zip(header, raw, strict=False) if name}
        row, row_problems = _row(number, values, by_code=by_code, by_name=by_name)
        problems += row_problems
        if row["kommunkod"] and row["year"]:
            if (row["kommunkod"], row["year"]) in seen:
                problems.append(_("Row %(row)s: the kommun and year appear twice in the file.") % {"row": number})
            seen.add((row["kommunkod"], row["year"]))
        rows.append(row)
    if not rows and not problems:
        problems.append(_("The file has no rows."))
    return rows, problems


def _row(number: int, values: dict[str, str], *, by_code: dict, by_name: dict) -> tuple[dict, list[str]]:
    problems = []
    code = values.get("kommunkod", "")
    code = code.zfill(4) if code.isdigit() else ""
    code = by_code.get(code) or by_name.get(values.get("kommun", "").lower().removesuffix(" kommun"))
    if not code:
        problems.append(_("Row %(row)s: unknown kommun.") % {"row": number})
    year_text = values.get("year", "")
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not 1950 <= year <= 2100:
        problems.append(_("Row %(row)s, år: give a year between 1950 and 2100.") % {"row": number})
    population_text = re.sub(r"[\s\u00a0]", "", values.get("population", ""))
    population = int(population_text) if population_text.isdigit() else None
    if population is None:
        problems.append(_("Row %(row)s, folkmängd: give a whole number.") % {"row": number})
    return {"kommunkod": code, "year": year, "population": population}, problems


def import_population_file(data: bytes, *, source: str) -> PopulationImportResult:
    rows, problems = parse(data)
    if problems:
        return PopulationImportResult(problems=problems)
    return PopulationImportResult(counts=population_import(rows=rows, source=source))
