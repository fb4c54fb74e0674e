"""Read NKI files into validated values: spreadsheets (xlsx, csv; long or wide) and Kolada JSON.

`parse()` never writes. It returns every value it understood and every problem it found, each with
the row number and the column, so the service can refuse the whole file and tell the user all
that is wrong at once. Columns are found by their Swedish or English header names (any order and
case), kommuner by kod or by any usual form of their name, areas by name or alias (data).

Kolada KPI ids are looked up in the KoladaKpi table (editable in admin). The seed maps U07451 to
NKI Totalt; that id is an assumption to verify against kolada.se before relying on it. A file with
a single KPI that is not mapped can still be imported by choosing its area (form or --area).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from members.models import Kommun

from . import constants
from .models import KoladaKpi, NkiImport, ServiceArea

INDEX_FIELDS = ("nki", "ci_low", "ci_high", *constants.FACTOR_FIELDS)
VALUE_FIELDS = ("nki", "answers", "ci_low", "ci_high", *constants.FACTOR_FIELDS)
BLANK = {"", "-", "–", "—", "..", "*", "n/a", "na"}
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


class UploadRefused(Exception):
    """The file as a whole cannot be read (wrong type, too big, damaged). The message says why."""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ParsedValue:
    row: int
    kommun: Kommun
    year: int
    area: ServiceArea
    values: dict[str, Decimal | int | None]  # only the fields the file covers for this value

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.kommun.pk, self.year, self.area.pk)


@dataclass
class Parsed:
    kind: str = ""
    values: list[ParsedValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0  # summary rows and empty values
    layout: str = ""


# --- Names ---------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[\-–—_/():.,;*'\"]+")


def normalise(text: object) -> str:
    """Lower case, '&' as 'och', punctuation as space, single spaces: 'Miljö- och hälsoskydd'."""
    text = str(text or "").replace("\xa0", " ").replace("&", " och ").lower()
    return " ".join(_PUNCT.sub(" ", text).split())


def _genitive(name: str) -> str:
    # Swedish genitive: Flen → Flens, but Kramfors, Vadstena-like names ending in s/x/z keep theirs.
    return name if name[-1:] in "sxz" else f"{name}s"


class KommunLookup:
    """Find a kommun by kod ('0482', '482', 482) or name ('Flen', 'FLEN', 'Flens kommun').

    Name variants are built from the register, not hard-coded: the name, its genitive with
    'kommun' or 'stad' ('Stockholms stad', 'Hässleholms kommun', 'Kramfors kommun'), 'Region X'
    ('Region Gotland'). A variant that would fit two kommuner is dropped rather than guessed.
    """

    _CODE_IN_TEXT = re.compile(r"^\(?(\d{3,4})\)?\s|\((\d{3,4})\)$")

    def __init__(self, kommuner: list[Kommun] | None = None):
        kommuner = kommuner if kommuner is not None else list(Kommun.objects.all())
        self._memo: dict = {}
        self.by_code = {k.code: k for k in kommuner}
        variants: dict[str, set[int]] = {}
        by_pk = {}
        for kommun in kommuner:
            by_pk[kommun.pk] = kommun
            base = normalise(kommun.name)
            gen = _genitive(base)
            for variant in (
                base,
                gen,
                f"{base} kommun",
                f"{gen} kommun",
                f"{base} stad",
                f"{gen} stad",
                f"region {base}",
                f"kommun {base}",
            ):
                variants.setdefault(variant, set()).add(kommun.pk)
        self.by_name = {v: by_pk[next(iter(pks))] for v, pks in variants.items() if len(pks) == 1}

    def code_of(self, raw: object) -> str | None:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int | float) and float(raw).is_integer():
            raw = str(int(raw))
        text = str(raw or "").strip()
        if re.fullmatch(r"\d{1,4}", text):
            return text.zfill(4)
        return None

    def find(self, raw: object) -> Kommun | None:
        key = (type(raw), raw)
        if key not in self._memo:
            self._memo[key] = self._find(raw)
        return self._memo[key]

    def _find(self, raw: object) -> Kommun | None:
        code = self.code_of(raw)
        if code is not None:
            return self.by_code.get(code)
        text = str(raw or "").strip()
        match = self._CODE_IN_TEXT.search(text)
        if match:
            return self.by_code.get((match.group(1) or match.group(2)).zfill(4))
        return self.by_name.get(normalise(text))


class AreaLookup:
    """Find a service area by code, Swedish or English name or an alias (any case), 'NKI X' too."""

    def __init__(self, areas: list[ServiceArea] | None = None):
        areas = areas if areas is not None else list(ServiceArea.objects.all())
        self._memo: dict = {}
        self.by_code = {a.code: a for a in areas}
        self.by_name: dict[str, ServiceArea] = {}
        for area in areas:
            for name in (area.code, area.name_sv, area.name_en, *area.alias_list()):
                self.by_name.setdefault(normalise(name), area)

    def find(self, raw: object) -> ServiceArea | None:
        key = (type(raw), raw)
        if key not in self._memo:
            self._memo[key] = self._find(raw)
        return self._memo[key]

    def _find(self, raw: object) -> ServiceArea | None:
        text = normalise(raw)
        if text in self.by_name:
            return self.by_name[text]
        if text.startswith("nki "):
            return self.by_name.get(text[4:])
        return None


# --- Headers -------------------------------------------------------------------------------------

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


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_header(row_number: int, cells: list, areas: AreaLookup) -> Layout | None:
    columns: dict[str, int] = {}
    area_columns: dict[int, ServiceArea] = {}
    answer_texts: dict[int, str] = {}
    labels: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        text = normalise(cell)
        if not text:
            continue
        labels[index] = f"{_column_letter(index)} ({str(cell).strip()})"
        key = HEADER_LOOKUP.get(text)
        if key is not None and key not in columns:
            columns[key] = index
        elif (area := areas.find(text)) is not None:
            area_columns[index] = area
        else:
            answer_texts[index] = text
    answer_columns: dict[int, int] = {}
    for index, text in answer_texts.items():
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
    has_kommun = "kommun" in columns or "kommunkod" in columns
    if not has_kommun or not ("nki" in columns or area_columns):
        return None
    return Layout(row_number, columns, area_columns, answer_columns, labels, ignored)


# --- Cells ---------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\xa0", " ").strip()


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, int | float):
        return False
    return _text(value).lower() in BLANK


def parse_index(value: object) -> Decimal:
    """An index 0–100 with one decimal; decimal comma or point. Raises ValueError with a message."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = _text(value).replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": _text(value)}) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValueError(_("%(value)s is outside 0–100.") % {"value": _text(value)})
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def parse_count(value: object) -> int:
    """A number of answers: a whole number, 0 or more ('1 234' allowed)."""
    text = _text(value).replace(" ", "")
    try:
        number = Decimal(text.replace(",", ".") if isinstance(value, str) else text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    if number < 0:
        raise ValueError(_("%(value)s is negative.") % {"value": _text(value)})
    return int(number)


def parse_year(value: object) -> int:
    text = _text(value)
    try:
        number = Decimal(text)
        if number != number.to_integral_value():
            raise InvalidOperation
        year = int(number)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a year.") % {"value": text}) from None
    if not 2000 <= year <= datetime.date.today().year + 1:
        raise ValueError(_("%(value)s is not a plausible year for NKI results.") % {"value": text})
    return year


_RANGE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:[–—-]|till|to)\s*(\d+(?:[.,]\d+)?)\s*$")


