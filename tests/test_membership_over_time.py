"""Who was a member when (members.roster): SBA averages of a year over that year's members, a
missing member list said on the page, agreement periods and memberships edited by staff with
history. Access per persona for the period pages: tests/test_access_crawler.py as well."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members import demo as members_demo
from members import roster, selectors
from members.models import AgreementPeriod, Kommun, Membership
from nki import selectors as nki_selectors
from nki.models import NkiResult, ServiceArea
from overview.reports import region
from overview.reports.periods import Period
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

D = datetime.date
FLEN, VARMDO, LINKOPING, NORRKOPING = "0482", "0120", "0580", "0581"


def kommun(code: str) -> Kommun:
    return Kommun.objects.get(code=code)


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") :]))


def total(code: str, year: int, nki: str) -> NkiResult:
    return NkiResult.objects.create(
        kommun=kommun(code), year=year, area=ServiceArea.objects.get(code="totalt"), nki=Decimal(nki), answers=40
    )


@pytest.fixture
def history_2020():
    """The 2017–2020 roster, recorded: Flen and Värmdö members since 2017; Norrköping a member
    until 2020-06-30 (left during 2020, so it counts in 2020); Linköping joined in 2021 (seeded
    from 2025, moved to 2021: not a member in 2020); Kiruna joins today (counts in no past year).

    NKI totalt 2020: Flen 70, Värmdö 80, Norrköping 60, Linköping 40, Kiruna 10.
    SBA average 2020 = (70 + 80 + 60) / 3 = 70.0 over 3 kommuner; with today's members instead it
    would be (70 + 80 + 40 + 10) / 4 = 50.0.
    """
    Membership.objects.filter(kommun__code__in=[FLEN, VARMDO]).update(starts_on=D(2017, 1, 1))
    Membership.objects.filter(kommun__code=LINKOPING).update(starts_on=D(2021, 1, 1))
    Membership.objects.create(kommun=kommun(NORRKOPING), starts_on=D(2017, 1, 1), ends_on=D(2020, 6, 30))
    Membership.objects.create(kommun=kommun("2584"), starts_on=timezone.localdate())
    AgreementPeriod.objects.filter(name="2017–2020").update(roster_recorded=True)
    for code, value in [(FLEN, "70"), (VARMDO, "80"), (NORRKOPING, "60"), (LINKOPING, "40"), ("2584", "10")]:
        total(code, 2020, value)


def test_sba_average_of_a_past_year_counts_that_years_members(history_2020, staff):
    data = nki_selectors.overview(year=2020, scope="all")
    assert data.sba[0].value == Decimal("70.0") and data.sba[0].n == 3
    averages = nki_selectors.region_averages(until_year=2020)
    assert averages["year"] == 2020 and averages["rows"][0].sba.value == Decimal("70.0")
    flen = nki_selectors.kommun_nki(kommun=kommun(FLEN))
    assert flen.trends[0].points[0].sba.value == Decimal("70.0")
    text = text_of(client_for(staff).get(reverse("nki:index"), {"year": 2020, "scope": "all"}))
    assert "SBA-snitt 70,0 3 kommuner" in text
    # SBA published 74 for 2020: shown beside it, and 4 apart is more than rounding.
    assert "SBA publicerat: 74 skiljer sig från SBA:s siffra" in text


def test_year_members_in_the_roster(history_2020):
    rosters = roster.rosters_for_years([2020, 2021])
    ids = {code: kommun(code).pk for code in (FLEN, VARMDO, NORRKOPING, LINKOPING)}
    assert {ids[FLEN], ids[VARMDO], ids[NORRKOPING]} <= rosters[2020].member_ids
    assert ids[LINKOPING] not in rosters[2020]
    # 2021 is in 2021–2024, whose member list is not recorded: no members, a message.
    assert not rosters[2021].recorded and rosters[2021].member_ids == frozenset()


def test_a_missing_member_list_is_said_on_the_page_and_the_average_is_unknown(staff):
    """2017–2020 is not recorded in the seeded register: Flen (a member today) has 2018 results,
    yet the SBA average for 2018 is unknown, not Flen's 72,0 over today's members."""
    total(FLEN, 2018, "72")
    client = client_for(staff)
    text = text_of(client.get(reverse("nki:index"), {"year": 2018, "scope": "all"}))
    assert "Medlemslistan för 2017–2020 saknas." in text
    assert "SBA-snitt –" in text and "SBA-snitt 72,0" not in text
    kommun_page = text_of(client.get(reverse("nki:kommun", args=[FLEN])))
    assert re.search(r"2018 72,0 .*? – Medlemslistan för 2017–2020 saknas\.", kommun_page), kommun_page
    client.post(reverse("set_language"), {"language": "en"})
    english = text_of(client.get(reverse("nki:index"), {"year": 2018, "scope": "all"}))
    assert "The member list for 2017–2020 is missing." in english
    assert nki_selectors.overview(year=2018).sba[0].value is None


def test_a_year_no_period_covers_has_no_member_list(staff):
    total(FLEN, 2015, "72")
    text = text_of(client_for(staff).get(reverse("nki:index"), {"year": 2015, "scope": "all"}))
    assert "Medlemslistan för 2015 saknas." in text


def test_region_report_counts_members_only_where_the_list_is_recorded(staff):
    earlier = AgreementPeriod.objects.get(name="2021–2024")
    period = Period("2021–2024", earlier.starts_on, earlier.ends_on, key=f"period-{earlier.pk}")
    assert region.kpi_members(period) is None
    report = region.region_report(period)
    assert report["roster_missing"] == "Medlemslistan för 2021–2024 saknas."
    page = text_of(client_for(staff).get(reverse("overview:reports:region"), {"period": period.key}))
    assert "Medlemslistan för 2021–2024 saknas." in page
    current = AgreementPeriod.objects.get(name="2025–2028")
    today = timezone.localdate()
    now = Period("2025–2028", current.starts_on, current.ends_on, key=f"period-{current.pk}")
    assert region.kpi_members(now) == Kommun.objects.members(min(today, current.ends_on)).count()


def test_published_figure_within_rounding_is_not_flagged():
    # SBA publishes whole numbers: 73.6 and 74.4 round to 74; 73.4 does not.
    assert not nki_selectors.Average(Decimal("73.6"), 3, published=Decimal("74")).differs_from_published
    assert not nki_selectors.Average(Decimal("74.4"), 3, published=Decimal("74")).differs_from_published
    assert nki_selectors.Average(Decimal("73.4"), 3, published=Decimal("74")).differs_from_published


# --- Staff edit periods and memberships ------------------------------------------------------------


def test_staff_leave_and_rejoin_recorded_in_history(staff):
    client = client_for(staff)
    flen = kommun(FLEN)
    membership = Membership.objects.get(kommun=flen)
    before = Membership.history.filter(kommun_id=flen.pk).count()
    # Leave at the end of 2025 …
    response = client.post(
        reverse("members:membership_edit", args=[FLEN, membership.pk]),
        {"period": membership.period_id, "starts_on": "2025-01-01", "ends_on": "2025-12-31", "note": "Utträde"},
    )
    assert response.status_code == 302
    # … and rejoin in 2027.
    current = AgreementPeriod.objects.get(name="2025–2028")
    response = client.post(
        reverse("members:membership_create", args=[FLEN]),
        {"period": current.pk, "starts_on": "2027-01-01", "ends_on": "", "note": "Åter med"},
    )
    assert response.status_code == 302
    records = list(Membership.history.filter(kommun_id=flen.pk).order_by("history_date"))
    assert len(records) == before + 2
    assert [r.history_type for r in records[-2:]] == ["~", "+"]
    assert {r.history_user_id for r in records[-2:]} == {staff.pk}
    assert roster.roster_for_span(D(2026, 1, 1), D(2026, 12, 31), "2026").member_ids.isdisjoint({flen.pk})
    assert flen.pk in roster.roster_for_span(D(2027, 1, 1), D(2027, 12, 31), "2027")
    page = text_of(client.get(reverse("members:kommun_history", args=[FLEN])))
    assert "Ändrad: medlemskap 2025-01-01–2025-12-31 Medlem till och med: — → 2025-12-31" in page
    assert "Skapad: medlemskap 2027-01-01–…" in page


def test_staff_record_a_periods_member_list_with_history(staff):
    period = AgreementPeriod.objects.get(name="2017–2020")
    client = client_for(staff)
    response = client.post(
        reverse("members:period_edit", args=[period.pk]),
        {"name": "2017–2020", "starts_on": "2017-01-01", "ends_on": "2020-12-31", "roster_recorded": "on"},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.roster_recorded
    record = AgreementPeriod.history.filter(id=period.pk).latest("history_date")
    assert record.history_user == staff and record.history_type == "~"
    page = text_of(client.get(reverse("members:period_edit", args=[period.pk])))
    assert "Medlemslistan är registrerad: Nej → Ja" in page


def test_period_list_says_whose_list_is_missing_and_who_joined_and_left(staff, django_assert_max_num_queries):
    """Seeded: 2025–2028 recorded with today's roster, the earlier two missing. Add Norrköping
    2017–2020 (left after 2020) and move Linköping to 2021 (new in 2021–2024)."""
    Membership.objects.create(kommun=kommun(NORRKOPING), starts_on=D(2017, 1, 1), ends_on=D(2020, 12, 31))
    Membership.objects.filter(kommun__code=LINKOPING).update(starts_on=D(2021, 1, 1))
    periods = {p.name: p for p in selectors.agreement_periods()}
    assert (periods["2017–2020"].member_count, periods["2017–2020"].joined, periods["2017–2020"].left) == (1, None, 1)
    assert (periods["2021–2024"].member_count, periods["2021–2024"].joined) == (1, 1)
    client = client_for(staff)
    # session, user, periods, memberships: four, however many memberships.
    with django_assert_max_num_queries(6):
        text = text_of(client.get(reverse("members:period_list")))
    assert re.search(r"2017–2020 2017-01-01 – 2020-12-31 1 — 1 saknas", text), text
    for code in ("0114", "0115", "0117"):
        Membership.objects.create(kommun=kommun(code), starts_on=D(2017, 1, 1), ends_on=D(2018, 1, 1))
    with django_assert_max_num_queries(6):
        client.get(reverse("members:period_list"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "2029–2032", "starts_on": "2032-12-31", "ends_on": "2029-01-01"},
            "Avtalsperioden kan inte sluta innan den börjar.",
        ),
        (
            {"name": "2028–2031", "starts_on": "2028-01-01", "ends_on": "2031-12-31"},
            "Den här överlappar avtalsperioden 2025–2028. Ändra den först.",
        ),
    ],
)
def test_bad_period_refused_with_a_message_and_nothing_stored(staff, data, message):
    count = AgreementPeriod.objects.count()
    response = client_for(staff).post(reverse("members:period_create"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert AgreementPeriod.objects.count() == count


def test_kommun_users_cannot_edit_periods(user_a, user_outside):
    period = AgreementPeriod.objects.get(name="2017–2020")
    for user in (user_a, user_outside):
        client = client_for(user)
        assert client.get(reverse("members:period_list")).status_code == 404
        response = client.post(
            reverse("members:period_edit", args=[period.pk]),
            {"name": "X", "starts_on": "2017-01-01", "ends_on": "2020-12-31", "roster_recorded": "on"},
        )
        assert response.status_code == 404
    period.refresh_from_db()
    assert period.name == "2017–2020" and not period.roster_recorded


# --- Demo ------------------------------------------------------------------------------------------


def test_demo_has_three_periods_with_changes_between_them():
    members_demo.load()
    members_demo.load()  # idempotent
    periods = {p.name: p for p in selectors.agreement_periods()}
    assert set(periods) == {"2017–2020", "2021–2024", "2025–2028"}
    assert all(p.roster_recorded for p in periods.values())
    assert periods["2021–2024"].joined == 1 and periods["2021–2024"].left == 1  # Linköping in, Vingåker out
    assert periods["2017–2020"].left == 2  # Norrköping, and Gävle, who rejoins in 2025
    assert periods["2025–2028"].joined == 1
    assert Membership.objects.filter(kommun__code="2180").count() == 2
    rosters = roster.rosters_for_years([2020, 2022, 2025])
    assert kommun(LINKOPING).pk not in rosters[2020] and kommun(LINKOPING).pk in rosters[2022]
    assert kommun("2180").pk in rosters[2020] and kommun("2180").pk not in rosters[2022]
