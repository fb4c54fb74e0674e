"""One definition of change (nki.change) and complete years (nki.selectors.latest_complete_year),
seen where politicians and staff read them: the member value report, the KSO e-mail, the NKI pages
and export, the staff overview, maturity evidence and the import preview. Hand-counted fixtures."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from digests import periods
from digests import services as digest_services
from digests.constants import MEMBER_QUARTERLY
from members import cache
from members.models import Kommun
from nki import change, selectors
from nki import services as nki_services
from nki.models import NkiResult, ReferenceValue, ServiceArea
from outbox.models import Message
from overview.maturity import evidence
from tests.conftest import client_for
from tests.digests.conftest import full_contacts
from tests.nki.conftest import csv_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("past_rosters")]


def add(kommun, area_code, year, nki, answers=200, ci=None):
    low, high = ci if ci else (None, None)
    return NkiResult.objects.create(
        kommun=kommun,
        area=ServiceArea.objects.get(code=area_code),
        year=year,
        nki=Decimal(nki),
        answers=answers,
        ci_low=None if low is None else Decimal(low),
        ci_high=None if high is None else Decimal(high),
    )


def national(area_code, year, value):
    ReferenceValue.objects.create(
        area=ServiceArea.objects.get(code=area_code),
        year=year,
        source=ReferenceValue.Source.NATIONAL,
        value=Decimal(value),
    )


@pytest.fixture
def across_break(kommun_a):
    """Flen totalt 70.0 (2023, interval 69.0–71.0) → 73.0 (2024, 72.0–74.0): the intervals do not
    overlap, so without the Totalt 2024 method break this would be "+3,0, significant". Bygglov
    has the same figures and no break: there it is +3,0. 2023 and 2024 are complete (national
    reference values stored)."""
    for area_code in ("totalt", "bygglov"):
        add(kommun_a, area_code, 2023, "70.0", ci=("69.0", "71.0"))
        add(kommun_a, area_code, 2024, "73.0", ci=("72.0", "74.0"))
        national(area_code, 2023, "74.0")
        national(area_code, 2024, "75.0")
    full_contacts(kommun_a, "flen")
    return kommun_a


# --- The definition --------------------------------------------------------------------------


def test_change_across_the_method_break_is_not_a_change(across_break):
    breaks = change.method_breaks()
    total = NkiResult.objects.filter(kommun=across_break, area__code="totalt").order_by("year")
    found = change.result_change(total[0], total[1], breaks=breaks)
    assert found.status == change.METHOD_BREAK and found.delta is None and found.method_break.year == 2024
    assert found.label == "Metodbyte 2024: går inte att jämföra med 2023."
    bygglov = NkiResult.objects.filter(kommun=across_break, area__code="bygglov").order_by("year")
    found = change.result_change(bygglov[0], bygglov[1], breaks=breaks)
    assert found.status == change.UP and found.delta == Decimal("3.0") and found.significant is True
    assert found.label == "Upp 3,0 från 2023."
    with translation.override("en"):
        assert found.label == "Up 3.0 from 2023."


def test_small_sample_says_so_instead_of_a_change(kommun_a):
    # 8 answers in 2024 (< 10, SKR's threshold): not compared, whatever the figures.
    before = add(kommun_a, "bygglov", 2023, "60.0", answers=40)
    after = add(kommun_a, "bygglov", 2024, "75.0", answers=8)
    found = change.result_change(before, after, breaks=change.method_breaks())
    assert found.status == change.FEW_ANSWERS and found.delta is None
    assert found.label == "För få svar för att jämföra med 2023."


def test_within_the_margin_is_no_clear_change_and_unknown_margin_is_said(kommun_a, kommun_b):
    # 100 answers each: ±4.3 (1.96 · 22 / 10); 70.0 → 72.0 overlaps.
    found = change.result_change(
        add(kommun_a, "bygglov", 2022, "70.0", answers=100),
        add(kommun_a, "bygglov", 2023, "72.0", answers=100),
        breaks={},
    )
    assert found.status == change.STEADY and found.delta == Decimal("2.0")
    assert found.label == "Ingen tydlig förändring från 2022 (+2,0, inom felmarginalen)."
    # No answers and no interval: the delta is given, the margin said to be unknown.
    found = change.result_change(
        add(kommun_b, "bygglov", 2022, "70.0", answers=None),
        add(kommun_b, "bygglov", 2023, "72.0", answers=None),
        breaks={},
    )
    assert found.status == change.UNJUDGED and found.significant is None


def test_average_change_needs_enough_kommuner_and_respects_breaks():
    total = ServiceArea.objects.get(code="totalt")
    breaks = change.method_breaks()
    common = {"area_id": total.pk, "before": Decimal("70"), "after": Decimal("73"), "breaks": breaks}
    across = change.average_change(from_year=2023, to_year=2024, before_n=40, after_n=40, **common)
    assert across.status == change.METHOD_BREAK
    few = change.average_change(from_year=2021, to_year=2022, before_n=40, after_n=2, **common)
    assert few.status == change.FEW_ANSWERS
    enough = change.average_change(from_year=2021, to_year=2022, before_n=40, after_n=40, **common)
    assert enough.status == change.UNJUDGED and enough.delta == Decimal("3")


# --- Where it is read ------------------------------------------------------------------------


def test_member_value_report_never_says_plus_three_across_the_break(across_break, user_a):
    response = client_for(user_a).get(
        reverse("overview:reports:kommun", args=[across_break.code]), {"period": "year-2024"}
    )
    rows = {
        r["area"].code: r for t, ctx in response.context["sections"] if t.endswith("/nki.html") for r in ctx["rows"]
    }
    assert rows["totalt"]["change"].status == change.METHOD_BREAK
    assert rows["bygglov"]["change"].status == change.UP  # the same figures without a break
    page = response.content.decode()
    # The NKI table (beside the chart, for screen readers): one row per area.
    totalt_row = page[page.index('<th scope="row">Totalt</th>') : page.index('<th scope="row">Bygglov</th>')]
    assert "metodbyte" in totalt_row and "+3,0" not in totalt_row
    assert "+3,0" in page[page.index('<th scope="row">Bygglov</th>') :]
    # The note under the chart says it in words too.
    assert "Totalt, förändring från året innan: metodbyte" in page


def test_kso_email_never_says_up_three_across_the_break(across_break):
    digest_services.digests_send(kind=MEMBER_QUARTERLY, period=periods.quarter(2025, 1))
    body = Message.objects.get(kind=MEMBER_QUARTERLY, to="kso@flen.example").body_text
    assert "NKI totalt 2024: 73,0 (högt). Metodbyte 2024: går inte att jämföra med 2023." in body
    assert "Upp 3,0" not in body and "+3,0" not in body
    html = Message.objects.get(kind=MEMBER_QUARTERLY, to="kso@flen.example").body_html
    assert "Metodbyte 2024" in html and "Upp 3,0" not in html


def test_nki_kommun_page_and_export_never_say_plus_three_across_the_break(across_break, user_b):
    client = client_for(user_b)
    page = client.get(reverse("nki:kommun", args=[across_break.code])).content.decode()
    totalt = page[page.index('id="area-totalt"') : page.index('id="area-bygglov"')]
    assert "inte jämförbart" in totalt and "+3,0" not in totalt
    assert "+3,0" in page[page.index('id="area-bygglov"') :]
    export = client.get(reverse("nki:kommun", args=[across_break.code]), {"export": "csv"})
    lines = export.content.decode("utf-8-sig").splitlines()
    totalt_2024 = next(line for line in lines if line.startswith("Totalt;2024;"))
    assert "Metodbyte 2024: går inte att jämföra med 2023." in totalt_2024 and ";3,0;" not in totalt_2024
    bygglov_2024 = next(line for line in lines if line.startswith("Bygglov;2024;"))
    assert ";3,0;ja;Upp 3,0 från 2023." in bygglov_2024


def test_evidence_does_not_count_years_across_the_break(across_break):
    # Totalt 2023 → 2024 is not comparable; bygglov 2023–2024 is: 2 comparable years, not 3.
    found = evidence.nki_years_evidence([across_break.pk])[across_break.pk]
    assert found.value == "2" and found.met is False and "+3" not in found.explanation


def test_staff_overview_shows_no_change_across_the_break(across_break, staff):
    page = client_for(staff).get(reverse("overview:index")).content.decode()
    assert "+3,0" not in page and "Upp 3,0" not in page


# --- Complete years --------------------------------------------------------------------------


@pytest.fixture
def complete_2023():
    """Every SBA member of today has NKI totalt 2023 (70.0 for all, so the SBA average is 70.0),
    and the members' roster of 2023 is not recorded (the roster starts 2025), so 2023 is judged
    against today's members: complete. No national reference for 2023 or 2024."""
    total = ServiceArea.objects.get(code="totalt")
    members = list(Kommun.objects.members())
    with cache.retiring(cache.Topic.NKI):
        NkiResult.objects.bulk_create(
            NkiResult(kommun=k, area=total, year=2023, nki=Decimal("70.0"), answers=50) for k in members
        )
        nki_services.coverage_refresh(years=[2023])  # bulk_create sends no signals
    return members


