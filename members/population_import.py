"""Import populations from a CSV file (e.g. SCB's "Folkmängd" table saved as CSV).

Columns by header name, in any order and case: kommunkod (or kommun), år / year, folkmängd /
population. UTF-8 (with or without BOM) or Windows-1252; comma or semicolon. All-or-nothing: any
bad row rejects the file with every problem listed by row number, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is not text in UTF-8 or Windows-1252."))


def parse(data: bytes) -> tuple[list[dict], list[str]]:
    try:
        text = decode(data)
    except ValueError as exc:
        return [], [str(exc)]
    lines = text.splitlines()
    if not lines:
        return [], [_("The file is empty.")]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [HEADERS.get(h.strip().lower()) for h in next(reader)]
    if "year" not in header or "population" not in header or not ({"kommunkod", "kommun"} & set(header)):
        return [], [_("The first row must name the columns: kommunkod (or kommun), år and folkmängd.")]
    by_code = {k.code: k.code for k in Kommun.objects.only("code")}
    by_name = {k.name.lower(): k.code for k in Kommun.objects.only("code", "name")}
    rows, problems, seen = [], [], set()
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        values = {name: cell.strip() for name, cell in zip(header, raw, strict=False) if name}
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
        if code and year:
            if (code, year) in seen:
                problems.append(_("Row %(row)s: the kommun and year appear twice in the file.") % {"row": number})
            seen.add((code, year))
        rows.append({"kommunkod": code, "year": year, "population": population})
    if not rows and not problems:
        problems.append(_("The file has no rows."))
    return rows, problems


def import_population_file(data: bytes, *, source: str) -> PopulationImportResult:
    rows, problems = parse(data)
    if problems:
        return PopulationImportResult(problems=problems)
    return PopulationImportResult(counts=population_import(rows=rows, source=source))
