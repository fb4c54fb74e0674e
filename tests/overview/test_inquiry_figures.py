"""The overview's figures from inquiries: answer-rate evidence, the value report's inquiry section,
KPI actuals, the answer-rate map and the open-inquiries panel, against hand-counted fixtures."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from inquiries.models import Answer, Inquiry
from members import cache
from members.models import AgreementPeriod, Contact, Kommun
from overview import selectors as overview_selectors
from overview.maturity import evidence
from overview.maturity.services import assessment_submit
from overview.models import MaturityCriterion, Track
from overview.reports import region
from overview.reports.periods import Period
from tests.conftest import client_for
from tests.factories import ContactFactory, KpiTargetFactory

from .conftest import answer_set
from .inquiry_data import dispatch, established
from .test_overview_page import map_classes, parse_map

pytestmark = pytest.mark.django_db

D = datetime.date


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def last_year(kommun_a, kommun_b):
    """Flen, last 12 months: 6 inquiries due, 5 answered (83 %), plus one still open (not due) and
    one sent 13 months ago (outside the window), both unanswered. Värmdö: 2 due, 1 answered (50 %)."""
    for n, answered in enumerate([2, 3, 1, 5, 4, None]):
        dispatch(kommun_a, sent=days_ago(300 - 40 * n), answered_after_days=answered)
    dispatch(kommun_a, sent=days_ago(3), deadline=days_ago(-10))  # open: not yet due
    dispatch(kommun_a, sent=days_ago(400))  # outside the 12 months
    dispatch(kommun_b, sent=days_ago(100), answered_after_days=6, decision=Answer.Decision.DECLINED)
    dispatch(kommun_b, sent=days_ago(60))


# --- Evidence ------------------------------------------------------------------------------------


def test_answer_rate_evidence_counts_the_inquiries_due_in_12_months(last_year, kommun_a, kommun_b):
    other = Kommun.objects.members().exclude(pk__in=[kommun_a.pk, kommun_b.pk]).first()
    found = evidence.answer_rate_evidence([kommun_a.pk, kommun_b.pk, other.pk])
    flen, varmdo, none = found[kommun_a.pk], found[kommun_b.pk], found[other.pk]
    assert settings.MATURITY_ANSWER_RATE_THRESHOLD == 0.75
    assert flen.met is True and flen.value == "83 %"
    assert flen.explanation.startswith("Besvarat 5 av 6 förfrågningar de senaste 12 månaderna (83 %).")
    assert (
        varmdo.met is False and "Besvarat 1 av 2 förfrågningar" in varmdo.explanation and "(50 %)" in varmdo.explanation
    )
    with translation.override("en"):
        english = evidence.answer_rate_evidence([kommun_a.pk])[kommun_a.pk].explanation
    assert english == "Answered 5 of 6 inquiries in the last 12 months (83 %). The threshold is 75 %."
    # No inquiry due in 12 months: the data cannot tell (unknown), it is not "not met".
    assert none.met is None and none.value == "—"


def test_threshold_is_a_setting(last_year, kommun_a, settings):
    settings.MATURITY_ANSWER_RATE_THRESHOLD = 0.9
    assert evidence.answer_rate_evidence([kommun_a.pk])[kommun_a.pk].met is False


def test_answer_rate_evidence_uses_one_query_for_any_number_of_kommuner(last_year, django_assert_num_queries, kommun_a):
    ids = list(Kommun.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        found = evidence.answer_rate_evidence(ids)
    assert len(found) == len(ids) and found[kommun_a.pk].met is True


def test_answer_rate_shows_beside_the_answer_on_the_maturity_page(last_year, kommun_b, user_b):
    """Värmdö answers 'yes' to the answer-rate criterion, but answered only 50 %: flagged."""
    criterion = MaturityCriterion.objects.get(evidence_key="inquiry_answer_rate")
    ContactFactory(kommun=kommun_b, role=Contact.Role.INVESTMENT)
    assessment_submit(
        kommun=kommun_b,
        track=criterion.track,
        answers=answer_set(criterion.track, yes_levels=["aktiv", "proaktiv"]),
        user=user_b,
    )
    page = client_for(user_b).get(reverse("overview:maturity:kommun", args=[kommun_b.code])).content.decode()
    assert "Besvarat 1 av 2 förfrågningar de senaste 12 månaderna (50 %)" in page
    assert "stämmer inte med kommunens svar" in page


# --- Value report --------------------------------------------------------------------------------


@pytest.fixture
def year_2025(kommun_a, kommun_b):
    """Hand-counted 2025. Flen: 4 received, 3 answered (2 offers after 2 and 6 days, 1 decline
    after 4 days), 1 unanswered past its deadline; 2 forwarded, 1 shortlisted; one establishment
    (120 jobs, 350.5 MSEK). Värmdö: 2 received, 1 answered after 10 days.
    Region: 6 received, 6 due, 4 answered → 67 %; median of 2, 4, 6, 10 days → 5.0."""
    won = dispatch(kommun_a, sent=D(2025, 3, 1), answered_after_days=2, forwarded=True, shortlisted=True)
    dispatch(kommun_a, sent=D(2025, 4, 1), answered_after_days=6, forwarded=True)
    dispatch(kommun_a, sent=D(2025, 5, 1), answered_after_days=4, decision=Answer.Decision.DECLINED)
    dispatch(kommun_a, sent=D(2025, 6, 1))
    dispatch(kommun_b, sent=D(2025, 6, 1), answered_after_days=10)
    dispatch(kommun_b, sent=D(2025, 7, 1))
    established(won.inquiry, kommun_a, on=D(2025, 11, 1), jobs=120, msek="350.5")
    # Not in 2025: sent in 2024, and an establishment decided in 2026; another kommun's win.
    late = dispatch(kommun_a, sent=D(2024, 12, 20), answered_after_days=1)
    established(late.inquiry, kommun_a, on=D(2026, 1, 10), jobs=999, msek="1")
    other = dispatch(kommun_b, sent=D(2024, 11, 1), answered_after_days=1)
    established(other.inquiry, kommun_b, on=D(2025, 8, 1), jobs=50, msek="10")


def _report(client, kommun, period_key):
    response = client.get(reverse("overview:reports:kommun", args=[kommun.code]), {"period": period_key})
    assert response.status_code == 200
    sections = {t.rsplit("/", 1)[-1].removesuffix(".html"): ctx for t, ctx in response.context["sections"]}
    return response, sections


def test_value_report_counts_the_kommuns_inquiries_against_the_region(year_2025, user_a, kommun_a):
    response, sections = _report(client_for(user_a), kommun_a, "year-2025")
    s = sections["inquiries"]
    own, region = s["own"], s["region"]
    assert (own["received"], own["answered"], own["interested"], own["declined"]) == (4, 3, 2, 1)
    assert (own["forwarded"], own["shortlisted"]) == (2, 1)
    assert own["answer_rate"] == 75 and own["median_days"] == 4.0
    assert region["received"] == 6 and region["answered"] == 4
    assert region["answer_rate"] == 67 and region["median_days"] == 5.0
    assert [o.jobs for o in s["won"]] == [120] and s["jobs"] == 120 and str(s["investment"]) == "350.5"
    page = response.content.decode()
    assert "Investeringsförfrågningar" in page and "4 SBA-förfrågningar skickades till kommunen" in page
    assert "75 %" in page and "67 %" in page and "350,5 MSEK" in page


def test_value_report_in_english(year_2025, user_a, kommun_a):
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _report(client, kommun_a, "year-2025")[0].content.decode()
    assert "Investment inquiries" in page and "4 SBA inquiries were sent to the kommun" in page
    assert "Answer rate and answer time compared with the region" in page and "350.5 MSEK" in page


def test_value_report_for_a_kommun_without_inquiries_says_zero(year_2025, staff):
    flen_neighbour = Kommun.objects.members().exclude(code__in=["0482", "0120"]).first()
    s = _report(client_for(staff), flen_neighbour, "year-2025")[1]["inquiries"]
    assert s["own"]["received"] == 0 and s["own"]["answer_rate"] is None and s["won"] == []
    assert s["region"]["received"] == 6


def test_value_report_with_inquiries_keeps_a_fixed_number_of_queries(
    year_2025, user_a, kommun_a, kommun_b, django_assert_max_num_queries
):
    client = client_for(user_a)
    url = reverse("overview:reports:kommun", args=[kommun_a.code])
    client.get(url, {"period": "year-2025"})
    # + the activities, good examples and groups, the survey (issues 16, 17)
    with django_assert_max_num_queries(23) as few:
        client.get(url, {"period": "year-2025"})
    for n in range(30):
        dispatch(kommun_a if n % 2 else kommun_b, sent=D(2025, 8, 1 + n % 28), answered_after_days=n % 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"period": "year-2025"})


# --- KPI actuals ---------------------------------------------------------------------------------


def test_kpi_actuals_for_the_inquiries(year_2025):
    period = Period("2025", D(2025, 1, 1), D(2025, 12, 31), "year-2025")
    # 6 inquiries sent in 2025 (one per dispatch in the fixture); 4 of 6 due answered.
    assert region.kpi_inquiries_sent(period) == 6
    assert region.kpi_answer_rate(period) == 67
    # Established in 2025: Flen (120 jobs) and Värmdö (50 jobs).
    assert region.kpi_establishments(period) == 2
    assert region.kpi_jobs(period) == 170


def test_region_report_shows_the_inquiry_actuals(year_2025, staff):
    period = AgreementPeriod.objects.get(name="2025–2028")
    for key, value in [("inquiries_sent", 200), ("answer_rate", 80), ("establishments", 40), ("jobs", 2000)]:
        KpiTargetFactory(period=period, key=key, target_value=value)
    response = client_for(staff).get(reverse("overview:reports:region"))  # 2025–2028, until today
    rows = {row.target.key: row for row in response.context["rows"]}
    assert rows["inquiries_sent"].actual == 6 and rows["answer_rate"].actual == 67
    # 2025: Flen (120 jobs) and Värmdö (50); 2026: Flen (999).
    assert rows["establishments"].actual == 3 and rows["jobs"].actual == 1169
    assert all(rows[k].available for k in rows) and rows["answer_rate"].reached is False


# --- Map -----------------------------------------------------------------------------------------


def test_map_by_answer_rate_colours_and_words(last_year, staff, kommun_a, kommun_b):
    response = client_for(staff).get(reverse("overview:index"), {"measure": "answer_rate"})
    classes = map_classes(parse_map(response.content.decode()))
    assert classes[kommun_a.code] == "pal-fill-4"  # 83 %: 75–89 %
    assert classes[kommun_b.code] == "pal-fill-2"  # 50 %: 50–74 %
    others = [code for code in classes if code not in (kommun_a.code, kommun_b.code)]
    assert others and all(classes[code] == "pal-fill-none" for code in others)
    page = response.content.decode()
    assert "75–89 % besvarade" in page and "under 50 % besvarade" in page  # legend in words
    rows = {k.code: v for k, v in response.context["region"]["map_rows"]}
    assert rows[kommun_a.code].display == "83 %"


def visible_text(page: str) -> str:
    """The page's text as read: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# --- Staff overview panel ------------------------------------------------------------------------


