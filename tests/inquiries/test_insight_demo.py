"""Insight figures, reference numbers and the demo data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries import demo, services
from inquiries.models import Answer, Dispatch, Inquiry
from members import demo as members_demo

from ..conftest import client_for
from ..factories import InquiryFactory

pytestmark = pytest.mark.django_db


def test_reference_numbers_are_sequential_per_year():
    assert services.reference_allocate(year=2031) == "SBA-2031-0001"
    assert services.reference_allocate(year=2031) == "SBA-2031-0002"
    assert services.reference_allocate(year=2032) == "SBA-2032-0001"


def test_staff_insight_answer_rate_median_reasons_and_gaps(staff, sent, user_a, user_b, contacts):
    a, b = sent["a"], sent["b"]
    Dispatch.objects.filter(pk__in=[a.pk, b.pk]).update(sent_at=timezone.now() - datetime.timedelta(days=4))
    Answer.objects.create(
        dispatch=b,
        decision="declined",
        decline_reason="no_land",
        answered_at=timezone.now() - datetime.timedelta(days=2),
    )
    # A has not answered and its deadline has passed: counts against its answer rate.
    Dispatch.objects.filter(pk=a.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    # A requirement nobody meets: 500 MW.
    InquiryFactory(req_power_mw=500, status=Inquiry.Status.SENT, reference="SBA-2099-9999")
    response = client_for(staff).get(reverse("inquiries:insight"))
    assert response.status_code == 200
    per = {f["name"]: f for f in response.context["per_kommun"]}
    assert per["Flen"]["answer_rate"] == 0 and per["Värmdö"]["answer_rate"] == 100
    assert per["Värmdö"]["median_days"] == 2.0
    assert [(str(label), n) for label, n in per["Värmdö"]["reasons"]] == [("Ingen lämplig mark", 1)]
    assert response.context["region"]["answer_rate"] == 50
    gap_keys = {g["key"] for g in response.context["gaps"]}
    assert "power" in gap_keys
    assert "Regionala luckor" in response.content.decode()
    # The charts are the tables' figures: answer rate and median days per kommun, decline reasons.
    rate, time, reasons = (response.context[k] for k in ("rate_chart", "time_chart", "reason_chart"))
    assert [(b.label, b.value, b.display) for b in rate.bars] == [("Värmdö", 100, "100 %"), ("Flen", 0, "0 %")]
    assert [b.css for b in rate.bars] == ["pal-fill-5", "pal-fill-1"]  # the palette's answer-rate steps
    assert [(b.label, b.value) for b in time.bars] == [("Värmdö", 2.0)]  # Flen has no answer: no time
    assert [(b.label, b.value) for b in reasons.bars] == [
        (str(label), n) for label, n in response.context["region_reasons"]
    ]
    page = response.content.decode()
    assert 'id="answer-rate-chart"' in page and 'id="decline-reason-chart"' in page
    assert page.count("Diagrammets siffror som tabell") == 3  # each chart with its table


def test_kommun_sees_only_its_own_figures(user_a, sent):
    response = client_for(user_a).get(reverse("inquiries:insight"))
    assert response.status_code == 200
    assert response.context["figures"]["received"] == 1
    assert "per_kommun" not in response.context and "rate_chart" not in response.context


def test_demo_has_every_status_and_populated_inboxes():
    members_demo.load()
    demo.load()
    demo.load()  # idempotent
    assert {s for s, _ in Inquiry.Status.choices} == set(Inquiry.objects.values_list("status", flat=True))
    assert Inquiry.objects.count() == len(demo.INQUIRIES)
    assert Answer.objects.filter(decision="interested").exists() and Answer.objects.filter(decision="declined").exists()
    from members.models import User

    users = User.objects.in_bulk(["flen@sba.example", "varmdo@sba.example"], field_name="email")
    for email, user in users.items():
        response = client_for(user).get(reverse("inquiries:index"))
        inbox = response.context["inbox"]
        assert inbox["new"] and inbox["awaiting"] and inbox["answered"] and inbox["page"].object_list, email
