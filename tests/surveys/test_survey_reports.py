"""The survey in the member value report (the region's response rate and means, never whether the
kommun answered) and in the region report (the membership-value KPI) (issue 16)."""

import datetime

import pytest
from django.urls import reverse

from members.models import AgreementPeriod

from ..conftest import client_for
from ..factories import KpiTargetFactory
from .conftest import make_survey
from .test_survey import add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_2025():
    survey = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16), keys=("membership_value", "value"))
    add_responses(survey, [6, 7, 8, 7, 7, 7])
    survey.invited_count = 10
    survey.save()
    return survey


def test_the_value_report_shows_the_regions_survey_not_the_kommuns_answer(closed_2025, user_a, kommun_a):
    url = reverse("overview:reports:kommun", args=[kommun_a.code]) + "?period=year-2025"
    body = client_for(user_a).get(url).content.decode()
    assert "Medlemsenkäten" in body
    assert "60,0 % av de 10 inbjudna i regionen svarade" in body
    assert "Fråga value" in body and "7,0" in body
    assert "rapporten säger inte om just den här kommunen svarade" in body


def test_the_value_report_before_any_survey_leaves_the_section_out(user_a, kommun_a):
    url = reverse("overview:reports:kommun", args=[kommun_a.code]) + "?period=year-2025"
    assert "Medlemsenkäten" not in client_for(user_a).get(url).content.decode()


def test_the_region_report_measures_the_membership_value_kpi(staff):
    period = AgreementPeriod.objects.get(name="2025–2028")
    KpiTargetFactory(period=period, key="member_value", target_value=7.5, order=1)
    survey = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16), keys=("membership_value", "value"))
    from surveys.models import Question, Response, ResponseAnswer

    q = Question.objects.get(survey=survey, key="membership_value")
    for n in (6, 7, 8, 9, 10):
        ResponseAnswer.objects.create(response=Response.objects.create(survey=survey), question=q, number=n)
    rows = {r.target.key: r for r in client_for(staff).get(reverse("overview:reports:region")).context["rows"]}
    assert rows["member_value"].actual == 8.0 and rows["member_value"].reached is True


def test_the_kpi_is_unknown_under_five_answers(staff):
    period = AgreementPeriod.objects.get(name="2025–2028")
    KpiTargetFactory(period=period, key="member_value", target_value=7.5, order=1)
    survey = make_survey(2025, closed=True, opens=datetime.date(2025, 9, 16), keys=("membership_value",))
    from surveys.models import Question, Response, ResponseAnswer

    q = Question.objects.get(survey=survey, key="membership_value")
    for n in (9, 10):
        ResponseAnswer.objects.create(response=Response.objects.create(survey=survey), question=q, number=n)
    rows = {r.target.key: r for r in client_for(staff).get(reverse("overview:reports:region")).context["rows"]}
    assert rows["member_value"].actual is None and rows["member_value"].available
