"""The demo data of `make run`: assessments at different levels, a dialog history, KPI targets."""

import pytest

from members import demo as members_demo
from overview import demo
from overview.models import DialogEntry, KpiTarget, MaturityAssessment

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_shows_every_part():
    members_demo.load()
    demo.load()
    counts = (MaturityAssessment.objects.count(), DialogEntry.objects.count(), KpiTarget.objects.count())
    demo.load()
    assert (MaturityAssessment.objects.count(), DialogEntry.objects.count(), KpiTarget.objects.count()) == counts
    assert set(MaturityAssessment.objects.values_list("level", flat=True)) == {"neutral", "aktiv", "proaktiv"}
    for code in ("0482", "0120"):
        assert MaturityAssessment.objects.filter(kommun__code=code).count() >= 2
        assert DialogEntry.objects.filter(kommuner__code=code, kind="visit").exists()
    assert KpiTarget.objects.filter(period__name="2025–2028").count() >= 6


def test_demo_has_a_kommun_whose_answer_and_data_disagree(staff):
    from django.urls import reverse

    from nki import demo as nki_demo
    from tests.conftest import client_for

    members_demo.load()
    nki_demo.load()
    demo.load()
    latest = MaturityAssessment.objects.filter(kommun__code=demo.DISAGREEING_KOMMUN, track="nki").latest("submitted_at")
    awaiting = [a for a in latest.answers.all() if a.awaits_decision]
    assert [a.criterion.evidence_key for a in awaiting] == ["nki_years"]
    assert awaiting[0].answer == "no" and awaiting[0].evidence_met is True
    assert not latest.is_confirmed  # confirmation waits for the decision
    page = client_for(staff).get(reverse("overview:maturity:kommun", args=[demo.DISAGREEING_KOMMUN]))
    assert "Väntar på Invest Stockholms beslut" in page.content.decode()
