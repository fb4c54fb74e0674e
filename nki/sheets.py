"""Read NKI spreadsheets (xlsx and CSV), in the long layout (one row per kommun, year and area)
or the wide one (one row per kommun and year, one column per area, e.g. "Bygglov").

Columns are found by their Swedish or English header names (any order and case) in one of the first
30 rows; a row is read into values or problems by small steps: the kommun, the year, the values the
row shares (long layout), one entry per area, and each entry's NKI with its interval checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from members.models import Kommun
from members.tabular import column_label, find_header

from . import constants
from .models import ServiceArea
from .reading import (
    AreaLookup,
    KommunLookup,
    Parsed,
    ParsedValue,
    Problem,
    UploadRefused,
    cell_text,
    is_blank,
    normalise,
    parse_count,
    parse_index,
    parse_interval,
    parse_year,
)

HEADER_ROWS = 30  # the header is looked for in this many rows at the top of a sheet

# Rows that summarise the file rather than report a kommun: skipped and counted, not refused.
SUMMARY_LABELS = {
    "riket",
    "sverige",
    "sweden",
    "samtliga",
    "samtliga kommuner",
    "alla kommuner",
    "sba",
    "sba totalt",
    "sba snitt",
    "genomsnitt",
    "medel",
    "medelvärde",
    "snitt",
    "total",
    "totalt",
    "summa",
    "average",
    "national average",
    "all",
}


HEADERS: dict[str, tuple[str, ...]] = {
    "kommunkod": (
        "kommunkod",
        "kommun kod",
        "kommunnummer",
        "kommunnr",
        "kommun nr",
        "kod",
        "kommun id",
        "municipality code",
        "municipality id",
        "code",
    ),
    "kommun": ("kommun", "kommunnamn", "kommun namn", "namn", "municipality", "municipality name", "name"),
    "year": ("år", "ar", "year", "ärendeår", "mätår", "undersökningsår", "period"),
    "area": (
        "myndighetsområde",
        "myndighetsomrade",
        "område",
        "omrade",
        "verksamhetsområde",
        "area",
        "service area",
    ),
    "nki": ("nki", "nki index", "nki värde", "nöjd kund index", "nöjdkundindex", "index", "value", "värde"),
    "answers": (
        "antal svar",
        "antal svar n",
        "svar",
        "antal",
        "antal svarande",
        "antal respondenter",
        "n",
        "answers",
        "number of answers",
        "respondents",
    ),
    "ci": ("konfidensintervall", "ki", "ci", "confidence interval", "95 ki", "95 ci", "intervall"),
    "ci_low": (
        "ki låg",
        "ki nedre",
        "konfidensintervall låg",
        "konfidensintervall nedre",
        "nedre",
        "låg",
        "ci low",
        "ci lower",
        "lower",
        "low",
    ),
    "ci_high": (
        "ki hög",
        "ki övre",
        "konfidensintervall hög",
        "konfidensintervall övre",
        "övre",
        "hög",
        "ci high",
        "ci upper",
        "upper",
        "high",
    ),
    **{f.field: f.headers for f in constants.FACTORS},
}
HEADER_LOOKUP = {normalise(alias): key for key, aliases in HEADERS.items() for alias in aliases}
ANSWER_WORDS = [normalise(a) for a in HEADERS["answers"] if len(a) > 1]


@dataclass
class Layout:
    row: int
    columns: dict[str, int]  # field → column index
    area_columns: dict[int, ServiceArea]  # wide: column index → area (NKI values)
    answer_columns: dict[int, int]  # wide: area pk → column index of its answers
    labels: dict[int, str]  # column index → label for messages
    ignored: list[str]

    @property
    def wide(self) -> bool:
        return "area" not in self.columns and bool(self.area_columns)


def read_header(row_number: int, cells: list, areas: AreaLookup) -> Layout | None:
    """The layout if these cells are a header row: a kommun column and an NKI or area column."""
    columns: dict[str, int] = {}
    area_columns: dict[int, ServiceArea] = {}
    answer_texts: dict[int, str] = {}
    labels: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = normalise(cell)
        if not text:
            continue
        labels[index] = column_label(index, cell)
        key = HEADER_LOOKUP.get(text)
        if key is not None and key not in columns:
            columns[key] = index
        elif (area := areas.find(text)) is not None:
            area_columns[index] = area
        else:
            answer_texts[index] = text
    has_kommun = "kommun" in columns or "kommunkod" in columns
    if not has_kommun or not ("nki" in columns or area_columns):
        return None
    answer_columns, ignored = _answer_columns(answer_texts, cells, areas)
    return Layout(row_number, columns, area_columns, answer_columns, labels, ignored)


def _answer_columns(texts: dict[int, str], cells: list, areas: AreaLookup) -> tuple[dict[int, int], list[str]]:
    """Wide layout: columns such as 'Bygglov antal svar' (area pk → index); the rest are ignored."""
    answer_columns: dict[int, int] = {}
    ignored: list[str] = []
    for index, text in texts.items():
        area = None
        for word in ANSWER_WORDS:
            if text.endswith(f" {word}"):
                area = areas.find(text[: -len(word) - 1])
            elif text.startswith(f"{word} "):
                area = areas.find(text[len(word) + 1 :])
            if area is not None:
                break
        if area is not None:
            answer_columns[area.pk] = index
        else:
            ignored.append(str(cells[index]).strip())
    return answer_columns, ignored


def header_score(areas: AreaLookup):
    """cells → how many known columns they hold as a header row, or None: for sniff_delimiter."""

    def score(cells: list) -> int | None:
        layout = read_header(0, cells, areas)
        return None if layout is None else len(layout.columns) + len(layout.area_columns)

    return score


# --- Sheets --------------------------------------------------------------------------------------


@dataclass
class Options:
    """What every row of a file is read with: the lookups and the area and year chosen for it."""

    kommuner: KommunLookup
    areas: AreaLookup
    area: ServiceArea | None = None
    year: int | None = None


def parse_sheets(sheets: Iterable[Iterable[tuple[int, list]]], options: Options) -> Parsed:
    """The first sheet with a header row near its top, read row by row (later sheets are not)."""
    parsed = Parsed()
    counter = _CellCounter()
    for rows in sheets:
        layout, rest = find_header(
            counter.count(rows), lambda n, cells: read_header(n, cells, options.areas), within=HEADER_ROWS
        )
        if layout is None:
            continue  # no header near the top of this sheet: try the next sheet
        for number, cells in rest:
            parse_row(parsed, Row(layout, number, cells), options)
        _check_layout(parsed, layout, options)
        return parsed
    parsed.problems.append(
        Problem(
            None,
            "",
            _(
                "No header row found. The file needs a Kommun or Kommunkod column and an NKI column "
                "(or one column per area, e.g. Bygglov), with the headers in one of the first 30 rows."
            ),
        )
    )
    return parsed


class _CellCounter:
    """Refuses a file with more cells than any NKI file has (counted over all sheets read)."""

    def __init__(self):
        self.seen = 0

    def count(self, rows: Iterable[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        for number, cells in rows:
            self.seen += len(cells)
            if self.seen > constants.IMPORT_MAX_CELLS:
                raise UploadRefused(
                    _("The file has more than %(n)s cells; an NKI file is far smaller. Remove other sheets or data.")
                    % {"n": constants.IMPORT_MAX_CELLS}
                )
            yield number, cells


def _check_layout(parsed: Parsed, layout: Layout, options: Options) -> None:
    """The layout, unused columns as a warning; no area or no year (in the file or chosen) refuses it."""
    parsed.layout = "wide" if layout.wide else "long"
    if layout.ignored:
        parsed.warnings.append(_("Columns not used: %(columns)s.") % {"columns": ", ".join(layout.ignored)})
    if not layout.wide and "area" not in layout.columns and options.area is None:
        message = _(
            "The file has no Myndighetsområde column and no column named after an area. "
            "Add one, or choose the area the whole file is about."
        )
        parsed.problems.insert(0, Problem(layout.row, "", message))
        parsed.values = []
    if "year" not in layout.columns and options.year is None:
        message = _("The file has no År (year) column. Add one, or choose the year.")
        parsed.problems.insert(0, Problem(layout.row, "", message))
        parsed.values = []


# --- Rows ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row of a sheet and the problems found in it so far."""

    layout: Layout
    number: int
    cells: list
    problems: list[Problem] = field(default_factory=list)

    def cell(self, index: int | None) -> object:
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def of(self, key: str) -> object:
        """The cell in the column of this field (None if the file has no such column)."""
        return self.cell(self.layout.columns.get(key))

    def label(self, key: str) -> str:
        return self.layout.labels.get(self.layout.columns.get(key, -1), key)

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))


