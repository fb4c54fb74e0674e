"""Real-shaped files of each kind are imported with exactly the values they hold."""

from decimal import Decimal

import pytest

from members.models import Kommun
from nki import services
from nki.models import KoladaKpi, NkiImport, NkiResult, Source
from nki.reading import KommunLookup

from .conftest import area, csv_bytes, kolada_bytes, kolada_value, stored, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_xlsx_long_with_title_rows_any_header_order_and_a_riket_row(long_rows, staff):
    report = services.nki_import(content=xlsx_bytes(long_rows), file_name="insikt-2023.xlsx", user=staff)

    assert report.ok, report.problems
    assert (report.kind, report.layout) == ("xlsx", "long")
    assert (report.created, report.updated, report.unchanged, report.skipped) == (4, 0, 0, 1)
    bygglov = stored("0482", 2023, "bygglov")
    assert bygglov.nki == Decimal("68.4") and bygglov.answers == 25
    assert (bygglov.ci_low, bygglov.ci_high) == (Decimal("65.1"), Decimal("71.7"))
    assert [bygglov.information, bygglov.tillganglighet, bygglov.bemotande] == [
        Decimal("66.0"),
        Decimal("70.5"),
        Decimal("75.2"),
    ]
    assert [bygglov.kompetens, bygglov.rattssakerhet, bygglov.effektivitet] == [
        Decimal("72.0"),
        Decimal("69.9"),
        Decimal("61.3"),
    ]
    assert bygglov.source == Source.INSIKT and bygglov.nki_import.imported_by == staff
    miljo = stored("0482", 2023, "miljo-och-halsoskydd")
    assert miljo.nki == Decimal("74.7")  # 74.65 rounded half up to one decimal
    assert miljo.ci_low is None and miljo.information is None
    stockholm = stored("0180", 2023, "totalt")
    assert (stockholm.nki, stockholm.answers, stockholm.ci_low, stockholm.ci_high) == (
        Decimal("76.0"),
        1200,
        Decimal("75.2"),
        Decimal("76.8"),
    )
    assert stored("0120", 2022, "livsmedelskontroll").answers == 6
    record = NkiImport.objects.get()
    assert (record.kind, record.file_name, record.rows, record.created) == ("xlsx", "insikt-2023.xlsx", 4, 4)
    assert record.file_hash == report.file_hash and len(record.file_hash) == 64


def test_xlsx_wide_one_column_per_area_with_answer_columns(staff):
    rows = [
        [
            "Kommunkod",
            "Kommun",
            "År",
            "Bygglov",
            "Bygglov antal svar",
            "Miljö- och hälsoskydd",
            "NKI totalt",
            "Kommentar",
        ],
        [482, "Flen", 2024, 66.2, 31, 71.9, 70.0, "ok"],
        ["0120", "Värmdö", 2024, 59.95, 80, None, 68.4, ""],
    ]
    report = services.nki_import(content=xlsx_bytes(rows), file_name="wide.xlsx", user=staff)

    assert report.ok, report.problems
    assert report.layout == "wide"
    assert (report.created, report.skipped) == (5, 1)  # Värmdö has no miljö value
    assert any("Kommentar" in w for w in report.warnings)
    flen = stored("0482", 2024, "bygglov")
    assert (flen.nki, flen.answers) == (Decimal("66.2"), 31)
    assert stored("0482", 2024, "miljo-och-halsoskydd").answers is None
    assert stored("0482", 2024, "totalt").nki == Decimal("70.0")
    assert stored("0120", 2024, "bygglov").nki == Decimal("60.0")
    assert not NkiResult.objects.filter(kommun__code="0120", area__code="miljo-och-halsoskydd").exists()


CSV_ROWS = [
    ["Kommun", "År", "Område", "NKI", "Antal svar", "KI låg", "KI hög", "Bemötande"],
    ["Hässleholms kommun", 2021, "Serveringstillstånd", 77.3, 12, 70.1, 84.5, 80.0],
    ["Malung-Sälen", 2021, "Brandskydd", 81.0, 9, None, None, None],
    ["Region Gotland", 2021, "Markupplåtelse", 64.9, 18, None, None, 70.2],
    ["Upplands Väsby", 2021, "Miljö och hälsa", 70.5, 1234, None, None, None],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "decimal_comma"),
    [
        ("utf-8", ";", True),
        ("utf-8", ",", False),
        ("utf-8-sig", ";", True),
        ("utf-8-sig", ",", True),  # decimal comma in a comma-separated file: quoted cells
        ("cp1252", ";", True),
        ("cp1252", ",", False),
    ],
)
def test_csv_in_each_encoding_separator_and_decimal_mark(staff, encoding, delimiter, decimal_comma):
    content = csv_bytes(CSV_ROWS, encoding=encoding, delimiter=delimiter, decimal_comma=decimal_comma)
    report = services.nki_import(content=content, file_name="nki.csv", user=staff)

    assert report.ok, [str(p) for p in report.problems]
    assert (report.kind, report.created) == ("csv", 4)
    hassleholm = stored("1293", 2021, "serveringstillstand")
    assert (hassleholm.nki, hassleholm.answers, hassleholm.ci_low, hassleholm.ci_high, hassleholm.bemotande) == (
        Decimal("77.3"),
        12,
        Decimal("70.1"),
        Decimal("84.5"),
        Decimal("80.0"),
    )
    assert stored("2023", 2021, "brandtillsyn").nki == Decimal("81.0")
    assert stored("0980", 2021, "markupplatelse").bemotande == Decimal("70.2")
    assert stored("0114", 2021, "miljo-och-halsoskydd").answers == 1234


