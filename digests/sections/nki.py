"""Sections from nki/: new results for the kommun (weekly) and its NKI movement (quarterly).

NKI results are public (every portal user sees every kommun's results), so there is no access
scope to apply; each section still reads only the recipient's own kommun. A fixed number of
queries each (the years' completeness is cached by nki.selectors).

The movement is nki.change's definition of change, for the latest complete year only
(nki.selectors.latest_complete_year): no "up 3.0" across a method break, on too few answers or
within the margin of error; a preliminary year is never mailed as the latest.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nki import change as nki_change
from nki import selectors as nki_selectors
from nki import stats as nki_stats
from nki.models import NkiResult

from ..constants import LIST_LIMIT
from ..periods import Period
from ..recipients import Recipient


def _kommun_url(recipient: Recipient) -> str:
    return settings.SITE_URL + reverse("nki:kommun", args=[recipient.kommun.code])


def nki_news(recipient: Recipient, period: Period) -> dict | None:
    """NKI results for the kommun imported in the period, newest year first; a bygglov or miljö
    chief reads their own area only (recipient.nki_areas)."""
    if recipient.kommun is None:
        return None
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end, datetime.time.max, tzinfo=tz)
    found = NkiResult.objects.filter(kommun=recipient.kommun, nki_import__imported_at__range=(start, end))
    if recipient.nki_areas is not None:
        found = found.filter(area__code__in=recipient.nki_areas)
    results = list(found.select_related("area").order_by("-year", "area__order", "area__code")[: LIST_LIMIT + 1])
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
            "preliminary": nki_selectors.is_preliminary(r.year),
        }
        for r in results[:LIST_LIMIT]
    ]
    return {"kommun": recipient.kommun, "rows": rows, "more": len(results) > LIST_LIMIT, "url": _kommun_url(recipient)}


def nki_movement(recipient: Recipient, period: Period) -> dict | None:
    """The kommun's NKI totalt of the latest complete year up to the quarter's end and its change
    from the year before (nki.change: a method break, too few answers or no clear change are said
    in words)."""
    if recipient.kommun is None:
        return None
    until = nki_selectors.latest_complete_year(period.end.year)
    if until is None:
        return None
    latest = list(
        NkiResult.objects.filter(kommun=recipient.kommun, area__is_total=True, year__lte=until).order_by("-year")[:2]
    )
    if not latest:
        return None
    current = latest[0]
    previous = latest[1] if len(latest) > 1 else None
    change = nki_change.result_change(previous, current, breaks=nki_change.all_method_breaks())
    return {
        "kommun": recipient.kommun,
        "year": current.year,
        "nki": current.nki,
        "answers": current.answers,
        "band": nki_stats.grade_band(current.nki).label,
        "flag": nki_stats.sample_flag(current.answers),
        "change": change,
        "url": _kommun_url(recipient),
    }