@pytest.fixture
def open_inquiries(kommun_a, kommun_b):
    """Two inquiries taking answers: one to Flen and Värmdö due in 2 days, Flen answered; one to
    Flen due in 10 days, unanswered. One closed inquiry with an unanswered dispatch (not shown)."""
    soon = dispatch(kommun_a, sent=days_ago(10), deadline=days_ago(-2), answered_after_days=1, code_name="Soon")
    dispatch(kommun_b, sent=days_ago(10), deadline=days_ago(-2), inquiry=soon.inquiry)
    dispatch(kommun_a, sent=days_ago(2), deadline=days_ago(-10), code_name="Later")
    dispatch(kommun_b, sent=days_ago(90), status=Inquiry.Status.CLOSED, code_name="Closed one")
    return soon.inquiry


def test_overview_lists_open_inquiries_with_deadlines_and_answers_awaited(open_inquiries, staff):
    response = client_for(staff).get(reverse("overview:index"))
    panel = response.context["work"]["panels"]["inquiries"]
    rows = [(i.code_name, i.dispatch_count, i.answer_count, i.awaited, i.days_left) for i in panel["inquiries"]]
    assert rows == [("Soon", 2, 1, 1, 2), ("Later", 1, 0, 1, 10)]
    assert panel["awaited"] == {"total": 2, "overdue": 0, "soon": 1, "kommuner": 2}
    page = response.content.decode()
    assert "Öppna förfrågningar och svarstider" in page and "2 svar väntas" in visible_text(page)
    assert "Closed one" not in page


