"""Every kind of bad file is refused whole, naming row and column; re-imports are idempotent."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation

from nki import services
from nki.models import NkiImport, NkiResult

from .conftest import csv_bytes, kolada_bytes, kolada_value, stored, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are checked in English here; test_views checks the Swedish ones on the page.
    with translation.override("en"):
        yield


HEADER = ["Kommun", "År", "Myndighetsområde", "NKI", "Antal svar", "Konfidensintervall"]
GOOD = ["Flen", 2023, "Bygglov", 68.4, 25, None]


def nothing_stored() -> bool:
    return not NkiResult.objects.exists() and not NkiImport.objects.exists()


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (["Flenn", 2023, "Bygglov", 70, 20, None], "A (Kommun)", "Unknown kommun “Flenn”"),
        (["Flen", 2023, "Bygglov och sånt", 70, 20, None], "C (Myndighetsområde)", "Unknown area"),
        (["Flen", 2023, "Miljö- och hälsoskydd", 101, 20, None], "D (NKI)", "outside 0–100"),
        (["Flen", 2023, "Miljö- och hälsoskydd", -1, 20, None], "D (NKI)", "outside 0–100"),
        (["Flen", 2023, "Miljö- och hälsoskydd", "sjuttio", 20, None], "D (NKI)", "not a number"),
        (["Flen", 2023, "Miljö- och hälsoskydd", 70, 12.5, None], "E (Antal svar)", "not a whole number"),
        (["Flen", 2023, "Miljö- och hälsoskydd", 70, -3, None], "E (Antal svar)", "negative"),
        (["Flen", 2023, "Bygglov", 70, 20, None], "Kommun/År/Myndighetsområde", "Duplicate"),
        (["Flen", "i fjol", "Miljö- och hälsoskydd", 70, 20, None], "B (År)", "not a year"),
        (["Flen", 2023, "Miljö- och hälsoskydd", 70, 20, "75–80"], "F (Konfidensintervall)", "outside its confidence"),
        (["Flen", 2023, "Miljö- och hälsoskydd", 70, 20, "cirka 5"], "F (Konfidensintervall)", "not an interval"),
        (["", 2023, "Miljö- och hälsoskydd", 70, 20, None], "A (Kommun)", "kommun is missing"),
    ],
)
def test_a_bad_row_refuses_the_whole_xlsx_naming_row_and_column(staff, bad_row, column, words):
    content = xlsx_bytes([HEADER, GOOD, bad_row])
    report = services.nki_import(content=content, file_name="bad.xlsx", user=staff)

    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    assert words in report.problems[0].message
    assert "Nothing was changed" in report.summary()
    assert nothing_stored()


def test_every_problem_is_listed_at_once_in_a_csv(staff):
    content = csv_bytes(
        [
            HEADER,
            GOOD,
            ["Flenn", 2023, "Bygglov", 70.0, 20, None],
            ["Värmdö", 2023, "Bygglov", 170.0, 20, None],
            ["Värmdö", 2023, "Miljö", 70.0, "7,5", None],
        ],
        delimiter=";",
    )
    report = services.nki_import(content=content, file_name="bad.csv", user=staff)

    assert [(p.row, p.column) for p in report.problems] == [
        (3, "A (Kommun)"),
        (4, "D (NKI)"),
        (5, "E (Antal svar)"),
    ]
    assert str(report.problems[0]) == "row 3, column A (Kommun): Unknown kommun “Flenn”."
    assert nothing_stored()


def test_a_bad_kolada_file_names_the_value_and_field(staff):
    values = [kolada_value("U07451", "0482", 2022, 73.4), kolada_value("U07451", "9999", 2022, 70.0)]
    values.append(kolada_value("U07451", "0120", 2022, 101))
    report = services.nki_import(content=kolada_bytes(values), file_name="k.json", user=staff)

    assert [(p.row, p.column) for p in report.problems] == [(2, "municipality"), (3, "value")]
    assert nothing_stored()


def test_a_sheet_without_the_needed_columns_is_refused(staff):
    report = services.nki_import(content=xlsx_bytes([["Namn", "Poäng"], ["Flen", 3]]), file_name="fel.xlsx", user=staff)
    assert "No header row found" in report.problems[0].message
    no_area = services.nki_import(
        content=xlsx_bytes([["Kommun", "År", "NKI"], ["Flen", 2023, 70]]), file_name="x.xlsx", user=staff
    )
    assert "no Myndighetsområde column" in no_area.problems[0].message
    chosen = services.nki_import(
        content=xlsx_bytes([["Kommun", "År", "NKI"], ["Flen", 2023, 70]]),
        file_name="x.xlsx",
        user=staff,
        area_code="bygglov",
    )
    assert chosen.ok and stored("0482", 2023, "bygglov").nki == Decimal("70.0")


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file_name", "content", "words"),
    [
        ("nki.xlsx", b"this is not a zip", "not a valid Excel file"),
        ("nki.xlsx", _zip({"hello.txt": b"hi"}), "not a valid Excel file"),
        ("nki.xlsx", _zip({"[Content_Types].xml": b"<x/>", "xl/big.xml": b"0" * 30_000_000}), "refused for safety"),
        ("nki.xls", b"\xd0\xcf\x11\xe0old excel", "Save the file as .xlsx"),
        ("nki.pdf", b"%PDF-1.4", "Only .xlsx, .csv"),
        ("nki.csv", b"", "empty"),
        ("nki.csv", b"\x00\x01\x02binary", "not text"),
        ("nki.csv", _zip({"a": b"b"}), "is an Excel or zip file"),
        ("nki.json", b"{not json", "not valid JSON"),
        ("nki.json", b'{"data": []}', "not a Kolada API response"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_clearly(staff, file_name, content, words):
    report = services.nki_import(content=content, file_name=file_name, user=staff)
    assert len(report.problems) == 1 and words in report.problems[0].message
    assert report.problems[0].row is None
    assert nothing_stored()


def test_a_file_over_the_size_limit_is_refused(staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    report = services.nki_import(content=b"x" * 2048, file_name="big.csv", user=staff)
    assert "larger than" in report.problems[0].message
    assert nothing_stored()


def test_reimport_changes_nothing_and_says_so(long_rows, staff):
    content = xlsx_bytes(long_rows)
    first = services.nki_import(content=content, file_name="a.xlsx", user=staff)
    history = NkiResult.history.count()

    again = services.nki_import(content=content, file_name="a.xlsx", user=staff)

    assert (first.created, again.created, again.updated, again.unchanged) == (4, 0, 0, 4)
    assert again.summary() == "No changes: all 4 values in the file are already stored."
    assert NkiImport.objects.count() == 1
    assert NkiResult.history.count() == history


def test_a_corrected_file_updates_only_what_changed_with_history(long_rows, staff):
    services.nki_import(content=xlsx_bytes(long_rows), file_name="a.xlsx", user=staff)
    long_rows[3][4] = 69.1  # Flen bygglov corrected
    long_rows.append([2023, "Vaxholm", "Bygglov", 10, 72.0, None] + [None] * 6)

    report = services.nki_import(content=xlsx_bytes(long_rows), file_name="a-rättad.xlsx", user=staff)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 3)
    assert report.summary() == "1 new, 1 updated, 3 unchanged."
    bygglov = stored("0482", 2023, "bygglov")
    assert bygglov.nki == Decimal("69.1") and bygglov.nki_import.file_name == "a-rättad.xlsx"
    assert [h.nki for h in bygglov.history.order_by("history_date")] == [Decimal("68.4"), Decimal("69.1")]
    assert bygglov.history.latest().history_user == staff


def test_dry_run_counts_but_stores_nothing(long_rows, staff):
    report = services.nki_import(content=xlsx_bytes(long_rows), file_name="a.xlsx", user=staff, dry_run=True)
    assert report.ok and report.dry_run and report.created == 4
    assert report.summary().startswith("Preview: ")
    assert nothing_stored()