def _three_rows_for_2024(staff):
    """The import of a small file: three rows for 2024 (Flen 90, Värmdö 80, Kiruna 50)."""
    rows = [
        ["Kommun", "År", "Myndighetsområde", "NKI", "Antal svar"],
        ["Flen", 2024, "Totalt", 90.0, 60],
        ["Värmdö", 2024, "Totalt", 80.0, 60],
        ["Kiruna", 2024, "Totalt", 50.0, 60],
    ]
    return csv_bytes(rows)


def test_three_rows_for_a_new_year_do_not_become_the_latest(complete_2023, staff, user_a, kommun_a):
    content = _three_rows_for_2024(staff)
    preview = nki_services.nki_import(content=content, file_name="nki-2024.csv", dry_run=True)
    members = len(complete_2023)
    # Flen and Värmdö are members: 2 of the members have 2024 results after the import.
    assert preview.ok and preview.created == 3
    assert any(
        w.startswith(f"2024 är inte komplett: efter importen har 2 av {members} SBA-medlemmar resultat för 2024.")
        for w in preview.warnings
    ), preview.warnings
    assert nki_services.nki_import(content=content, file_name="nki-2024.csv").created == 3  # still possible

    assert selectors.latest_complete_year() == 2023 and selectors.is_preliminary(2024)
    client = client_for(staff)
    # Staff overview: the averages of 2023 (70.0 over every member), 2024 said to be preliminary.
    response = client.get(reverse("overview:index"))
    panel = response.context["work"]["panels"]["nki"]
    assert panel["year"] == 2023
    assert {r.area.code: r.sba.value for r in panel["rows"]}["totalt"] == Decimal("70.0")
    assert f"NKI 2024 är preliminärt: 2 av {members} SBA-medlemmar har resultat hittills." in (
        response.content.decode()
    )
    # The NKI overview opens on 2023; 2024 only when asked for, marked preliminary.
    assert client.get(reverse("nki:index")).context["data"].year == 2023
    page = client.get(reverse("nki:index"), {"year": 2024}).content.decode()
    assert "Preliminärt:" in page and f"2 av {members} SBA-medlemmar har resultat" in page
    # The kommun's start page: 2023, with a word on the preliminary 2024.
    page = client_for(user_a).get(reverse("members:kommun_detail", args=[kommun_a.code])).content.decode()
    assert "NKI 2023" in page and "Preliminära resultat för 2024 finns" in page
    # The member value report for 2024 reads 2023, and says 2024 is preliminary.
    response = client_for(user_a).get(reverse("overview:reports:kommun", args=[kommun_a.code]), {"period": "year-2024"})
    section = next(ctx for t, ctx in response.context["sections"] if t.endswith("/nki.html"))
    assert section["year"] == 2023 and section["rows"][0]["point"].cell.value == Decimal("70.0")
    assert "Resultaten för 2024 är preliminära" in response.content.decode()
    # The KSO e-mail of the first quarter of 2025 speaks of 2023, not of 90,0 in 2024.
    full_contacts(kommun_a, "flen")
    digest_services.digests_send(kind=MEMBER_QUARTERLY, period=periods.quarter(2025, 1))
    body = Message.objects.get(kind=MEMBER_QUARTERLY, to="kso@flen.example").body_text
    assert "NKI totalt 2023: 70,0" in body and "90,0" not in body


