"""Import kommun facts from the files SCB's statistical database and Kolada give out.

Shapes understood (read through members.tabular, CSV or .xlsx; JSON for Kolada):
- **SCB, wide** (PxWeb's "CSV/Excel" export): a `region` column ("0482 Flen", "00 Riket"), any
  variable columns (e.g. "ålder": "20-64 år", or "tabellinnehåll"), and one column per year.
- **SCB, long**: `region`, the variable columns, `år` and `värde` (or "value").
- **Kolada** (the API's JSON): `{"values": [{"kpi", "municipality", "period", "values": [{"gender":
  "T", "value"}]}]}`; only the total (gender T) is read.
Which fact a row is: its variable cells together (or the KPI) name it by key, label or alias
(members.facts); when the file has no variable column, the fact chosen in the form. Region 00,
0000 or "Riket": Sweden as a whole. SCB's ".." (no figure) and empty cells are skipped.

All-or-nothing: any problem refuses the whole file, each problem named by row and column, and
nothing is stored. A file without problems is previewed first (members.services.facts_import with
dry_run) and stored when confirmed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import facts, tabular
from .models import Kommun

MAX_ROWS = 50_000
COUNTRY = ""  # the kommun code of a country row
REGION_HEADERS = {"region", "kommun", "kommunkod", "municipality", "område"}
YEAR_HEADERS = {"år", "ar", "year", "period"}
VALUE_HEADERS = {"värde", "varde", "value"}
MISSING = {"", "..", "-", "–", ".", "…"}


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class ParsedFacts:
    rows: list[dict] = field(default_factory=list)  # {code, key, year, value, source}
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    layout: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class FactImportReport:
    file_name: str
    layout: str = ""
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        if not self.ok:
            return _("Nothing was imported: %(n)s problem(s) in the file.") % {"n": len(self.problems)}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.stored:
            return _("Facts imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % counts
        return _("Ready to import: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % counts


def parse_number(text) -> Decimal | None:
    """12 345,6 / 12345.6 / 12 345 → Decimal; None if it is not a number."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        return Decimal(str(text))
    cleaned = re.sub(r"[\s\u00a0]", "", str(text)).replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


class _Kommuner:
    def __init__(self) -> None:
        rows = list(Kommun.objects.values_list("code", "name"))
        self.codes = {code for code, _name in rows}
        self.by_name = {name.lower(): code for code, name in rows}

    def code_of(self, text: str) -> str | None:
        """'0482 Flen', '0482', 'Flen', '00 Riket' → '0482' / COUNTRY; None if unknown."""
        text = " ".join(str(text).split())
        if text.lower() in {"riket", "sverige", "00", "0000", "00 riket", "0000 riket"}:
            return COUNTRY
        match = re.match(r"^(\d{1,4})(?:\s+(.*))?$", text)
        if match:
            code = match.group(1).zfill(4)
            return code if code in self.codes else None
        return self.by_name.get(text.lower().removesuffix(" kommun"))


def _value_cell(parsed: ParsedFacts, number: int, column: str, text) -> Decimal | None:
    if text is None or str(text).strip() in MISSING:
        parsed.skipped += 1
        return None
    value = parse_number(text)
    if value is None:
        parsed.problems.append(Problem(number, column, _("“%(text)s” is not a number.") % {"text": text}))
    elif abs(value) >= 10**12:
        parsed.problems.append(Problem(number, column, _("The number is too large.")))
        return None
    return value


def _year_of(text) -> int | None:
    match = re.fullmatch(r"\s*(\d{4})\s*", str(text or ""))
    year = int(match.group(1)) if match else None
    return year if year and 1950 <= year <= 2100 else None


# --- SCB: a table with a region column --------------------------------------------------------------


@dataclass
class _Header:
    region: int
    variables: list[int]
    years: dict[int, int]  # column index → year (wide)
    year: int | None  # long: the year column
    value: int | None  # long: the value column
    names: list[str]


def _read_header(number: int, cells: list) -> _Header | None:
    names = [str(c or "").strip() for c in cells]
    lowered = [n.lower() for n in names]
    region = next((i for i, n in enumerate(lowered) if n in REGION_HEADERS), None)
    if region is None:
        return None
    years = {i: _year_of(n) for i, n in enumerate(names) if _year_of(n)}
    year = next((i for i, n in enumerate(lowered) if n in YEAR_HEADERS), None)
    value = next((i for i, n in enumerate(lowered) if n in VALUE_HEADERS), None)
    taken = {region, year, value, *years}
    variables = [i for i, n in enumerate(names) if i not in taken and n]
    return _Header(region, variables, years, year, value, names)


def _header_score(cells: list[str]) -> int | None:
    header = _read_header(0, cells)
    return None if header is None else 1 + len(header.years) + (header.year is not None)


def _fact_of(parsed, number: int, header: _Header, cells: list, chosen: facts.Fact | None) -> facts.Fact | None:
    if not header.variables:
        if chosen is None:
            parsed.problems.append(
                Problem(number, "", _("The file does not say which fact it holds: choose the fact in the form."))
            )
        return chosen
    words = " ".join(str(cells[i]).strip() for i in header.variables if i < len(cells) and cells[i] not in (None, ""))
    fact = facts.fact_for_name(words)
    if fact is None:
        # One variable may name the fact while another is a constant such as "totalt".
        for i in header.variables:
            if i < len(cells) and (fact := facts.fact_for_name(str(cells[i] or ""))):
                break
    if fact is None:
        column = tabular.column_label(header.variables[0], header.names[header.variables[0]])
        parsed.problems.append(
            Problem(number, column, _("“%(text)s” is not a fact the portal knows.") % {"text": words})
        )
    return fact