@dataclass
class Entry:
    """One value a row gives: for an area (None if unknown), its raw NKI cell and other values."""

    area: ServiceArea | None
    raw_nki: object
    nki_label: str
    values: dict[str, Decimal | int | None]


def parse_row(parsed: Parsed, row: Row, options: Options) -> None:
    """Add the row's values to `parsed`, or its problems; a blank or summary row is skipped."""
    if all(is_blank(c) for c in row.cells):
        return
    if _is_summary(row):
        parsed.skipped += 1
        return
    kommun = _kommun(row, options.kommuner)
    year = _year(row, options.year)
    for entry in _entries(row, options):
        value = _value(parsed, row, entry)
        if value is not None and None not in (kommun, entry.area, year) and not row.problems:
            parsed.values.append(ParsedValue(row.number, kommun, year, entry.area, value))
    parsed.problems.extend(row.problems)


def _kommun_cell(row: Row) -> tuple[object, str]:
    """The raw kommun (the kod if given, else the name) and the label of its column."""
    code = row.of("kommunkod")
    if not is_blank(code):
        return code, row.label("kommunkod")
    return row.of("kommun"), row.label("kommun")


def _is_summary(row: Row) -> bool:
    return normalise(_kommun_cell(row)[0]) in SUMMARY_LABELS


