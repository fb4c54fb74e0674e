"""Reads that combine the floors below (members, inquiries, nki) for the staff overview."""

from __future__ import annotations

from django.db.models import Count

from members.models import AgreementPeriod, Kommun


def staff_overview() -> dict:
    """Figures for the staff start page; a fixed number of queries whatever the data size."""
    members_per_lan = list(
        Kommun.objects.members().values("lan__code", "lan__name").annotate(count=Count("id")).order_by("lan__code")
    )
    return {
        "member_count": sum(row["count"] for row in members_per_lan),
        "members_per_lan": members_per_lan,
        "kommun_count": Kommun.objects.count(),
        "period": AgreementPeriod.current(),
    }
