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
