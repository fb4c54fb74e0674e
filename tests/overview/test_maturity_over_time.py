"""The region's maturity over time counts the members of each quarter, not today's (issue 13)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Kommun, Membership
from overview.maturity import selectors
from overview.maturity.models import MaturityAssessment, Track

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def _assessed(kommun, level, day):
    return MaturityAssessment.objects.create(
        kommun=kommun,
        track=Track.NKI,
        level=level,
        submitted_at=timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12)),
    )


def _row(over_time, quarter):
    track = next(t for t in over_time["tracks"] if t["track"] == Track.NKI)
    row = next(r for r in track["rows"] if r["quarter"] == quarter)
    return dict(zip(["neutral", "aktiv", "proaktiv"], row["levels"], strict=True)), row["not_assessed"]


def test_each_quarter_counts_the_members_of_that_day(kommun_a, kommun_b, kommun_outside, staff):
    # Seeded: every member from 2025-01-01 (the period 2025–2028 recorded); n of them.
    n = Kommun.objects.members(datetime.date(2025, 3, 31)).count()
    Membership.objects.filter(kommun=kommun_b).update(ends_on=datetime.date(2025, 12, 31))  # Värmdö leaves
    Membership.objects.create(kommun=kommun_outside, starts_on=datetime.date(2026, 4, 1))  # Kiruna joins
    _assessed(kommun_a, "aktiv", datetime.date(2025, 2, 1))
    _assessed(kommun_b, "neutral", datetime.date(2025, 2, 1))
    _assessed(kommun_outside, "proaktiv", datetime.date(2026, 4, 15))

    over_time = selectors.maturity_over_time(today=datetime.date(2026, 6, 30))

    # 2025 Q1: the n members; Flen aktiv, Värmdö neutral, n - 2 not assessed.
    assert _row(over_time, "2025 Q1") == ({"neutral": 1, "aktiv": 1, "proaktiv": 0}, n - 2)
    # 2026 Q2: Värmdö gone, Kiruna in (n members again): Flen aktiv, Kiruna proaktiv, n - 2 not assessed.
    assert _row(over_time, "2026 Q2") == ({"neutral": 0, "aktiv": 1, "proaktiv": 1}, n - 2)
    # Before Kiruna joined, its assessment does not count (it was not a member yet).
    assert _row(over_time, "2026 Q1") == ({"neutral": 0, "aktiv": 1, "proaktiv": 0}, n - 1 - 1)
    assert over_time["roster_missing"] == ""


def test_quarters_without_a_recorded_member_list_are_left_out_and_said(kommun_a, staff):
    _assessed(kommun_a, "aktiv", datetime.date(2024, 5, 1))  # 2021–2024: list not recorded

    over_time = selectors.maturity_over_time(today=datetime.date(2025, 6, 30))

    assert over_time["quarters"] == ["2025 Q1", "2025 Q2"]
    assert "2021–2024" in over_time["roster_missing"]
    page = client_for(staff).get(reverse("overview:maturity:region")).content.decode()
    assert "Medlemslistan för 2021–2024 saknas." in page
