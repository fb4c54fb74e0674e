"""Member value report and region report, against hand-counted fixtures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import AgreementPeriod, Contact, Kommun
from overview.maturity import evidence
from overview.maturity.evidence import Evidence
from overview.maturity.services import assessment_submit
from overview.models import DialogKind, Level, MaturityAssessment, Track
from overview.reports import periods as report_periods
from overview.reports import region, value_report
from tests.conftest import client_for
from tests.factories import ContactFactory, DialogEntryFactory, KpiTargetFactory

from .conftest import answer_set

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(assessment, day):
    moment = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))
    MaturityAssessment.objects.filter(pk=assessment.pk).update(submitted_at=moment)


@pytest.fixture
def year_2025(kommun_a, kommun_b, user_a, staff):
    """Flen's 2025, counted by hand: 4 contacts (1 meeting, 2 visits, 1 network meeting)."""
    DialogEntryFactory(kind=DialogKind.MEETING, date=D(2025, 2, 1), kommuner=[kommun_a], title="Möte feb")
    DialogEntryFactory(kind=DialogKind.VISIT, date=D(2025, 5, 5), kommuner=[kommun_a], title="Besök maj")
    DialogEntryFactory(kind=DialogKind.VISIT, date=D(2025, 9, 9), kommuner=[kommun_a], title="Besök sep")
    DialogEntryFactory(kind=DialogKind.BUSINESS_CHIEFS, date=D(2025, 10, 10), kommuner=[kommun_a, kommun_b])
    # Not counted: before and after the year, and another kommun's meeting.
    DialogEntryFactory(kind=DialogKind.VISIT, date=D(2024, 12, 31), kommuner=[kommun_a])
    DialogEntryFactory(kind=DialogKind.VISIT, date=D(2026, 1, 1), kommuner=[kommun_a])
    DialogEntryFactory(kind=DialogKind.VISIT, date=D(2025, 6, 6), kommuner=[kommun_b])
    # NKI: NEUTRAL in 2024, AKTIV from March 2025 (a named NKI contact exists then).
    _at(assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI), user=user_a), D(2024, 6, 1))
    ContactFactory(kommun=kommun_a, role=Contact.Role.NKI, name="Nora NKI")
    aktiv = assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    assert aktiv.level == Level.AKTIV
    _at(aktiv, D(2025, 3, 1))
    # Investment: first assessed during 2025.
    _at(
        assessment_submit(kommun=kommun_a, track=Track.INVESTMENT, answers=answer_set(Track.INVESTMENT), user=user_a),
        D(2025, 4, 1),
    )
    ContactFactory(kommun=kommun_a, role=Contact.Role.KSO, name="Karl KSO")
    ContactFactory(kommun=kommun_a, role=Contact.Role.BYGGLOVSCHEF, name="Bo Bygg")  # not in the report


def _sections(response) -> dict:
    return {template.rsplit("/", 1)[-1].removesuffix(".html"): ctx for template, ctx in response.context["sections"]}


def test_value_report_figures_for_a_year(year_2025, user_a, kommun_a):
    response = client_for(user_a).get(reverse("overview:reports:kommun", args=[kommun_a.code]) + "?period=year-2025")
    assert response.status_code == 200
    sections = _sections(response)
    dialog = sections["dialog"]
    assert dialog["total"] == 4 and dialog["visits"] == 2
    assert {str(label): n for label, n in dialog["by_kind"]} == {
        "Möte": 1,
        "Besök i kommunen": 2,
        "Näringslivschefsnätverk": 1,
    }
    maturity = {row["track"]: row for row in sections["maturity"]["rows"]}
    assert maturity[Track.NKI]["start"] == Level.NEUTRAL and maturity[Track.NKI]["end"] == Level.AKTIV
    assert maturity[Track.NKI]["change"] == 1
    assert maturity[Track.NKI]["first_assessed"] is None  # assessed before the year began
    # First assessed during the year: the change is counted from that first assessment.
    investment = maturity[Track.INVESTMENT]
    assert investment["start"] == Level.NEUTRAL and investment["end"] == Level.NEUTRAL
    assert investment["first_assessed"].date() == D(2025, 4, 1) and investment["change"] == 0
    names = {c.name for c in sections["contacts"]["contacts"]}
    assert names == {"Nora NKI", "Karl KSO"}
    assert sections["membership"]["is_member"]
    content = response.content.decode()
    assert "Besök sep" in content and "Möte feb" in content


