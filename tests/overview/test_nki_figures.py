"""The overview's figures from nki: years-of-results evidence, the value report's NKI section, the
SBA NKI KPI, the latest-NKI map and the staff overview's NKI averages, against hand-counted data."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from members import cache
from members.models import AgreementPeriod, Kommun
from nki.models import NkiResult, ReferenceValue, ServiceArea
from overview.maturity import evidence
from overview.models import MaturityCriterion
from tests.conftest import client_for

from ..factories import KpiTargetFactory
from .test_overview_page import map_classes, parse_map

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("past_rosters")]  # averages of 2022–2024


def result(kommun, area, year, nki, answers=40):
    return NkiResult.objects.create(kommun=kommun, area=area, year=year, nki=Decimal(nki), answers=answers)


@pytest.fixture
def nki_data(kommun_a, kommun_b, kommun_outside):
    """Flen totalt 2022 70.0, 2023 72.5, 2024 74.0 (30 answers); bygglov 2024 60.0 (8 answers).
    Värmdö totalt 2023 68.0, 2024 80.0; bygglov 2024 66.0. Kiruna (not a member) totalt 2024 50.0.
    SBA 2024: totalt (74 + 80) / 2 = 77.0, bygglov (60 + 66) / 2 = 63.0; SBA 2023 totalt 70.3.
    National 2024 totalt: too few kommuner in the store, so the reference value 71.3."""
    total = ServiceArea.objects.get(code="totalt")
    bygglov = ServiceArea.objects.get(code="bygglov")
    result(kommun_a, total, 2022, "70.0")
    result(kommun_a, total, 2023, "72.5")
    result(kommun_a, total, 2024, "74.0", answers=30)
    result(kommun_a, bygglov, 2024, "60.0", answers=8)
    result(kommun_b, total, 2023, "68.0")
    result(kommun_b, total, 2024, "80.0")
    result(kommun_b, bygglov, 2024, "66.0")
    result(kommun_outside, total, 2024, "50.0")
    ReferenceValue.objects.create(area=total, year=2024, source=ReferenceValue.Source.NATIONAL, value=Decimal("71.3"))
    return {"total": total, "bygglov": bygglov}


@pytest.fixture
def kommun_outside():
    return Kommun.objects.get(code="2584")


# --- Evidence ------------------------------------------------------------------------------------


def test_nki_years_evidence_counts_comparable_years_only(nki_data, kommun_a, kommun_b, django_assert_num_queries):
    """Flen: totalt 2022–2024 crosses the Totalt 2024 method break (so only 2024 counts there), but
    bygglov 2021–2024 has no break: 4 comparable years. Värmdö: totalt 2023–2024 across the break
    and bygglov 2024: 1 comparable year, with the break said."""
    for year in (2021, 2022, 2023):
        result(kommun_a, nki_data["bygglov"], year, "58.0")
    other = Kommun.objects.members().exclude(pk__in=[kommun_a.pk, kommun_b.pk]).first()
    assert settings.MATURITY_NKI_MIN_YEARS == 3
    # Results, method breaks, areas.
    with django_assert_num_queries(3):
        found = evidence.nki_years_evidence([kommun_a.pk, kommun_b.pk, other.pk])
    assert found[kommun_a.pk].met is True and found[kommun_a.pk].value == "4"
    assert "Jämförbara NKI-resultat för 4 år finns i portalen (Bygglov 2021–2024)" in found[kommun_a.pk].explanation
    assert found[kommun_b.pk].met is False and found[kommun_b.pk].value == "1"
    assert "(Totalt 2024)" in found[kommun_b.pk].explanation
    assert "Tidigare år går inte att jämföra: metodbyte 2024." in found[kommun_b.pk].explanation
    # No result at all: unknown (perhaps not imported), so the kommun's own answer counts.
    assert found[other.pk].met is None and found[other.pk].value == "—"
    with translation.override("en"):
        text = evidence.nki_years_evidence([kommun_b.pk])[kommun_b.pk].explanation
    assert text == (
        "Comparable NKI results for 1 years are in the portal (Total 2024); 3 are needed. "
        "Earlier years are not comparable: the method changed in 2024."
    )


def test_three_years_across_a_method_break_do_not_count_as_comparing_over_time(nki_data, kommun_a):
    # Flen totalt 2022, 2023, 2024 and bygglov 2024: three years imported, yet not comparable.
    found = evidence.nki_years_evidence([kommun_a.pk])[kommun_a.pk]
    assert found.met is False and found.value == "1"
    assert "metodbyte 2024" in found.explanation and "+" not in found.explanation


def test_nki_years_threshold_is_a_setting(nki_data, kommun_b, settings):
    settings.MATURITY_NKI_MIN_YEARS = 1
    assert evidence.nki_years_evidence([kommun_b.pk])[kommun_b.pk].met is True


def test_nki_years_evidence_is_registered_for_the_seeded_criterion(nki_data, kommun_a, user_a):
    assert MaturityCriterion.objects.filter(evidence_key="nki_years").exists()
    page = client_for(user_a).get(reverse("overview:maturity:kommun", args=[kommun_a.code])).content.decode()
    assert "Jämförbara NKI-resultat för 1 år finns i portalen (Totalt 2024)" in page


# --- Value report --------------------------------------------------------------------------------


def _nki_section(client, kommun, period):
    response = client.get(reverse("overview:reports:kommun", args=[kommun.code]), {"period": period})
    sections = {t.rsplit("/", 1)[-1].removesuffix(".html"): ctx for t, ctx in response.context["sections"]}
    return response, sections["nki"]


def test_value_report_nki_per_area_against_sba_and_national(nki_data, user_a, kommun_a):
    response, s = _nki_section(client_for(user_a), kommun_a, "year-2024")
    rows = {r["area"].code: r for r in s["rows"]}
    total, bygglov = rows["totalt"], rows["bygglov"]
    assert s["year"] == 2024
    # 72.5 (2023) → 74.0 (2024) crosses the Totalt 2024 method break: no change, "metodbyte".
    assert total["point"].cell.value == Decimal("74.0") and total["change"].status == "method_break"
    assert total["change"].delta is None
    assert total["point"].sba.value == Decimal("77.0") and total["point"].national.value == Decimal("71.3")
    assert bygglov["point"].sba.value == Decimal("63.0") and bygglov["point"].national.value is None
    assert bygglov["change"].status == "no_previous" and bygglov["flag"].code == "uncertain"
    page = response.content.decode()
    assert "NKI 2024: service till företag" in page and "74,0" in page and "71,3" in page
    assert "metodbyte" in page and "+1,5" not in page


def test_value_report_for_an_earlier_year_reads_that_year(nki_data, staff, kommun_a):
    s = _nki_section(client_for(staff), kommun_a, "year-2023")[1]
    rows = {r["area"].code: r for r in s["rows"]}
    assert list(rows) == ["totalt"] and rows["totalt"]["point"].year == 2023
    # 70.0 → 72.5, 40 answers each: margins ±6.8 (1.96 · 22 / √40), the intervals overlap.
    change = rows["totalt"]["change"]
    assert rows["totalt"]["point"].cell.value == Decimal("72.5") and change.status == "steady"
    assert change.delta == Decimal("2.5")
    assert rows["totalt"]["point"].sba.value == Decimal("70.3")  # (72.5 + 68.0) / 2, half up


def test_value_report_in_english(nki_data, user_a, kommun_a):
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _nki_section(client, kommun_a, "year-2024")[0].content.decode()
    assert "NKI 2024: service to businesses" in page and "National average" in page and "74.0" in page


def test_value_report_without_nki_results_says_so(nki_data, staff):
    other = Kommun.objects.members().exclude(code__in=["0482", "0120"]).first()
    response, s = _nki_section(client_for(staff), other, "year-2024")
    assert s["rows"] == [] and "Portalen har inga NKI-resultat för kommunen" in response.content.decode()


# --- KPI, map, panel -----------------------------------------------------------------------------


def test_kpi_nki_sba_is_the_latest_sba_average_of_nki_totalt(nki_data, staff):
    period = AgreementPeriod.objects.get(name="2025–2028")
    KpiTargetFactory(period=period, key="nki_sba", target_value=76)
    rows = {r.target.key: r for r in client_for(staff).get(reverse("overview:reports:region")).context["rows"]}
    assert rows["nki_sba"].actual == 77.0 and rows["nki_sba"].reached is True


def test_map_by_latest_nki_totalt(nki_data, staff, kommun_a, kommun_b):
    response = client_for(staff).get(reverse("overview:index"), {"measure": "nki_latest"})
    page = response.content.decode()
    classes = map_classes(parse_map(page))
    assert classes[kommun_a.code] == "pal-fill-4"  # 74.0: högt (70–79)
    assert classes[kommun_b.code] == "pal-fill-5"  # 80.0: mycket högt
    assert all(c == "pal-fill-none" for code, c in classes.items() if code not in (kommun_a.code, kommun_b.code))
    assert "70–79: högt" in page and "80 eller mer: mycket högt" in page and "under 50: mycket lågt" in page
    rows = {k.code: v for k, v in response.context["region"]["map_rows"]}
    assert rows[kommun_a.code].display == "74,0 (2024)"


def test_overview_shows_the_latest_nki_averages(nki_data, staff):
    response = client_for(staff).get(reverse("overview:index"))
    panel = response.context["work"]["panels"]["nki"]
    rows = {r.area.code: r for r in panel["rows"]}
    assert panel["year"] == 2024
    assert rows["totalt"].sba.value == Decimal("77.0") and rows["totalt"].national.value == Decimal("71.3")
    assert rows["bygglov"].sba.value == Decimal("63.0") and rows["bygglov"].national.value is None
    assert "Senaste NKI-medelvärden" in response.content.decode()


def test_overview_with_nki_keeps_a_fixed_number_of_queries(nki_data, staff, kommun_a, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("overview:index")
    client.get(url, {"measure": "nki_latest"})
    cache.retire_all()  # measured cold: every cached part built again, as after a write
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"measure": "nki_latest"})
    members = list(Kommun.objects.members())
    for year in range(2016, 2022):
        for kommun in members:
            result(kommun, nki_data["total"], year, "65.5")
            result(kommun, nki_data["bygglov"], year, "61.0")
    cache.retire_all()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"measure": "nki_latest"})


def test_value_report_with_nki_keeps_a_fixed_number_of_queries(
    nki_data, user_a, kommun_a, django_assert_max_num_queries
):
    client = client_for(user_a)
    url = reverse("overview:reports:kommun", args=[kommun_a.code])
    client.get(url, {"period": "year-2024"})
    cache.retire_all()  # measured cold both times: the years' completeness is built again
    # + the activities the kommun took part in, its good examples and groups, the survey (issues 16, 17)
    with django_assert_max_num_queries(31) as few:
        client.get(url, {"period": "year-2024"})
    members = list(Kommun.objects.members())
    for year in range(2014, 2022):
        for kommun in members:
            result(kommun, nki_data["total"], year, "66.0")
    cache.retire_all()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"period": "year-2024"})