def test_kolada_json_takes_the_total_gender_and_skips_country_and_missing(staff):
    values = [
        kolada_value("U07451", "0482", 2022, 73.4),
        kolada_value("U07451", "0120", 2022, 69.0),
        kolada_value("U07451", "0000", 2022, 74.6),  # Riket
        kolada_value("U07451", "1880", 2022, None),  # missing in Kolada
    ]
    report = services.nki_import(content=kolada_bytes(values), file_name="kolada.json", user=staff)

    assert report.ok, report.problems
    assert (report.kind, report.created, report.skipped) == ("kolada", 2, 2)
    flen = stored("0482", 2022, "totalt")
    assert (flen.nki, flen.answers, flen.source) == (Decimal("73.4"), None, Source.KOLADA)


def test_kolada_single_unmapped_kpi_with_a_chosen_area(staff):
    content = kolada_bytes([kolada_value("U99999", "0482", 2021, 66.6)])

    refused = services.nki_import(content=content, file_name="kolada.json", user=staff)
    assert not refused.ok and refused.problems[0].column == "kpi" and refused.problems[0].row == 1
    report = services.nki_import(content=content, file_name="kolada.json", user=staff, area_code="bygglov")
    assert report.ok and stored("0482", 2021, "bygglov").nki == Decimal("66.6")


def test_kolada_mapped_factor_kpis_merge_into_one_result(staff):
    KoladaKpi.objects.create(kpi="TEST1", area=area("bygglov"), measure=KoladaKpi.Measure.NKI)
    KoladaKpi.objects.create(kpi="TEST2", area=area("bygglov"), measure=KoladaKpi.Measure.EFFEKTIVITET)
    content = kolada_bytes([kolada_value("TEST1", "0482", 2023, 70), kolada_value("TEST2", "0482", 2023, 61.5)])
    report = services.nki_import(content=content, file_name="k.json", user=staff)
    assert report.ok and report.created == 1
    assert (stored("0482", 2023, "bygglov").nki, stored("0482", 2023, "bygglov").effektivitet) == (
        Decimal("70.0"),
        Decimal("61.5"),
    )


def test_kolada_update_leaves_the_factors_it_does_not_carry(long_rows, staff):
    services.nki_import(content=xlsx_bytes(long_rows), file_name="insikt.xlsx", user=staff)
    KoladaKpi.objects.create(kpi="TEST1", area=area("bygglov"), measure=KoladaKpi.Measure.NKI)
    report = services.nki_import(
        content=kolada_bytes([kolada_value("TEST1", "0482", 2023, 68.9)]), file_name="k.json", user=staff
    )
    assert (report.created, report.updated) == (0, 1)
    bygglov = stored("0482", 2023, "bygglov")
    assert (bygglov.nki, bygglov.answers, bygglov.information, bygglov.source) == (
        Decimal("68.9"),
        25,
        Decimal("66.0"),
        Source.KOLADA,
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Flens kommun", "0482"),
        ("FLEN", "0482"),
        ("Flen", "0482"),
        ("0482", "0482"),
        ("482", "0482"),
        (482, "0482"),
        (482.0, "0482"),
        ("Flen (0482)", "0482"),
        ("Upplands Väsby", "0114"),
        ("Upplands Väsbys kommun", "0114"),
        ("Upplands-Bro kommun", "0139"),
        ("Malung-Sälen", "2023"),
        ("Malung Sälens kommun", "2023"),
        ("Region Gotland", "0980"),
        ("Gotlands kommun", "0980"),
        ("Stockholms stad", "0180"),
        ("Hässleholms kommun", "1293"),
        ("Kramfors kommun", "2282"),
        ("Nordanstigs kommun", "2132"),
        ("  östra göinge  ", "1256"),
    ],
)
def test_kommun_found_by_kod_or_any_usual_name(db, text, code):
    assert KommunLookup().find(text).code == code


@pytest.mark.parametrize("text", ["Flenn", "9999", "Kommun", ""])
def test_unknown_kommun_is_not_guessed(db, text):
    assert KommunLookup().find(text) is None


def test_every_register_name_and_its_kommun_form_are_found(db):
    lookup = KommunLookup()
    for kommun in Kommun.objects.all():
        assert lookup.find(kommun.name) == kommun
        assert lookup.find(f"{kommun.name} kommun") == kommun
        assert lookup.find(kommun.code) == kommun


def test_a_kolada_page_with_more_pages_is_imported_with_a_warning(staff):
    content = kolada_bytes([kolada_value("U07451", "0482", 2022, 73.4)], next_page="https://api.kolada.se/v2/...")
    report = services.nki_import(content=content, file_name="kolada.json", user=staff)
    assert report.ok and report.created == 1
    assert any("next_page" in str(w) for w in report.warnings)


def test_semicolon_csv_with_more_decimal_commas_than_semicolons_and_a_title_line(staff):
    content = b"NKI 2023, bygglov, per kommun\r\nKommunkod;NKI\r\n0482;68,4\r\n0120;71,25\r\n"
    report = services.nki_import(content=content, file_name="nki.csv", user=staff, area_code="bygglov", year=2023)
    assert report.ok, [str(p) for p in report.problems]
    assert stored("0482", 2023, "bygglov").nki == Decimal("68.4")
    assert stored("0120", 2023, "bygglov").nki == Decimal("71.3")