def test_value_report_for_2024_sees_only_2024(year_2025, staff, kommun_a):
    response = client_for(staff).get(reverse("overview:reports:kommun", args=[kommun_a.code]) + "?period=year-2024")
    sections = _sections(response)
    assert sections["dialog"]["total"] == 1 and sections["dialog"]["visits"] == 1
    nki = next(row for row in sections["maturity"]["rows"] if row["track"] == Track.NKI)
    assert nki["start"] == Level.NEUTRAL and nki["first_assessed"].date() == D(2024, 6, 1)
    assert nki["end"] == Level.NEUTRAL


def test_value_report_for_the_agreement_period(year_2025, user_a, kommun_a):
    period = AgreementPeriod.objects.get(name="2025–2028")
    response = client_for(user_a).get(
        reverse("overview:reports:kommun", args=[kommun_a.code]) + f"?period=period-{period.pk}"
    )
    sections = _sections(response)
    # 2025-01-01 until today: the four 2025 contacts plus the visit of 2026-01-01.
    assert sections["dialog"]["total"] == 5 and sections["dialog"]["visits"] == 3
    assert response.context["period"].starts_on == D(2025, 1, 1)


def test_unknown_period_is_refused_with_a_message(user_a, kommun_a):
    url = reverse("overview:reports:kommun", args=[kommun_a.code])
    response = client_for(user_a).get(url + "?period=year-1850", follow=True)
    assert response.redirect_chain[0][0] == url
    assert "Perioden finns inte" in response.content.decode()


def test_kommun_user_sees_only_own_report(user_a, user_b, kommun_a):
    url = reverse("overview:reports:kommun", args=[kommun_a.code])
    assert client_for(user_a).get(url).status_code == 200
    assert client_for(user_b).get(url).status_code == 404
    assert client_for(user_a).get(reverse("overview:reports:index"))["Location"] == url


def test_a_registered_section_appears_in_the_report(monkeypatch, user_a, kommun_a):
    section = value_report.Section("membership", lambda k, p: {"memberships": [], "x": 1})
    monkeypatch.setattr(value_report, "SECTIONS", [*value_report.SECTIONS, section])
    response = client_for(user_a).get(reverse("overview:reports:kommun", args=[kommun_a.code]))
    assert [t for t, _c in response.context["sections"]].count("overview/reports/sections/membership.html") == 2


def test_report_keeps_a_fixed_number_of_queries(year_2025, user_a, kommun_a, django_assert_max_num_queries):
    url = reverse("overview:reports:kommun", args=[kommun_a.code]) + "?period=year-2025"
    client = client_for(user_a)
    client.get(url)
    # session, user, kommun, periods, memberships, 2× levels, assessments in the period, dialog
    # entries, contacts; inquiries: dispatch figures, establishments won; NKI (nki.selectors.
    # kommun_nki): areas, the kommun's results, members, populations, averages, references,
    # method breaks; session save. The inquiry and NKI data sizes are tested in
    # test_inquiry_figures.py and test_nki_figures.py.
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for i in range(30):
        DialogEntryFactory(kind=DialogKind.VISIT, date=D(2025, 7, 1 + i % 28), kommuner=[kommun_a])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Region report: KPI targets against actual figures ------------------------------------------


@pytest.fixture
def targets():
    period = AgreementPeriod.objects.get(name="2025–2028")
    members = Kommun.objects.members().count()
    return {
        "members": KpiTargetFactory(period=period, key="members", target_value=members, order=1),
        "meetings": KpiTargetFactory(period=period, key="meetings", target_value=5, order=2),
        "visits": KpiTargetFactory(period=period, key="visits", target_value=1, higher_is_better=False, order=3),
        "share_aktiv_nki": KpiTargetFactory(period=period, key="share_aktiv_nki", target_value=50, order=4),
        "answer_rate": KpiTargetFactory(period=period, key="answer_rate", target_value=80, order=5),
        "press": KpiTargetFactory(period=period, key="press_mentions", target_value=10, order=6),
    }


