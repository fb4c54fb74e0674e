"""Sections from nki/: new results for the kommun (weekly) and its NKI movement (quarterly).

NKI results are public (every portal user sees every kommun's results), so there is no access
scope to apply; each section still reads only the recipient's own kommun. One query each.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nki import stats as nki_stats
from nki.models import NkiResult

from ..constants import LIST_LIMIT
from ..periods import Period
from ..recipients import Recipient


def _kommun_url(recipient: Recipient) -> str:
    return settings.SITE_URL + reverse("nki:kommun", args=[recipient.kommun.code])


def nki_news(recipient: Recipient, period: Period) -> dict | None:
    """NKI results for the kommun imported in the period, newest year first."""
    if recipient.kommun is None:
        return None
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end, datetime.time.max, tzinfo=tz)
    results = list(
        NkiResult.objects.filter(kommun=recipient.kommun, nki_import__imported_at__range=(start, end))
        .select_related("area")
        .order_by("-year", "area__order", "area__code")[: LIST_LIMIT + 1]
    )
    if not results:
        return None
    rows = [
        {
            "year": r.year,
            "area": r.area,
            "nki": r.nki,
            "answers": r.answers,
            "band": nki_stats.grade_band(r.nki).label,
            "flag": nki_stats.sample_flag(r.answers),
        }
        for r in results[:LIST_LIMIT]
    ]
    return {"kommun": recipient.kommun, "rows": rows, "more": len(results) > LIST_LIMIT, "url": _kommun_url(recipient)}


def nki_movement(recipient: Recipient, period: Period) -> dict | None:
    """The kommun's latest NKI totalt known at the quarter's end and the change from the year before."""
    if recipient.kommun is None:
        return None
    latest = list(
        NkiResult.objects.filter(kommun=recipient.kommun, area__is_total=True, year__lte=period.end.year).order_by(
            "-year"
        )[:2]
    )
    if not latest:
        return None
    current = latest[0]
    previous = latest[1] if len(latest) > 1 and latest[1].year == current.year - 1 else None
    return {
        "kommun": recipient.kommun,
        "year": current.year,
        "nki": current.nki,
        "answers": current.answers,
        "band": nki_stats.grade_band(current.nki).label,
        "flag": nki_stats.sample_flag(current.answers),
        "previous": previous.nki if previous else None,
        "delta": current.nki - previous.nki if previous else None,
        "change": abs(current.nki - previous.nki) if previous else None,
        "url": _kommun_url(recipient),
    }
