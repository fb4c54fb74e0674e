"""SBA's activities: counted per period in the member value report and the region report, shown as
"coming up" on the kommun page and the list, seen by a kommun user only where it takes part."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import AgreementPeriod, Kommun
from overview.models import Activity, ActivityKind
from overview.reports import periods as report_periods
from overview.reports import region
from tests.conftest import client_for
from tests.factories import InquiryFactory, KpiTargetFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def activity(kind, day, kommuner, title="Aktivitet", leads=0, inquiries=()):
    made = Activity.objects.create(kind=kind, title=title, starts_on=day, leads=leads)
    made.kommuner.add(*kommuner)
    made.inquiries.add(*inquiries)
    return made


@pytest.fixture
def year_2025(kommun_a, kommun_b, staff):
    """Flen took part in 3 activities in 2025 (2 fairs, 1 seminar; 7 leads); others are not counted."""
    inquiry = InquiryFactory(responsible=staff)
    activity(ActivityKind.FAIR, D(2025, 3, 10), [kommun_a, kommun_b], "MIPIM", leads=5, inquiries=[inquiry])
    activity(ActivityKind.FAIR, D(2025, 10, 7), [kommun_a], "Expo Real", leads=2)
    activity(ActivityKind.SEMINAR, D(2025, 12, 31), [kommun_a], "Seminarium")
    activity(ActivityKind.FAIR, D(2024, 12, 31), [kommun_a], "Förra året")
    activity(ActivityKind.DELEGATION, D(2026, 1, 1), [kommun_a], "Nästa år")
    activity(ActivityKind.CAMPAIGN, D(2025, 6, 1), [kommun_b], "Bara Värmdö")


def test_the_member_report_counts_the_kommuns_activities_per_period(year_2025, user_a, kommun_a):
    url = reverse("overview:reports:kommun", args=[kommun_a.code])
    response = client_for(user_a).get(url + "?period=year-2025")
    sections = {t.rsplit("/", 1)[-1].removesuffix(".html"): c for t, c in response.context["sections"]}
    s = sections["activities"]
    assert (s["total"], s["leads"], s["inquiries"]) == (3, 7, 1)
    assert [(str(label), n) for label, n in s["by_kind"]] == [("Mässa", 2), ("Seminarium", 1)]
    body = response.content.decode()
    assert "Kommunen deltog i 3 av SBA:s aktiviteter" in body and "som gav 7 leads" in body
    in_2024 = client_for(user_a).get(url + "?period=year-2024")
    sections = {t.rsplit("/", 1)[-1].removesuffix(".html"): c for t, c in in_2024.context["sections"]}
    assert sections["activities"]["total"] == 1
    nothing = client_for(user_a).get(url + "?period=year-2023")
    assert "activities" not in {t.rsplit("/", 1)[-1].removesuffix(".html") for t, _c in nothing.context["sections"]}


def test_the_region_report_counts_all_activities_of_the_period(year_2025):
    period = next(p for p in report_periods.report_periods(D(2026, 12, 1)) if p.key == "year-2025")
    assert region.kpi_activities(period) == 4  # Flen's three and Värmdö's campaign
    agreement = AgreementPeriod.objects.get(name="2025–2028")
    KpiTargetFactory(period=agreement, key="activities", target_value=10)
    period = next(p for p in report_periods.report_periods() if p.key == f"period-{agreement.pk}")
    rows = region.region_report(period)["rows"]
    assert [(r.target.key, r.actual) for r in rows] == [("activities", 5.0)]


def test_coming_up_on_the_kommun_page_and_the_list(kommun_a, kommun_b, user_a, user_b):
    today = timezone.localdate()
    activity(ActivityKind.SEMINAR, today + datetime.timedelta(days=10), [kommun_a], "Seminarium om lokaler")
    activity(ActivityKind.FAIR, today - datetime.timedelta(days=10), [kommun_a], "Mässan som var")
    activity(ActivityKind.DELEGATION, today + datetime.timedelta(days=5), [kommun_b], "Värmdös delegation")
    page = client_for(user_a).get(kommun_a.get_absolute_url()).content.decode()
    assert "På gång: SBA:s aktiviteter" in page and "Seminarium om lokaler" in page
    assert "Mässan som var" not in page and "Värmdös delegation" not in page
    listing = client_for(user_a).get(reverse("overview:activities:list")).content.decode()
    assert "Seminarium om lokaler" in listing and "Mässan som var" in listing
    assert "Värmdös delegation" not in listing  # another kommun's activity
    assert "Värmdös delegation" in client_for(user_b).get(reverse("overview:activities:list")).content.decode()


def test_staff_record_an_activity_and_history_is_kept(staff, kommun_a, user_a):
    data = {
        "kind": "delegation",
        "title": "Delegation från Korea",
        "starts_on": "2026-03-01",
        "ends_on": "2026-02-01",
        "place": "Stockholm",
        "kommuner": [kommun_a.pk],
        "leads": "3",
        "description": "",
    }
    url = reverse("overview:activities:create")
    assert client_for(user_a).post(url, data).status_code == 404
    refused = client_for(staff).post(url, data)
    assert "Sista dagen kan inte vara före den första." in refused.content.decode()
    assert not Activity.objects.exists()
    assert client_for(staff).post(url, {**data, "ends_on": ""}).status_code == 302
    made = Activity.objects.get()
    assert list(made.kommuner.all()) == [kommun_a] and made.created_by == staff
    assert made.history.exists() and made.history.first().history_user == staff


def test_the_list_keeps_its_queries_with_many_activities(staff, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("overview:activities:list")
    members = list(Kommun.objects.members()[:10])
    activity(ActivityKind.FAIR, D(2025, 1, 1), members[:2])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    budget = len(few.captured_queries)
    for n in range(30):
        activity(ActivityKind.SEMINAR, D(2025, 2, 1) + datetime.timedelta(days=n), members)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