def test_region_report_targets_against_actuals(year_2025, targets, user_b):
    response = client_for(user_b).get(reverse("overview:reports:region"))
    assert response.status_code == 200
    rows = {row.target.key: row for row in response.context["rows"]}
    assert rows["members"].actual == Kommun.objects.members().count() and rows["members"].reached is True
    # From 2025-01-01 until today: the 4 + 1 (2025-06-06, Värmdö) + 1 (2026-01-01) entries.
    assert rows["meetings"].actual == 6 and rows["meetings"].reached is True
    assert rows["visits"].actual == 4 and rows["visits"].reached is False  # lower is better, target 1
    assert rows["visits"].running  # the period 2025–2028 still runs: "not yet reached"
    assert "inte nått än" in response.content.decode()
    # One member (Flen) of all members is AKTIV in NKI.
    members = Kommun.objects.members().count()
    assert rows["share_aktiv_nki"].actual == round(100 / members, 1) and rows["share_aktiv_nki"].reached is False
    # Measured by the portal, but no inquiry was due yet; a key nobody measures says so.
    assert rows["answer_rate"].actual is None and rows["answer_rate"].available
    assert rows["press_mentions"].actual is None and not rows["press_mentions"].available
    assert "inte mätt i portalen än" in response.content.decode()


def test_region_report_uses_a_registered_actual(targets, monkeypatch, staff):
    monkeypatch.setitem(region.KPI_ACTUALS, "answer_rate", lambda period: 84.5)
    rows = {row.target.key: row for row in client_for(staff).get(reverse("overview:reports:region")).context["rows"]}
    assert rows["answer_rate"].actual == 84.5 and rows["answer_rate"].reached is True


def test_region_report_without_targets_says_so(staff):
    response = client_for(staff).get(reverse("overview:reports:region"))
    assert "Inga KPI-mål" in response.content.decode()


def test_registered_evidence_informs_its_criterion(monkeypatch, kommun_a, user_a):
    """The inquiry evidence plugs in by key: here a stand-in for the inquiries app's function. It
    informs: the kommun's "yes" counts until staff decide, the disagreement is recorded."""

    def answer_rate(ids):
        return {pk: Evidence("2 av 5", False, "2 av 5 förfrågningar besvarade") for pk in ids}

    monkeypatch.setitem(evidence.EVIDENCE, "inquiry_answer_rate", answer_rate)
    ContactFactory(kommun=kommun_a, role=Contact.Role.INVESTMENT)
    assessment = assessment_submit(
        kommun=kommun_a,
        track=Track.INVESTMENT,
        answers=answer_set(Track.INVESTMENT, yes_levels=["aktiv"]),
        user=user_a,
    )
    assert assessment.level == Level.AKTIV
    stored = assessment.answers.get(criterion__evidence_key="inquiry_answer_rate")
    assert stored.disagrees and stored.awaits_decision and stored.evidence_met is False


def test_periods_list_agreement_periods_and_years():
    periods = report_periods.report_periods(today=D(2026, 5, 1))
    keys = [p.key for p in periods]
    assert any(k.startswith("period-") for k in keys)
    assert "year-2026" in keys and "year-2017" in keys and "year-2027" not in keys


def test_ended_period_says_not_reached(staff):
    period = AgreementPeriod.objects.get(name="2021–2024")
    KpiTargetFactory(period=period, key="meetings", target_value=5)
    DialogEntryFactory(date=D(2022, 3, 3), kommuner=[Kommun.objects.members().first()])
    response = client_for(staff).get(reverse("overview:reports:region") + f"?period=period-{period.pk}")
    row = response.context["rows"][0]
    assert row.actual == 1 and row.reached is False and not row.running
    assert "inte nått" in response.content.decode() and "inte nått än" not in response.content.decode()


def test_unknown_region_period_is_refused(staff):
    response = client_for(staff).get(reverse("overview:reports:region") + "?period=year-2025", follow=True)
    assert "Perioden finns inte" in response.content.decode()


@pytest.mark.parametrize("url_name", ["overview:reports:index", "overview:reports:region"])
def test_report_lists_keep_a_fixed_number_of_queries(
    year_2025, targets, staff, url_name, django_assert_max_num_queries
):
    client = client_for(staff)
    url = reverse(url_name)
    client.get(url)
    # index: session, user, periods, members, session save. region: session, user, periods, the
    # agreement period, targets, and a fixed number per registered actual (never per row of data).
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(30):
        DialogEntryFactory(date=D(2025, 8, 1 + i % 28), kommuner=[Kommun.objects.members()[i % 10]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
