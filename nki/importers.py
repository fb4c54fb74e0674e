"""Read NKI files into validated values: spreadsheets (xlsx, csv; long or wide) and Kolada JSON.

`parse()` never writes. It returns every value it understood and every problem it found, each with
the row number and the column, so the service can refuse the whole file and tell the user all
that is wrong at once. Columns are found by their Swedish or English header names (any order and
case), kommuner by kod or by any usual form of their name, areas by name or alias (data).

This module finds the kind of file and hands it to its reader: nki.sheets (xlsx, CSV) or
nki.kolada (Kolada JSON); what both share is in nki.reading. The bytes are decoded and unpacked by
members.tabular, whose Unreadable becomes UploadRefused with the same message.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from members import tabular

from . import constants
from .kolada import parse_kolada
from .models import NkiImport
from .reading import AreaLookup, KommunLookup, Parsed, ParsedValue, Problem, UploadRefused
from .sheets import Options, header_score, parse_sheets

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
        tabular.check_xlsx(content, constants.XLSX_MAX_UNCOMPRESSED_BYTES, constants.XLSX_MAX_COMPRESSION_RATIO)
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


# --- Parsing -------------------------------------------------------------------------------------


def parse(content: bytes, file_name: str, *, area_code: str | None = None, year: int | None = None) -> Parsed:
    """Read a file into values and problems. Never writes. UploadRefused if it cannot be read at all."""
    try:
        kind = detect_kind(file_name, content)
        areas = AreaLookup()
        chosen_area = areas.by_code.get(area_code) if area_code else None
        if area_code and chosen_area is None:
            raise UploadRefused(_("Unknown area “%(area)s”.") % {"area": area_code})
        parsed = _read(kind, content, Options(KommunLookup(), areas, chosen_area, year))
    except tabular.Unreadable as unreadable:
        raise UploadRefused.of(unreadable) from None
    parsed.kind = kind
    _check_duplicates_and_years(parsed)
    return parsed


def _read(kind: str, content: bytes, options: Options) -> Parsed:
    if kind == NkiImport.Kind.KOLADA:
        return parse_kolada(content, kommuner=options.kommuner, chosen_area=options.area)
    if kind == NkiImport.Kind.XLSX:
        return parse_sheets(tabular.xlsx_sheets(content), options)
    return parse_sheets([tabular.csv_rows(content, header_score(options.areas))], options)


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