def parse_scb(rows, *, chosen: facts.Fact | None, source: str) -> ParsedFacts:
    parsed = ParsedFacts(layout="scb")
    header, rest = tabular.find_header(rows, _read_header)
    if header is None or not (header.years or (header.year is not None and header.value is not None)):
        parsed.problems.append(
            Problem(
                None,
                "",
                _(
                    "No header row found: the file needs a region column and either one column per year "
                    "or the columns år and värde."
                ),
            )
        )
        return parsed
    kommuner = _Kommuner()
    region_label = tabular.column_label(header.region, header.names[header.region])
    for number, cells in rest:
        cells = list(cells)
        if not any(str(c or "").strip() for c in cells):
            continue
        if len(parsed.rows) > MAX_ROWS:
            parsed.problems.append(Problem(number, "", _("The file has more rows than one import takes.")))
            break
        region_text = str(cells[header.region] or "") if header.region < len(cells) else ""
        code = kommuner.code_of(region_text)
        if code is None:
            parsed.problems.append(
                Problem(number, region_label, _("Unknown kommun “%(text)s”.") % {"text": region_text.strip()})
            )
        fact = _fact_of(parsed, number, header, cells, chosen)
        if header.years:
            pairs = [(year, index) for index, year in header.years.items()]
        else:
            year = _year_of(cells[header.year] if header.year < len(cells) else "")
            if year is None:
                parsed.problems.append(
                    Problem(
                        number,
                        tabular.column_label(header.year, header.names[header.year]),
                        _("Give a year between 1950 and 2100."),
                    )
                )
                continue
            pairs = [(year, header.value)]
        for year, index in pairs:
            column = tabular.column_label(index, header.names[index])
            value = _value_cell(parsed, number, column, cells[index] if index < len(cells) else None)
            if value is not None and code is not None and fact is not None:
                parsed.rows.append(
                    {"code": code, "key": fact.key, "year": year, "value": value, "source": source, "row": number}
                )
    return parsed


# --- Kolada: the API's JSON -----------------------------------------------------------------------------


def parse_kolada(content: bytes, *, chosen: facts.Fact | None, source: str) -> ParsedFacts:
    parsed = ParsedFacts(layout="kolada")
    try:
        data = json.loads(tabular.decode_text(content))
    except (ValueError, tabular.Unreadable):
        parsed.problems.append(Problem(None, "", _("The file is not valid JSON.")))
        return parsed
    items = data.get("values") if isinstance(data, dict) else None
    if not isinstance(items, list):
        parsed.problems.append(Problem(None, "", _("A Kolada file has a list called “values”.")))
        return parsed
    kommuner = _Kommuner()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.problems.append(Problem(number, "", _("The value is not a Kolada value.")))
            continue
        kpi = str(item.get("kpi") or "")
        fact = facts.fact_for_name(kpi) or (chosen if kpi and len({str(i.get("kpi")) for i in items}) == 1 else None)
        if fact is None:
            parsed.problems.append(
                Problem(number, "kpi", _("“%(text)s” is not a fact the portal knows.") % {"text": kpi})
            )
        code = kommuner.code_of(str(item.get("municipality") or ""))
        if code is None:
            parsed.problems.append(
                Problem(
                    number, "municipality", _("Unknown kommun “%(text)s”.") % {"text": item.get("municipality") or ""}
                )
            )
        year = _year_of(item.get("period"))
        if year is None:
            parsed.problems.append(Problem(number, "period", _("Give a year between 1950 and 2100.")))
        totals = [v for v in item.get("values") or [] if isinstance(v, dict) and v.get("gender") == "T"]
        if not totals:
            parsed.skipped += 1
            continue
        value = _value_cell(parsed, number, "value", totals[0].get("value"))
        if value is not None and None not in (code, fact, year):
            parsed.rows.append(
                {
                    "code": code,
                    "key": fact.key,
                    "year": year,
                    "value": value,
                    "source": source or "Kolada",
                    "row": number,
                }
            )
    return parsed


# --- Any file -------------------------------------------------------------------------------------------


def parse(content: bytes, file_name: str, *, chosen: facts.Fact | None = None, source: str = "") -> ParsedFacts:
    """The facts in a file, or its problems (nothing is stored here)."""
    name = file_name.lower()
    try:
        if name.endswith(".json") or content.lstrip()[:1] in (b"{", b"["):
            parsed = parse_kolada(content, chosen=chosen, source=source)
        elif name.endswith(".xlsx"):
            tabular.check_xlsx(content, max_uncompressed=50 * 1024 * 1024, max_ratio=100)
            sheet = next(tabular.xlsx_sheets(content), iter(()))
            parsed = parse_scb(sheet, chosen=chosen, source=source)
        else:
            parsed = parse_scb(tabular.csv_rows(content, _header_score), chosen=chosen, source=source)
    except tabular.Unreadable as unreadable:
        return ParsedFacts(problems=[Problem(None, "", unreadable.message)])
    seen: dict[tuple, int] = {}
    for row in parsed.rows:
        key = (row["code"], row["key"], row["year"])
        if key in seen:
            parsed.problems.append(
                Problem(
                    row["row"],
                    "",
                    _("The same kommun, fact and year appear twice in the file (also row %(other)s).")
                    % {"other": seen[key]},
                )
            )
        seen.setdefault(key, row["row"])
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(None, "", _("The file has no values.")))
    return parsed