def test_a_year_becomes_the_latest_once_half_of_the_members_have_results(complete_2023):
    total = ServiceArea.objects.get(code="totalt")
    half = len(complete_2023) // 2 + len(complete_2023) % 2  # at least half, rounded up
    with cache.retiring(cache.Topic.NKI):
        NkiResult.objects.bulk_create(
            NkiResult(kommun=k, area=total, year=2024, nki=Decimal("71.0"), answers=50)
            for k in complete_2023[: half - 1]
        )
        nki_services.coverage_refresh(years=[2024])
    assert selectors.latest_complete_year() == 2023
    add(complete_2023[half - 1], "totalt", 2024, "71.0")
    assert selectors.latest_complete_year() == 2024 and not selectors.is_preliminary(2024)


def test_complete_years_are_read_for_the_period_of_a_report(complete_2023):
    # 2023 complete; the report of 2022 reads 2022 (older years are final), none before.
    add(complete_2023[0], "totalt", 2022, "68.0")
    assert selectors.latest_complete_year(2022) == 2022
    assert selectors.latest_complete_year(2021) is None
    assert selectors.year_statuses()[2023].members == len(complete_2023)


def test_import_of_a_complete_year_gives_no_partial_warning(complete_2023, staff):
    rows = [["Kommun", "År", "Myndighetsområde", "NKI"]]
    rows += [[k.code, 2024, "Totalt", 72.0] for k in complete_2023]
    report = nki_services.nki_import(content=csv_bytes(rows), file_name="nki-2024.csv", dry_run=True)
    assert report.ok and not [w for w in report.warnings if "inte komplett" in w]


def test_year_statuses_take_a_fixed_number_of_queries(complete_2023, django_assert_max_num_queries):
    cache.retire_all()
    with django_assert_max_num_queries(4) as few:
        selectors.year_statuses()
    with cache.retiring(cache.Topic.NKI):
        NkiResult.objects.bulk_create(
            NkiResult(kommun=k, area=ServiceArea.objects.get(code="totalt"), year=year, nki=Decimal("70"))
            for year in range(2014, 2023)
            for k in complete_2023[:5]
        )
        nki_services.coverage_refresh(years=range(2014, 2023))
    with django_assert_max_num_queries(len(few.captured_queries)):
        statuses = selectors.year_statuses()
    assert set(statuses) == set(range(2014, 2024))


def test_the_year_choice_marks_a_preliminary_year(complete_2023, staff):
    nki_services.nki_import(content=_three_rows_for_2024(staff), file_name="nki-2024.csv")
    page = client_for(staff).get(reverse("nki:index")).content.decode()
    assert '<option value="2024">2024 (preliminärt)</option>' in page
    assert '<option value="2023" selected>2023</option>' in page