def parse_interval(value: object) -> tuple[Decimal, Decimal]:
    match = _RANGE.match(_text(value))
    if not match:
        raise ValueError(
            _("“%(value)s” is not an interval; write it as low–high, e.g. 70,2–75,8.") % {"value": _text(value)}
        )
    return parse_index(match.group(1)), parse_index(match.group(2))


# --- File kinds ----------------------------------------------------------------------------------


def detect_kind(file_name: str, content: bytes) -> str:
    """xlsx, csv or kolada from the name and the content; UploadRefused with a clear reason."""
    if not content:
        raise UploadRefused(_("The file is empty."))
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            _("The file is larger than %(size)s. Split it, or save only the NKI sheet.")
            % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xls":
        raise UploadRefused(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx and try again."))
    if suffix == ".xlsx":
        _check_xlsx(content)
        return NkiImport.Kind.XLSX
    if suffix == ".json":
        return NkiImport.Kind.KOLADA
    if suffix in (".csv", ".txt"):
        if content[:4] == b"PK\x03\x04":
            raise UploadRefused(_("The file is named .csv but is an Excel or zip file. Save it as .xlsx or .csv."))
        if b"\x00" in content[:4096]:
            raise UploadRefused(_("The file is not text. Save the sheet as CSV (UTF-8) and try again."))
        return NkiImport.Kind.CSV
    raise UploadRefused(_("Only .xlsx, .csv and Kolada .json files can be imported."))


def _check_xlsx(content: bytes) -> None:
    """A real xlsx is a zip with [Content_Types].xml; refuse zip bombs before anything unpacks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(
            _("The file is not a valid Excel file (.xlsx). Open it in Excel and save it again.")
        ) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise UploadRefused(_("The file is not a valid Excel file (.xlsx). Open it in Excel and save it again."))
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > constants.XLSX_MAX_UNCOMPRESSED_BYTES or total / packed > constants.XLSX_MAX_COMPRESSION_RATIO:
        raise UploadRefused(
            _("The Excel file unpacks to far more data than an NKI report holds and was refused for safety.")
        )


def decode_text(content: bytes) -> str:
    """UTF-8 with BOM, UTF-8, else Windows-1252 (what Swedish Excel writes as 'CSV')."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise UploadRefused(_("The file's characters cannot be read. Save it as CSV (UTF-8) and try again.")) from None


def _delimiter(text: str, areas: AreaLookup) -> str:
    """The separator under which the header row is found with the most known columns.

    Counting characters is not enough: a semicolon file with decimal commas can hold more commas
    than semicolons, and a title line above the headers may hold either.
    """
    head = "\n".join(text.splitlines()[:30])
    best, best_score = ";", -1
    for candidate in (";", ",", "\t"):
        for cells in csv.reader(io.StringIO(head), delimiter=candidate):
            layout = _read_header(0, cells, areas)
            if layout is not None:
                score = len(layout.columns) + len(layout.area_columns)
                if score > best_score:
                    best, best_score = candidate, score
                break
    if best_score < 0:
        counts = {sep: head.count(sep) for sep in (";", ",", "\t")}
        best = max(counts, key=counts.get)
    return best


def _csv_rows(content: bytes, areas: AreaLookup) -> Iterator[tuple[int, list]]:
    text = decode_text(content)
    delimiter = _delimiter(text, areas)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise UploadRefused(
            _("The CSV file is damaged near line %(line)s: %(error)s")
            % {
                "line": reader.line_num,
                "error": error,
            }
        ) from None


def _xlsx_sheets(content: bytes) -> Iterator[Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise UploadRefused(
            _("The file is not a valid Excel file (.xlsx). Open it in Excel and save it again.")
        ) from None
    try:
        for sheet in workbook.worksheets:
            yield ((number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


# --- Parsing -------------------------------------------------------------------------------------


def parse(content: bytes, file_name: str, *, area_code: str | None = None, year: int | None = None) -> Parsed:
    """Read a file into values and problems. Never writes. UploadRefused if it cannot be read at all."""
    kind = detect_kind(file_name, content)
    kommuner, areas = KommunLookup(), AreaLookup()
    chosen_area = areas.by_code.get(area_code) if area_code else None
    if area_code and chosen_area is None:
        raise UploadRefused(_("Unknown area “%(area)s”.") % {"area": area_code})
    if kind == NkiImport.Kind.KOLADA:
        parsed = _parse_kolada(content, kommuners=kommuner, areas=areas, chosen_area=chosen_area)
    else:
        sheets = _xlsx_sheets(content) if kind == NkiImport.Kind.XLSX else iter([_csv_rows(content, areas)])
        parsed = _parse_sheets(sheets, kommuner=kommuner, areas=areas, chosen_area=chosen_area, year=year)
    parsed.kind = kind
    _check_duplicates_and_years(parsed)
    return parsed


def _parse_sheets(sheets, *, kommuner: KommunLookup, areas: AreaLookup, chosen_area, year) -> Parsed:
    parsed = Parsed()
    cells_seen = 0
    for rows in sheets:
        layout = None
        for number, cells in rows:
            cells_seen += len(cells)
            if cells_seen > constants.IMPORT_MAX_CELLS:
                raise UploadRefused(
                    _("The file has more than %(n)s cells; an NKI file is far smaller. Remove other sheets or data.")
                    % {"n": constants.IMPORT_MAX_CELLS}
                )
            if layout is None:
                if number > 30:
                    break  # no header near the top of this sheet: try the next sheet
                layout = _read_header(number, cells, areas)
                continue
            _parse_row(
                parsed, layout, number, cells, kommuners=kommuner, areas=areas, chosen_area=chosen_area, year=year
            )
        if layout is not None:
            parsed.layout = "wide" if layout.wide else "long"
            if layout.ignored:
                parsed.warnings.append(_("Columns not used: %(columns)s.") % {"columns": ", ".join(layout.ignored)})
            if not layout.wide and "area" not in layout.columns and chosen_area is None:
                parsed.problems.insert(
                    0,
                    Problem(
                        layout.row,
                        "",
                        _(
                            "The file has no Myndighetsområde column and no column named after an area. "
                            "Add one, or choose the area the whole file is about."
                        ),
                    ),
                )
                parsed.values = []
            if "year" not in layout.columns and year is None:
                parsed.problems.insert(
                    0, Problem(layout.row, "", _("The file has no År (year) column. Add one, or choose the year."))
                )
                parsed.values = []
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


def _parse_row(
    parsed: Parsed,
    layout: Layout,
    number: int,
    cells: list,
    *,
    kommuners: KommunLookup,
    areas: AreaLookup,
    chosen_area,
    year,
) -> None:
    def cell(index: int | None) -> object:
        return cells[index] if index is not None and index < len(cells) else None

    def label(key: str) -> str:
        return layout.labels.get(layout.columns.get(key, -1), key)

    if all(is_blank(c) for c in cells):
        return
    columns = layout.columns
    problems: list[Problem] = []

    code_cell, name_cell = cell(columns.get("kommunkod")), cell(columns.get("kommun"))
    raw_kommun = code_cell if not is_blank(code_cell) else name_cell
    kommun_column = label("kommunkod") if not is_blank(code_cell) else label("kommun")
    if normalise(raw_kommun) in SUMMARY_LABELS:
        parsed.skipped += 1
        return
    kommun = kommuners.find(raw_kommun)
    if is_blank(raw_kommun):
        problems.append(Problem(number, kommun_column, _("The kommun is missing.")))
    elif kommun is None:
        problems.append(Problem(number, kommun_column, _("Unknown kommun “%(value)s”.") % {"value": _text(raw_kommun)}))
    elif not is_blank(code_cell) and not is_blank(name_cell):
        by_name = kommuners.find(name_cell)
        if by_name is not None and by_name.pk != kommun.pk:
            problems.append(
                Problem(
                    number,
                    label("kommun"),
                    _("Kommunkod %(code)s is %(kommun)s, but the name says “%(name)s”.")
                    % {"code": kommun.code, "kommun": kommun.name, "name": _text(name_cell)},
                )
            )

    row_year = year
    if "year" in columns:
        try:
            row_year = parse_year(cell(columns["year"]))
        except ValueError as error:
            problems.append(Problem(number, label("year"), str(error)))
            row_year = None

    common: dict[str, Decimal | int | None] = {}
    for key in ("answers", *constants.FACTOR_FIELDS, "ci_low", "ci_high"):
        if key in columns and not layout.wide:
            common[key] = _field(problems, number, label(key), cell(columns[key]), key)
    if "ci" in columns and not layout.wide:
        raw = cell(columns["ci"])
        common["ci_low"] = common["ci_high"] = None
        if not is_blank(raw):
            try:
                common["ci_low"], common["ci_high"] = parse_interval(raw)
            except ValueError as error:
                problems.append(Problem(number, label("ci"), str(error)))

    # One row gives one value (long layout) or one per area column (wide layout).
    entries: list[tuple[ServiceArea | None, object, str, dict]] = []
    if layout.wide:
        for index, area in layout.area_columns.items():
            values: dict[str, Decimal | int | None] = {}
            if area.pk in layout.answer_columns:
                answer_index = layout.answer_columns[area.pk]
                values["answers"] = _field(problems, number, layout.labels[answer_index], cell(answer_index), "answers")
            entries.append((area, cell(index), layout.labels[index], values))
    else:
        area = chosen_area
        if "area" in columns:
            raw_area = cell(columns["area"])
            area = areas.find(raw_area)
            if area is None:
                message = (
                    _("The area is missing.")
                    if is_blank(raw_area)
                    else _("Unknown area “%(value)s”.") % {"value": _text(raw_area)}
                )
                problems.append(Problem(number, label("area"), message))
        entries.append((area, cell(columns.get("nki")), label("nki"), dict(common)))

    for area, raw_nki, nki_label, values in entries:
        if is_blank(raw_nki):
            others = [v for k, v in values.items() if v is not None]
            if others and not layout.wide:
                problems.append(Problem(number, nki_label, _("NKI is missing, but the row has other values.")))
            else:
                parsed.skipped += 1
            continue
        try:
            values["nki"] = parse_index(raw_nki)
        except ValueError as error:
            problems.append(Problem(number, nki_label, str(error)))
            continue
        low, high = values.get("ci_low"), values.get("ci_high")
        if (low is None) != (high is None) and ("ci_low" in values or "ci_high" in values):
            problems.append(
                Problem(number, label("ci_low"), _("Give both ends of the confidence interval, or neither."))
            )
        elif low is not None and high is not None and not (low <= values["nki"] <= high):
            problems.append(
                Problem(
                    number,
                    label("ci") if "ci" in columns else label("ci_low"),
                    _("NKI %(nki)s lies outside its confidence interval %(low)s–%(high)s.")
                    % {"nki": values["nki"], "low": low, "high": high},
                )
            )
        if kommun is not None and area is not None and row_year is not None and not problems:
            parsed.values.append(ParsedValue(number, kommun, row_year, area, values))
    parsed.problems.extend(problems)


def _field(problems: list[Problem], number: int, column: str, raw: object, key: str):
    if is_blank(raw):
        return None
    try:
        return parse_count(raw) if key == "answers" else parse_index(raw)
    except ValueError as error:
        problems.append(Problem(number, column, str(error)))
        return None


def _parse_kolada(content: bytes, *, kommuners: KommunLookup, areas: AreaLookup, chosen_area) -> Parsed:
    parsed = Parsed(layout="kolada")
    try:
        data = json.loads(decode_text(content))
    except (ValueError, UploadRefused):
        raise UploadRefused(_("The file is not valid JSON. Save the Kolada API response as it came.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise UploadRefused(_("The JSON is not a Kolada API response: it has no “values” list."))
    if data.get("next_page"):
        parsed.warnings.append(
            _("This is one page of a longer Kolada answer (next_page is set): only the values in it are imported.")
        )
    mapping = {k.kpi: k for k in KoladaKpi.objects.select_related("area")}
    kpis_in_file = {str(item.get("kpi")) for item in data["values"] if isinstance(item, dict)}
    single_kpi = chosen_area is not None and len(kpis_in_file) == 1
    merged: dict[tuple[int, int, int], ParsedValue] = {}
    for number, item in enumerate(data["values"], start=1):
        if not isinstance(item, dict):
            parsed.problems.append(Problem(number, "", _("Not a Kolada value.")))
            continue
        kpi, municipality = str(item.get("kpi") or ""), str(item.get("municipality") or "")
        total = next(
            (v for v in item.get("values") or [] if isinstance(v, dict) and v.get("gender") == "T"),
            None,
        )
        if total is None or total.get("value") is None:
            parsed.skipped += 1  # no value for both genders together, or Kolada reports it missing
            continue
        if municipality == "0000" or municipality.startswith("G"):
            parsed.skipped += 1  # the whole country or a group of kommuner, not one kommun
            continue
        problems: list[Problem] = []
        kommun = kommuners.by_code.get(municipality)
        if kommun is None:
            problems.append(Problem(number, "municipality", _("Unknown kommun “%(value)s”.") % {"value": municipality}))
        entry = mapping.get(kpi)
        if entry is not None:
            area, measure = entry.area, entry.measure
        elif single_kpi:
            area, measure = chosen_area, KoladaKpi.Measure.NKI
        else:
            area = measure = None
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
            continue
        key = (kommun.pk, year, area.pk)
        target = merged.get(key)
        if target is None:
            target = merged[key] = ParsedValue(number, kommun, year, area, {})
        if measure in target.values:
            parsed.problems.append(
                Problem(
                    number,
                    "kpi",
                    _("Duplicate: %(kommun)s %(year)s %(area)s is already given in value %(row)s.")
                    % {"kommun": kommun.name, "year": year, "area": area.name, "row": target.row},
                )
            )
            continue
        target.values[measure] = value
    for value in merged.values():
        if "nki" not in value.values:
            parsed.problems.append(
                Problem(
                    value.row,
                    "kpi",
                    _("No NKI value for %(kommun)s %(year)s %(area)s, only other figures.")
                    % {"kommun": value.kommun.name, "year": value.year, "area": value.area.name},
                )
            )
        else:
            parsed.values.append(value)
    return parsed


def _check_duplicates_and_years(parsed: Parsed) -> None:
    seen: dict[tuple[int, int, int], int] = {}
    unique: list[ParsedValue] = []
    inactive: set[tuple[str, int]] = set()
    for value in parsed.values:
        if value.key in seen and parsed.kind != NkiImport.Kind.KOLADA:
            parsed.problems.append(
                Problem(
                    value.row,
                    _("Kommun/År/Myndighetsområde"),
                    _("Duplicate: %(kommun)s %(year)s %(area)s is already on row %(row)s.")
                    % {
                        "kommun": value.kommun.name,
                        "year": value.year,
                        "area": value.area.name,
                        "row": seen[value.key],
                    },
                )
            )
            continue
        seen[value.key] = value.row
        unique.append(value)
        if not value.area.is_active(value.year):
            inactive.add((value.area.name, value.year))
    parsed.values = unique
    for area_name, year in sorted(inactive):
        parsed.warnings.append(
            _("%(area)s is not normally part of NKI in %(year)s; check the file.") % {"area": area_name, "year": year}
        )
    parsed.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
