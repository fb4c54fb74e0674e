"""The overview's figures from inquiries/: maturity evidence, value report section, KPI actuals,
map measure and staff overview panel. Registered in overview/integrations.py.

Counting follows inquiries.selectors.answer_figures (the insight pages): the answer rate is the
share of the dispatches that are *due* (answered, or their deadline has passed) that were
answered, so an inquiry still open for answers never counts against a kommun. Each function uses
a fixed number of queries, whatever the number of kommuner or dispatches.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from inquiries import selectors as inquiry_selectors
from inquiries.models import Dispatch, Inquiry, Outcome
from members import access, cache

from .registry import Evidence, MapValue, Period
from .selectors import report_day

ANSWER_RATE_WINDOW_DAYS = 365  # "the last 12 months"

# Map bands for the answer rate (lower bound in %, css class), highest first.
ANSWER_RATE_BANDS = [(90, "map-band-5"), (75, "map-band-4"), (50, "map-band-2"), (0, "map-band-1")]


def _window_start(today: datetime.date) -> datetime.datetime:
    start = today - datetime.timedelta(days=ANSWER_RATE_WINDOW_DAYS)
    return datetime.datetime.combine(start, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _day_range(starts_on: datetime.date, ends_on: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(ends_on, datetime.time.max, tzinfo=tz),
    )


def recent_figures(kommun_ids: list[int], today: datetime.date | None = None) -> dict[int, dict]:
    """{kommun_id: answer figures} over the dispatches sent in the last 12 months (one query)."""
    today = today or timezone.localdate()
    dispatches = Dispatch.objects.filter(kommun_id__in=kommun_ids, sent_at__gte=_window_start(today))
    per_kommun, _region = inquiry_selectors.answer_figures_per_kommun(dispatches, today=today)
    return per_kommun


def percent(answered: int, due: int) -> int:
    return round(100 * answered / due)


# --- Maturity evidence ---------------------------------------------------------------------------


def answer_rate_evidence(kommun_ids) -> dict[int, Evidence]:
    """Answered share of the inquiries due in the last 12 months against
    settings.MATURITY_ANSWER_RATE_THRESHOLD. No inquiry due in 12 months: the data cannot tell."""
    ids = list(kommun_ids)
    figures = recent_figures(ids)
    threshold = settings.MATURITY_ANSWER_RATE_THRESHOLD
    result = {}
    for pk in ids:
        f = figures.get(pk)
        if not f or not f["due"]:
            result[pk] = Evidence(
                value="—",
                met=None,
                explanation=_("No SBA inquiry to the kommun was due for an answer in the last 12 months."),
            )
            continue
        share = f["answered"] / f["due"]
        numbers = {"answered": f["answered"], "due": f["due"], "rate": percent(f["answered"], f["due"])}
        explanation = _("Answered %(answered)d of %(due)d inquiries in the last 12 months (%(rate)d %%).") % numbers
        explanation += " " + _("The threshold is %(threshold)d %%.") % {"threshold": round(100 * threshold)}
        result[pk] = Evidence(value=f"{numbers['rate']} %", met=share >= threshold, explanation=explanation)
    return result


# --- Member value report -------------------------------------------------------------------------


def section_inquiries(kommun, period: Period) -> dict:
    """Inquiries the kommun received in the period and what became of them, its answer rate and
    answer time against the region, and the establishments won (two queries)."""
    day = report_day(period)
    start, end = _day_range(period.starts_on, day)
    dispatches = Dispatch.objects.filter(sent_at__range=(start, end))
    per_kommun, region = inquiry_selectors.answer_figures_per_kommun(dispatches, today=day)
    own = per_kommun.get(kommun.pk) or inquiry_selectors.answer_figures(Dispatch.objects.none(), today=day)
    # Won: investors who decided in the period to establish in this kommun.
    won = list(
        Outcome.objects.filter(
            decision=Outcome.Decision.ESTABLISHED, kommun=kommun, decided_on__gte=period.starts_on, decided_on__lte=day
        )
        .select_related("inquiry")
        .order_by("decided_on", "pk")
    )
    return {
        "own": own,
        "region": region,
        "won": won,
        "jobs": sum(o.jobs or 0 for o in won),
        "investment": sum((o.investment_msek or Decimal("0") for o in won), Decimal("0")),
        "as_of": day,
    }


# --- KPI actuals (region report) -----------------------------------------------------------------


def kpi_inquiries_sent(period: Period):
    start, end = _day_range(period.starts_on, report_day(period))
    return Inquiry.objects.filter(sent_at__range=(start, end)).count()


def kpi_answer_rate(period: Period):
    """Answer rate (%) over the dispatches sent in the period; None before any was due."""
    day = report_day(period)
    start, end = _day_range(period.starts_on, day)
    return inquiry_selectors.answer_figures(Dispatch.objects.filter(sent_at__range=(start, end)), today=day)[
        "answer_rate"
    ]


def _established(period: Period):
    return Outcome.objects.filter(
        decision=Outcome.Decision.ESTABLISHED, decided_on__gte=period.starts_on, decided_on__lte=report_day(period)
    )


def kpi_establishments(period: Period):
    return _established(period).count()


def kpi_jobs(period: Period):
    return _established(period).aggregate(jobs=Sum("jobs"))["jobs"] or 0


# --- Map measure ---------------------------------------------------------------------------------


def answer_rate_map_values(kommun_ids: list[int]) -> dict[int, MapValue]:
    result = {}
    for pk, f in recent_figures(kommun_ids).items():
        if not f["due"]:
            continue
        rate = percent(f["answered"], f["due"])
        css = next(css for lower, css in ANSWER_RATE_BANDS if rate >= lower)
        result[pk] = MapValue(display=f"{number_format(rate)} %", css_class=css, sort=rate)
    return result


def answer_rate_legend() -> list[tuple[str, str]]:
    return [
        ("map-band-5", _("%(low)s %% or more answered") % {"low": 90}),
        ("map-band-4", _("%(low)s–%(high)s %% answered") % {"low": 75, "high": 89}),
        ("map-band-2", _("%(low)s–%(high)s %% answered") % {"low": 50, "high": 74}),
        ("map-band-1", _("under %(high)s %% answered") % {"high": 50}),
    ]


# --- Staff overview panel ------------------------------------------------------------------------

OPEN_INQUIRIES_SHOWN = 15


def open_inquiries_panel(request) -> dict | None:
    """Inquiries taking answers with their deadline and answers awaited, and the region's answers
    awaited (three queries)."""
    user = request.user
    if not access.is_staff(user):
        return None
    # The same for all staff: cached until the next write to inquiries, dispatches or answers.
    return cache.get_or_build(
        "open-inquiries-panel", topics=("inquiries",), by_date=True, build=lambda: _open_inquiries(user)
    )


def _open_inquiries(user) -> dict:
    today = timezone.localdate()
    inquiries = list(
        inquiry_selectors.inquiry_list(user=user)
        .filter(status=Inquiry.Status.SENT)
        .order_by("answer_deadline", "pk")[: OPEN_INQUIRIES_SHOWN + 1]
    )
    for inquiry in inquiries:
        inquiry.awaited = inquiry.dispatch_count - inquiry.answer_count
        inquiry.days_left = (inquiry.answer_deadline - today).days
    visible = inquiry_selectors.dispatches_visible_to(user)
    awaited = (
        visible.filter(pk__in=inquiry_selectors.in_progress_ids(visible, today, [Inquiry.Status.SENT]))
        .filter(answer__isnull=True)
        .filter(inquiry_selectors.open_q(today) | Q(inquiry__status=Inquiry.Status.SENT))
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(reopened_until__gte=today)),
            soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=2))),
            kommuner=Count("kommun", distinct=True),
        )
    )
    return {
        "inquiries": inquiries[:OPEN_INQUIRIES_SHOWN],
        "more": len(inquiries) > OPEN_INQUIRIES_SHOWN,
        "awaited": awaited,
        "today": today,
    }
