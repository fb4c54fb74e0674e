"""Any NKI table as CSV or Excel: headers and rows of plain values in, a download out."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import get_language

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _csv_value(value, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        text = f"{value}"
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def table_response(fmt: str, filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    """CSV in the user's convention (Swedish: semicolon and decimal comma, UTF-8 with BOM so Excel
    reads å, ä, ö), or an .xlsx with numbers as numbers. The importer reads both back."""
    headers = [str(h) for h in headers]
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("NKI")
        sheet.append(headers)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    swedish = (get_language() or "sv").startswith("sv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if swedish else ",")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(v, swedish) for v in row])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
