"""Reads for SBA's activities, through members.access (a kommun user: those its kommun takes part in)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from members import access
from members.models import Kommun

from .models import Activity, ActivityKind


def activities_visible_to(user) -> QuerySet[Activity]:
    return access.scope_to_kommun(user, Activity.objects.all(), "kommuner").distinct()


def activity_list(*, user) -> QuerySet[Activity]:
    """The list: each activity with its kommuner and the number of inquiries (three queries a page)."""
    return (
        activities_visible_to(user)
        .annotate(inquiry_count=Count("inquiries", distinct=True))
        .prefetch_related(Prefetch("kommuner", queryset=Kommun.objects.order_by("name")))
        .order_by("-starts_on", "-pk")
    )


def activity_page(*, user, pk: int) -> Activity:
    activity = access.get_visible_or_404(user, Activity.objects.all().distinct(), "kommuner", pk=pk)
    return activity


def upcoming(*, user, today: datetime.date | None = None, limit: int = 5) -> list[Activity]:
    """What is coming up ("vad som är på gång"): the next activities the user may see (two queries)."""
    today = today or timezone.localdate()
    return list(
        activities_visible_to(user)
        .filter(starts_on__gte=today)
        .prefetch_related(Prefetch("kommuner", queryset=Kommun.objects.order_by("name")))
        .order_by("starts_on", "pk")[:limit]
    )


def upcoming_for_kommun(kommun: Kommun, *, today: datetime.date | None = None, limit: int = 5) -> list[Activity]:
    today = today or timezone.localdate()
    return list(kommun.activities.filter(starts_on__gte=today).order_by("starts_on", "pk")[:limit])


def counts_in_span(starts_on: datetime.date, ends_on: datetime.date, *, kommun: Kommun | None = None) -> dict:
    """Activities in the span (taken part in by the kommun, if given): the list, the count by kind,
    the leads and the inquiries that came of them (two queries)."""
    activities = Activity.objects.filter(starts_on__gte=starts_on, starts_on__lte=ends_on)
    if kommun is not None:
        activities = activities.filter(kommuner=kommun)
    activities = list(activities.annotate(inquiry_count=Count("inquiries", distinct=True)).order_by("starts_on", "pk"))
    kinds = Counter(a.kind for a in activities)
    return {
        "activities": activities,
        "total": len(activities),
        "by_kind": [(label, kinds[value]) for value, label in ActivityKind.choices if kinds[value]],
        "leads": sum(a.leads for a in activities),
        "inquiries": sum(a.inquiry_count for a in activities),
    }