def _kommun(row: Row, kommuner: KommunLookup) -> Kommun | None:
    """The row's kommun; a problem if it is missing, unknown, or its kod and name disagree."""
    raw, column = _kommun_cell(row)
    kommun = kommuner.find(raw)
    code_cell, name_cell = row.of("kommunkod"), row.of("kommun")
    if is_blank(raw):
        row.problem(column, _("The kommun is missing."))
    elif kommun is None:
        row.problem(column, _("Unknown kommun “%(value)s”.") % {"value": cell_text(raw)})
    elif not is_blank(code_cell) and not is_blank(name_cell):
        by_name = kommuner.find(name_cell)
        if by_name is not None and by_name.pk != kommun.pk:
            row.problem(
                row.label("kommun"),
                _("Kommunkod %(code)s is %(kommun)s, but the name says “%(name)s”.")
                % {"code": kommun.code, "kommun": kommun.name, "name": cell_text(name_cell)},
            )
    return kommun


def _year(row: Row, chosen: int | None) -> int | None:
    """The year in the row's År column, else the year chosen for the file."""
    if "year" not in row.layout.columns:
        return chosen
    try:
        return parse_year(row.of("year"))
    except ValueError as error:
        row.problem(row.label("year"), str(error))
        return None


def _entries(row: Row, options: Options) -> list[Entry]:
    """One entry per area column (wide layout) or the row's one value (long layout)."""
    layout = row.layout
    if layout.wide:
        entries = []
        for index, area in layout.area_columns.items():
            values: dict[str, Decimal | int | None] = {}
            if area.pk in layout.answer_columns:
                answers = layout.answer_columns[area.pk]
                values["answers"] = _number(row, layout.labels[answers], row.cell(answers), "answers")
            entries.append(Entry(area, row.cell(index), layout.labels[index], values))
        return entries
    values = _shared_values(row)
    return [Entry(_area(row, options), row.of("nki"), row.label("nki"), values)]


def _shared_values(row: Row) -> dict[str, Decimal | int | None]:
    """Long layout: the answers, factor indices and confidence interval the row gives."""
    columns = row.layout.columns
    values: dict[str, Decimal | int | None] = {}
    for key in ("answers", *constants.FACTOR_FIELDS, "ci_low", "ci_high"):
        if key in columns:
            values[key] = _number(row, row.label(key), row.of(key), key)
    if "ci" in columns:
        raw = row.of("ci")
        values["ci_low"] = values["ci_high"] = None
        if not is_blank(raw):
            try:
                values["ci_low"], values["ci_high"] = parse_interval(raw)
            except ValueError as error:
                row.problem(row.label("ci"), str(error))
    return values


def _area(row: Row, options: Options) -> ServiceArea | None:
    """Long layout: the area in the row's Myndighetsområde column, else the one chosen."""
    if "area" not in row.layout.columns:
        return options.area
    raw = row.of("area")
    area = options.areas.find(raw)
    if area is None:
        message = (
            _("The area is missing.") if is_blank(raw) else _("Unknown area “%(value)s”.") % {"value": cell_text(raw)}
        )
        row.problem(row.label("area"), message)
    return area


def _value(parsed: Parsed, row: Row, entry: Entry) -> dict | None:
    """The entry's values with its NKI, or None: an empty NKI is skipped (a problem in a long row
    with other values), a bad one is a problem. An interval that misses the NKI is a problem."""
    values = entry.values
    if is_blank(entry.raw_nki):
        if not row.layout.wide and any(v is not None for v in values.values()):
            row.problem(entry.nki_label, _("NKI is missing, but the row has other values."))
        else:
            parsed.skipped += 1
        return None
    try:
        values["nki"] = parse_index(entry.raw_nki)
    except ValueError as error:
        row.problem(entry.nki_label, str(error))
        return None
    _check_interval(row, values)
    return values


def _check_interval(row: Row, values: dict) -> None:
    low, high = values.get("ci_low"), values.get("ci_high")
    if (low is None) != (high is None) and ("ci_low" in values or "ci_high" in values):
        row.problem(row.label("ci_low"), _("Give both ends of the confidence interval, or neither."))
    elif low is not None and high is not None and not (low <= values["nki"] <= high):
        row.problem(
            row.label("ci") if "ci" in row.layout.columns else row.label("ci_low"),
            _("NKI %(nki)s lies outside its confidence interval %(low)s–%(high)s.")
            % {"nki": values["nki"], "low": low, "high": high},
        )


def _number(row: Row, column: str, raw: object, key: str) -> Decimal | int | None:
    """A count (answers) or an index; None if blank or bad (bad: a problem)."""
    if is_blank(raw):
        return None
    try:
        return parse_count(raw) if key == "answers" else parse_index(raw)
    except ValueError as error:
        row.problem(column, str(error))
        return None
