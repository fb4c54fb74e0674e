"""Tabular files in and out: the one place that writes CSV and Excel downloads and reads uploaded
CSV and Excel files. On the ground floor, so every app exports and reads the same way.

Writing (`table_response`): a cell of text that a spreadsheet program would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe in both formats
(CSV injection); numbers stay numbers, so a negative number is a number, not a formula. CSV is
UTF-8 with a BOM (so Excel reads å, ä, ö) in the user's convention: Swedish with semicolons and
decimal commas, English with commas and decimal points. Dates are ISO; times are local and
without a time zone (Excel cannot store one). Both formats carry the same headers.

Reading: `decode_text`, `sniff_delimiter`, `csv_rows`, `xlsx_sheets`, `check_xlsx` and
`find_header`; a file that cannot be read at all raises `Unreadable` with a message for the user.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TypeVar

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

__all__ = [
    "FORMATS",
    "Unreadable",
    "check_xlsx",
    "column_label",
    "csv_rows",
    "decode_text",
    "find_header",
    "neutralise",
    "sniff_delimiter",
    "table_response",
    "xlsx_sheets",
]

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (";", ",", "\t")
SNIFF_LINES = 30
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
H = TypeVar("H")


# --- Writing -------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula, with a leading apostrophe; else unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _xlsx_cell(value: object) -> object:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool | int | float | datetime.date | datetime.time) or value is None:
        return _local(value) if isinstance(value, datetime.datetime) else value
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(str(value))  # lazy translations, model objects: as text


def _csv_cell(value: object, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | float):
        text = f"{value}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return neutralise(str(value))


def _sheet_title(filename: str) -> str:
    return (_SHEET_TITLE_FORBIDDEN.sub("-", filename)[:31]) or "Sheet"


def table_response(fmt: str, filename: str, headers: list, rows: Iterable[list]) -> HttpResponse:
    """A download of headers and rows as "csv" or "xlsx"; `filename` is the stem (no suffix).

    CSV follows the active language (Swedish: ';' and decimal comma; otherwise ',' and point);
    .xlsx keeps numbers and dates as such. ValueError for another format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown table format {fmt!r}")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_sheet_title(filename))
        sheet.append([_xlsx_cell(str(h)) for h in headers])
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        swedish = (get_language() or "sv").startswith("sv")
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";" if swedish else ",")
        writer.writerow([_csv_cell(str(h), swedish) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v, swedish) for v in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Reading -------------------------------------------------------------------------------------


class Unreadable(Exception):
    """The file as a whole cannot be read; the message (translated) says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_text() -> Unreadable:
    return Unreadable(_("The file is not text in UTF-8 or Windows-1252. Save it as CSV (UTF-8) and try again."))


def not_xlsx() -> Unreadable:
    return Unreadable(_("The file is not a valid Excel file (.xlsx). Open it in Excel and save it again."))


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 (what Swedish Excel writes as 'CSV')."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise not_text() from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise not_text()


Score = Callable[[list[str]], "int | None"]


def sniff_delimiter(text: str, score: Score | None = None) -> str:
    """The separator of a CSV text: ';', ',' or a tab.

    With `score` (cells → a rating of them as a header row, or None if they are not one): the
    separator under which the best-rated header row is found among the first lines. Counting
    characters is not enough where a semicolon file with decimal commas holds more commas than
    semicolons. Without a score, or when no separator gives a header: the most frequent one.
    """
    head = "\n".join(text.splitlines()[:SNIFF_LINES])
    best, best_score = None, -1
    if score is not None:
        for candidate in DELIMITERS:
            try:
                for cells in csv.reader(io.StringIO(head), delimiter=candidate):
                    rating = score(cells)
                    if rating is not None:
                        if rating > best_score:
                            best, best_score = candidate, rating
                        break
            except csv.Error:
                continue
    if best is None:
        counts = {sep: head.count(sep) for sep in DELIMITERS}
        best = max(counts, key=counts.get)
    return best


def csv_rows(content: bytes, score: Score | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV file, decoded and its separator found (see sniff_delimiter).

    Unreadable if the file is not text, or is damaged (the line is named). A generator: the
    errors come when it is read.
    """
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text, score))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise Unreadable(
            _("The CSV file is damaged near line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None


def check_xlsx(content: bytes, max_uncompressed: int, max_ratio: float) -> None:
    """A real .xlsx is a zip with [Content_Types].xml; refuse zip bombs before anything unpacks."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx() from None
    if "[Content_Types].xml" not in {info.filename for info in infos}:
        raise not_xlsx()
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > max_uncompressed or total / packed > max_ratio:
        raise Unreadable(
            _("The Excel file unpacks to far more data than such a file holds and was refused for safety.")
        )


def _calamine_cell(value: object) -> object:
    """A cell as openpyxl would give it: whole numbers as int, an empty cell as None, a date as a
    datetime at midnight (Excel has no date-only type)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    if type(value) is datetime.date:
        return datetime.datetime.combine(value, datetime.time())
    return value


def xlsx_sheets(content: bytes) -> Iterator[Iterator[tuple[int, list]]]:
    """Each sheet of an .xlsx as (row number, cell values) rows, formulas as their cached values.

    Read with calamine (python-calamine, ten times faster than openpyxl on a 23,200-row NKI file);
    cells come as openpyxl gives them (`_calamine_cell`). Check the file with check_xlsx first;
    Unreadable if it cannot be opened.
    """
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = [workbook.get_sheet_by_index(index) for index in range(len(workbook.sheet_names))]
    except Exception:  # noqa: BLE001 - calamine raises several kinds on a damaged file
        raise not_xlsx() from None
    for sheet in sheets:
        yield (
            (number, [_calamine_cell(cell) for cell in cells])
            for number, cells in enumerate(sheet.iter_rows(), start=1)
        )


def find_header(
    rows: Iterable[tuple[int, list]], read_header: Callable[[int, list], H | None], *, within: int = SNIFF_LINES
) -> tuple[H | None, Iterator[tuple[int, list]]]:
    """The header among the first `within` rows (a title above it is passed over): what
    read_header(number, cells) first returns that is not None, and the rows after it. (None, the
    rest) if no row within reach is a header."""
    rows = iter(rows)
    for number, cells in rows:
        if number > within:
            break
        header = read_header(number, cells)
        if header is not None:
            return header, rows
    return None, rows


def column_label(index: int, header: object) -> str:
    """'C (Folkmängd)' for the column at 0-based index 2 with that header: for messages."""
    return f"{get_column_letter(index + 1)} ({str(header).strip()})"
