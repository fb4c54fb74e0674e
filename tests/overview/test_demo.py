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


def test_demo_has_a_kommun_whose_answer_and_data_disagree(demo_data, staff):
    from django.urls import reverse

    from tests.conftest import client_for

    latest = MaturityAssessment.objects.filter(kommun__code=demo.DISAGREEING_KOMMUN, track="nki").latest("submitted_at")
    awaiting = [a for a in latest.answers.all() if a.awaits_decision]
    assert [a.criterion.evidence_key for a in awaiting] == ["nki_years"]
    assert awaiting[0].answer == "no" and awaiting[0].evidence_met is True
    assert not latest.is_confirmed  # confirmation waits for the decision
    page = client_for(staff).get(reverse("overview:maturity:kommun", args=[demo.DISAGREEING_KOMMUN]))
    assert "Väntar på Invest Stockholms beslut" in page.content.decode()


def test_demo_member_report_shows_the_2024_method_break_not_a_change(demo_data, staff):
    """The demo's NKI totalt 2023 → 2024 crosses the seeded method break: the member report for
    2024 says "metodbyte" where a change would stand, never a number."""
    from django.urls import reverse

    from tests.conftest import client_for

    page = client_for(staff).get(reverse("overview:reports:kommun", args=["0482"]) + "?period=year-2024")
    assert page.status_code == 200
    nki = next(context for template, context in page.context["sections"] if template.endswith("/nki.html"))
    totalt = next(row for row in nki["rows"] if row["area"].is_total)
    assert nki["year"] == 2024 and totalt["change"].status == "method_break"
    assert "metodbyte" in page.content.decode().lower()
