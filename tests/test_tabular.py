"""members.tabular, the one module for tabular files: exports from inquiries and nki written the
same way (formula cells neutralised in CSV and Excel, CSV in the user's convention), and uploads
read the same way (encodings, separators, a header below a title, a clear refusal)."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from members import tabular
from members.models import Contact, Kommun, Population
from nki import services as nki_services
from nki.models import NkiImport, NkiResult, ServiceArea

from .conftest import client_for
from .factories import ContactFactory, InquiryFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x")'


def csv_lines(response) -> list[str]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return response.content.decode("utf-8-sig").splitlines()


def xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def xlsx_cells(response):
    return [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]


# --- Writing -------------------------------------------------------------------------------------


def test_inquiry_export_neutralises_a_formula_in_csv_and_excel(staff):
    InquiryFactory(investor_name=FORMULA, responsible=staff)
    client = client_for(staff)
    csv_text = "\n".join(csv_lines(client.get(reverse("inquiries:export", args=["inquiries", "csv"]))))
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text
    response = client.get(reverse("inquiries:export", args=["inquiries", "xlsx"]))
    stamp = datetime.date.today().isoformat()[:4]
    assert response["Content-Disposition"].startswith(f'attachment; filename="forfragningar-{stamp}')
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response["X-Content-Type-Options"] == "nosniff"
    investor = next(c for c in xlsx_cells(response) if "HYPERLINK" in str(c.value))
    assert investor.value == "'" + FORMULA and investor.data_type == "s"  # text, not a formula


def _improvers(contact_name: str) -> str:
    for i, code in enumerate(["0482", "0120", "0114", "0115", "0117", "0123"]):
        kommun = Kommun.objects.get(code=code)
        bygglov = ServiceArea.objects.get(code="bygglov")
        NkiResult.objects.create(kommun=kommun, year=2020, area=bygglov, nki=Decimal(60 + i), answers=30)
        NkiResult.objects.create(kommun=kommun, year=2023, area=bygglov, nki=Decimal(60 + 3 * i), answers=30)
    kommun = Kommun.objects.get(code="0123")
    ContactFactory(kommun=kommun, role=Contact.Role.NKI, name=contact_name, email="n@j.example")
    return reverse("nki:area", args=["bygglov"])


def test_nki_export_neutralises_a_formula_in_csv_and_excel_with_the_same_headers(user_a):
    url = _improvers(FORMULA)
    client = client_for(user_a)
    csv_response = client.get(url, {"year": 2023, "table": "improvers", "export": "csv"})
    assert csv_response["Content-Disposition"] == 'attachment; filename="nki-bygglov-2023-forbattring.csv"'
    assert csv_response["X-Content-Type-Options"] == "nosniff"
    lines = csv_lines(csv_response)
    jarfalla = next(csv.reader([line], delimiter=";") for line in lines if line.startswith("0123;"))
    assert next(jarfalla)[6] == "'" + FORMULA
    xlsx_response = client.get(url, {"year": 2023, "table": "improvers", "export": "xlsx"})
    assert xlsx_response["X-Content-Type-Options"] == "nosniff"
    rows = xlsx_rows(xlsx_response)
    assert rows[1][:2] == ("0123", "Järfälla") and rows[1][6] == "'" + FORMULA
    assert ";".join(rows[0]) == lines[0]  # the same headers in both formats


def test_decimal_comma_in_swedish_and_point_in_english(user_a):
    url = _improvers("Nora Nki")
    client = client_for(user_a)
    swedish = csv_lines(client.get(url, {"year": 2023, "export": "csv"}))
    assert swedish[0].startswith("Kommunkod;Kommun;SBA-medlem;") and "0123;Järfälla;ja;" in "\n".join(swedish)
    assert ";75,0;30;" in next(line for line in swedish if line.startswith("0123;"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = csv_lines(client.get(url, {"year": 2023, "export": "csv"}))
    assert english[0].startswith("Kommunkod,Kommun,SBA member,")
    assert ",75.0,30," in next(line for line in english if line.startswith("0123,"))


def test_cells_numbers_dates_and_times_in_both_formats():
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    moment = datetime.datetime(2024, 6, 1, 8, 30, tzinfo=datetime.UTC)  # 10:30 in Stockholm
    row = ["-1 kr", -5, Decimal("-1.5"), 2.25, datetime.date(2024, 6, 1), moment, None, "@SUM(A1)", "\tx", "ok"]
    with translation.override("sv"), timezone_override(stockholm):
        csv_response = tabular.table_response("csv", "t", ["=A", "B"], [row])
        xlsx_response = tabular.table_response("xlsx", "t", ["=A", "B"], [row])
    header, line = csv_lines(csv_response)
    assert header == "'=A;B"
    assert line == "'-1 kr;-5;-1,5;2,25;2024-06-01;2024-06-01 10:30:00;;'@SUM(A1);'\tx;ok"
    rows = xlsx_rows(xlsx_response)
    assert rows[0][:2] == ("'=A", "B")
    assert rows[1][:4] == ("'-1 kr", -5, -1.5, 2.25)  # numbers stay numbers, negative ones too
    assert rows[1][4].date() == datetime.date(2024, 6, 1)
    assert rows[1][5] == datetime.datetime(2024, 6, 1, 10, 30)  # local time, no time zone
    assert rows[1][6:] == (None, "'@SUM(A1)", "'\tx", "ok")
    with translation.override("en"):
        assert csv_lines(tabular.table_response("csv", "t", ["a"], [[Decimal("70.5"), -2]]))[1] == "70.5,-2"
    with pytest.raises(ValueError, match="pdf"):
        tabular.table_response("pdf", "t", [], [])


def timezone_override(zone):
    from django.utils import timezone

    return timezone.override(zone)


# --- Reading -------------------------------------------------------------------------------------


def test_decode_text_reads_a_bom_utf8_and_cp1252_and_refuses_the_rest():
    assert tabular.decode_text("\ufeffKommun;Värmdö".encode()) == "Kommun;Värmdö"
    assert tabular.decode_text("Kommun;Värmdö".encode()) == "Kommun;Värmdö"
    assert tabular.decode_text("Kommun;Värmdö".encode("cp1252")) == "Kommun;Värmdö"
    for content in (b"\x81\x8d\x8f\x90\x9d", b"\xef\xbb\xbf\xff\xfe broken after a BOM"):
        with translation.override("en"), pytest.raises(tabular.Unreadable, match="not text in UTF-8 or Windows-1252"):
            tabular.decode_text(content)


def test_delimiter_by_header_score_or_by_counts():
    # Decimal commas outnumber the semicolons: counting alone would guess wrong.
    text = "Kommun;NKI;KI\nFlen;70,1;68,2–72,0\nVärmdö;66,2;64,1–68,3\nKiruna;71,3;69,0–73,6\n"
    assert tabular.sniff_delimiter(text) == ","
    known = {"kommun", "nki"}
    score = lambda cells: len(known & {c.lower() for c in cells}) or None  # noqa: E731
    assert tabular.sniff_delimiter(text, score) == ";"
    assert tabular.sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert tabular.sniff_delimiter("Kommun,NKI\nFlen,70.1\n", score) == ","
    # A title line above the headers is passed over by the score.
    assert tabular.sniff_delimiter("NKI 2023, alla kommuner\nKommun;NKI\nFlen;70,1\n", score) == ";"


def test_csv_rows_numbers_lines_and_names_a_damaged_one():
    rows = list(tabular.csv_rows(b'a;b\n"two\nlines";x\nc;d\n'))
    assert rows == [(1, ["a", "b"]), (3, ["two\nlines", "x"]), (4, ["c", "d"])]
    damaged = b"a;b\n" + b'"' + b"x" * 200_000 + b'";y\n'  # a cell beyond the csv module's limit
    with translation.override("en"), pytest.raises(tabular.Unreadable, match="damaged near line 2"):
        list(tabular.csv_rows(damaged))


def test_find_header_passes_a_title_row():
    rows = [(1, ["NKI 2023"]), (2, []), (3, ["Kommun", "NKI"]), (4, ["Flen", "70"])]
    read = lambda number, cells: number if "Kommun" in cells else None  # noqa: E731
    header, rest = tabular.find_header(rows, read)
    assert header == 3 and list(rest) == [(4, ["Flen", "70"])]
    header, rest = tabular.find_header(rows, read, within=2)
    assert header is None


@translation.override("en")
def test_check_xlsx_refuses_what_is_not_an_xlsx():
    with pytest.raises(tabular.Unreadable, match="not a valid Excel file"):
        tabular.check_xlsx(b"not a zip", 10**6, 100)
    workbook = tabular.table_response("xlsx", "t", ["a"], [[1]]).content
    tabular.check_xlsx(workbook, 10**6, 100)
    with pytest.raises(tabular.Unreadable, match="refused for safety"):
        tabular.check_xlsx(workbook, 100, 100)
    assert [list(sheet) for sheet in tabular.xlsx_sheets(workbook)] == [[(1, ["a"]), (2, [1])]]
    assert tabular.column_label(27, " Folkmängd ") == "AB (Folkmängd)"


# --- Imports through the tabular readers ---------------------------------------------------------


def test_nki_csv_in_cp1252_with_a_title_row_above_the_header(staff):
    content = "NKI 2023 – bygglov\n\nKommun;År;NKI;Antal svar\nVärmdö;2023;66,5;40\nFlen;2023;61,4;8\n"
    report = nki_services.nki_import(
        content=content.encode("cp1252"), file_name="nki.csv", user=staff, area_code="bygglov"
    )
    assert report.ok, [str(p) for p in report.problems]
    assert report.created == 2
    assert NkiResult.objects.get(kommun__code="0120", year=2023).nki == Decimal("66.5")


def test_nki_csv_with_a_bom_in_english_convention(staff):
    content = "\ufeffKommunkod,Year,NKI\n0482,2023,70.5\n"
    report = nki_services.nki_import(content=content.encode(), file_name="nki.csv", user=staff, area_code="bygglov")
    assert report.ok and NkiResult.objects.get(kommun__code="0482").nki == Decimal("70.5")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xef\xbb\xbfKommun;NKI\n\xff\xfe;1\n", "Filen är inte text i UTF-8 eller Windows-1252."),
        (b"Kommun;\xc5r;NKI\n" + b'"' + b"x" * 200_000 + b'";2023;70\n', "CSV-filen är trasig kring rad"),
    ],
)
def test_an_unreadable_nki_upload_is_refused_clearly_and_nothing_is_stored(staff, content, words):
    response = client_for(staff).post(
        reverse("nki:import"), {"file": SimpleUploadedFile("nki.csv", content), "area": "bygglov"}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not NkiResult.objects.exists() and not NkiImport.objects.exists()
    report = nki_services.nki_import(content=content, file_name="nki.csv", user=staff, area_code="bygglov")
    assert len(report.problems) == 1 and report.problems[0].row is None


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            b"\xef\xbb\xbfkommunkod;\xe5r;folkm\xe4ngd\n0482;2024;16543\n",
            "Filen är inte text i UTF-8 eller Windows-1252.",
        ),
        (b"kommunkod;\xe5r;folkm\xe4ngd\n" + b'"' + b"1" * 200_000 + b'";2024;1\n', "CSV-filen är trasig kring rad"),
    ],
)
def test_an_unreadable_population_upload_is_refused_clearly_and_nothing_is_stored(staff, content, words):
    response = client_for(staff).post(
        reverse("members:population_import"), {"file": SimpleUploadedFile("folk.csv", content), "source": "SCB"}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Population.objects.exists()


def test_population_import_finds_a_comma_separator_from_the_header(staff):
    content = "Kommunkod,År,Folkmängd\n0482,2024,16543\n0120,2024,47123\n".encode("cp1252")
    response = client_for(staff).post(
        reverse("members:population_import"), {"file": SimpleUploadedFile("folk.csv", content), "source": "SCB"}
    )
    assert response.status_code == 302
    assert dict(Population.objects.values_list("kommun__code", "population")) == {"0482": 16543, "0120": 47123}