def test_overview_query_count_is_the_same_with_few_and_many_inquiries(
    staff, kommun_a, kommun_b, django_assert_max_num_queries
):
    client = client_for(staff)
    url = reverse("overview:index")
    members = list(Kommun.objects.members()[:12])
    dispatch(kommun_a, sent=days_ago(20), deadline=days_ago(-3))
    for measure in ("", "answer_rate"):
        client.get(url, {"measure": measure})
    # session, user, map members + measure, members per län, kommun count, current period, members
    # by last contact, follow-ups (+ kommuner), distribution (2), open inquiries, answers awaited,
    # NKI years (no NKI results here; with results see test_nki_figures.py).
    # Measured cold (every cached part retired first, as after a write): the full build.
    cache.retire_all()
    with django_assert_max_num_queries(17) as few:
        client.get(url)
    cache.retire_all()
    with django_assert_max_num_queries(len(few.captured_queries) + 1) as few_rate:
        client.get(url, {"measure": "answer_rate"})
    for n in range(25):
        first = dispatch(members[n % 12], sent=days_ago(30 + n), deadline=days_ago(-n), answered_after_days=n % 3)
        dispatch(members[(n + 1) % 12], sent=days_ago(30 + n), inquiry=first.inquiry, deadline=days_ago(-n))
    cache.retire_all()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    cache.retire_all()
    with django_assert_max_num_queries(len(few_rate.captured_queries)):
        client.get(url, {"measure": "answer_rate"})
    # Warm (the next reader): only what is read live, far fewer than the full build.
    with django_assert_max_num_queries(len(few_rate.captured_queries) - 5):
        client.get(url, {"measure": "answer_rate"})


def test_panel_is_for_staff_only(open_inquiries, user_a, rf):
    request = rf.get("/")
    request.user = user_a
    assert overview_selectors.open_inquiries_panel(request) is None


def test_overview_in_english_shows_the_inquiry_panel(open_inquiries, staff):
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("overview:index")).content.decode()
    assert "Open inquiries and deadlines" in page and "2 answers awaited" in visible_text(page)


def test_track_of_the_answer_rate_criterion_is_investment():
    assert MaturityCriterion.objects.get(evidence_key="inquiry_answer_rate").track == Track.INVESTMENT
