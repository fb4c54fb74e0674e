"""Builders for real-shaped NKI files (made in the test, never checked in) and result factories."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook

from members.models import Kommun
from nki import services
from nki.models import NkiResult, ServiceArea


def xlsx_bytes(rows: list[list], sheet_title: str = "NKI") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ";", decimal_comma: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, float | Decimal) and decimal_comma:
                cells.append(str(value).replace(".", ","))
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return buffer.getvalue().encode(encoding)


def kolada_bytes(values: list[dict], next_page=None) -> bytes:
    return json.dumps({"count": len(values), "values": values, "next_page": next_page}).encode("utf-8")


def kolada_value(kpi: str, municipality: str, period: int, value, count: int = 1) -> dict:
    return {
        "kpi": kpi,
        "municipality": municipality,
        "period": period,
        "values": [
            {"gender": "K", "value": None, "count": 0, "status": "Missing"},
            {"gender": "M", "value": None, "count": 0, "status": "Missing"},
            {"gender": "T", "value": value, "count": count, "status": ""},
        ],
    }


def area(code: str) -> ServiceArea:
    return ServiceArea.objects.get(code=code)


def stored(code: str, year: int, area_code: str) -> NkiResult:
    return NkiResult.objects.get(kommun__code=code, year=year, area__code=area_code)


def make_results(kommun_codes: list[str], years: list[int], area_codes: list[str], *, base: float = 70.0) -> int:
    """Bulk-create plausible results with factors for the given kommuner × years × areas."""
    kommuner = list(Kommun.objects.filter(code__in=kommun_codes))
    areas = list(ServiceArea.objects.filter(code__in=area_codes))
    results = []
    for i, kommun in enumerate(kommuner):
        for j, year in enumerate(years):
            for k, service_area in enumerate(areas):
                nki = Decimal(str(round(base + (i % 7) - k + j * 0.5, 1)))
                results.append(
                    NkiResult(
                        kommun=kommun,
                        year=year,
                        area=service_area,
                        nki=nki,
                        answers=5 + (i * 7 + k) % 60,
                        information=nki - 1,
                        tillganglighet=nki + 2,
                        bemotande=nki + 5,
                        kompetens=nki + 3,
                        rattssakerhet=nki,
                        effektivitet=nki - 3,
                    )
                )
    NkiResult.objects.bulk_create(results)
    services.coverage_refresh(years=years)  # bulk_create sends no signals
    return len(results)


@pytest.fixture
def long_rows() -> list[list]:
    """A long Insikt-style sheet: title rows above, headers in odd order and case, a Riket row."""
    return [
        ["Insikt 2023 – resultat per kommun och myndighetsområde"],
        [],
        [
            "ÅR",
            "kommun",
            "MYNDIGHETSOMRÅDE",
            "Antal svar",
            "nki",
            "Konfidensintervall",
            "Information",
            "Tillgänglighet",
            "Bemötande",
            "Kompetens",
            "Rättssäkerhet",
            "Effektivitet",
        ],
        [2023, "Flens kommun", "Bygglov", 25, 68.4, "65,1–71,7", 66.0, 70.5, 75.2, 72.0, 69.9, 61.3],
        [2023, "FLEN", "Miljö- och hälsoskydd", 40, 74.65, None, None, None, None, None, None, None],
        [2023, "Stockholms stad", "Totalt", 1200, 76.0, "75,2-76,8", 74, 77, 80, 79, 76, 72],
        [2023, "Riket", "Totalt", 25000, 75.0, None, None, None, None, None, None, None],
        [2022, "0120", "Livsmedelskontroll", 6, 81.2, None, None, None, None, None, None, None],
    ]
