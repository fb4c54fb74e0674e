"""The region report: the agreement period's KPI targets (KpiTarget, edited in admin) against the
actual figures the portal can compute.

KPI_ACTUALS maps a target's key to a function (period) → number or None, each in a fixed number of
queries; a target whose key is not there shows "not measured in the portal". Adding a measured KPI:
one function and one line in KPI_ACTUALS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from inquiries import selectors as inquiry_selectors
from inquiries.models import Dispatch, Inquiry, Outcome
from members import roster
from members.models import Kommun
from nki import selectors as nki_selectors
from surveys import selectors as survey_selectors

from ..activities import selectors as activity_selectors
from ..dialog.models import DialogEntry, DialogKind
from ..maturity.models import Level, Track
from ..maturity.selectors import at_least, levels_by_kommun, member_ids
from .models import KpiTarget
from .periods import Period, agreement_period_of, day_range, report_day

# --- Members, maturity and dialog ----------------------------------------------------------------
# Counted over the members on the report day (members.roster): unknown, not today's members, when
# that day's member list is not recorded.


def _roster_recorded(day) -> bool:
    return not roster.missing_by_year([day.year])[day.year]


def kpi_members(period: Period):
    day = report_day(period)
    return Kommun.objects.members(day).count() if _roster_recorded(day) else None


def _share_at_least_aktiv(track: str):
    def actual(period: Period):
        day = report_day(period)
        members = member_ids(day) if _roster_recorded(day) else []
        if not members:
            return None
        levels = levels_by_kommun(members, on=day)
        reached = sum(1 for pk in members if at_least(levels.get((pk, track)), Level.AKTIV))
        return round(100 * reached / len(members), 1)

    return actual


def kpi_meetings(period: Period):
    return DialogEntry.objects.filter(date__gte=period.starts_on, date__lte=report_day(period)).count()


def kpi_visits(period: Period):
    return DialogEntry.objects.filter(
        kind=DialogKind.VISIT, date__gte=period.starts_on, date__lte=report_day(period)
    ).count()


def kpi_members_met(period: Period):
    """Share (%) of members with at least one dialog entry in the period."""
    day = report_day(period)
    if not _roster_recorded(day):
        return None
    members = Kommun.objects.members(day)
    total = members.count()
    if not total:
        return None
    met = members.filter(dialog_entries__date__gte=period.starts_on, dialog_entries__date__lte=day).distinct().count()
    return round(100 * met / total, 1)


# --- Inquiries -----------------------------------------------------------------------------------


def kpi_inquiries_sent(period: Period):
    start, end = day_range(period.starts_on, report_day(period))
    return Inquiry.objects.filter(sent_at__range=(start, end)).count()


def kpi_answer_rate(period: Period):
    """Answer rate (%) over the dispatches sent in the period; None before any was due."""
    day = report_day(period)
    start, end = day_range(period.starts_on, day)
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


# --- NKI -----------------------------------------------------------------------------------------


def kpi_nki_sba(period: Period):
    """SBA average NKI totalt, for the latest year with results up to the period's end, over that
    year's members (None when its member list is missing)."""
    averages = nki_selectors.region_averages(until_year=report_day(period).year)
    total = next((row for row in averages["rows"] if row.area.is_total), None)
    return total.sba.value if total else None


# --- Member survey -------------------------------------------------------------------------------


def kpi_member_value(period: Period):
    """The region's mean answer (1–10) to the member survey's question on the value of membership,
    in the latest survey closed by the period's end (None under five answers)."""
    survey = survey_selectors.latest_closed(until_year=report_day(period).year)
    return survey_selectors.scale_mean(key="membership_value", year=survey.year) if survey else None


def kpi_activities(period: Period):
    """SBA's activities (fairs, campaigns, delegations, seminars) held in the period so far."""
    return activity_selectors.counts_in_span(period.starts_on, report_day(period))["total"]


KPI_ACTUALS: dict[str, Callable[[Period], Decimal | int | float | None]] = {
    "members": kpi_members,
    "share_aktiv_nki": _share_at_least_aktiv(Track.NKI),
    "share_aktiv_investment": _share_at_least_aktiv(Track.INVESTMENT),
    "meetings": kpi_meetings,
    "visits": kpi_visits,
    "members_met": kpi_members_met,
    "inquiries_sent": kpi_inquiries_sent,
    "answer_rate": kpi_answer_rate,
    "establishments": kpi_establishments,
    "jobs": kpi_jobs,
    "nki_sba": kpi_nki_sba,
    "member_value": kpi_member_value,
    "activities": kpi_activities,
}


@dataclass
class KpiRow:
    """A target beside its actual figure. While the period runs, a target not met is 'not yet'."""

    target: KpiTarget
    actual: float | None
    available: bool
    running: bool = False

    @property
    def reached(self) -> bool | None:
        if self.actual is None:
            return None
        target = float(self.target.target_value)
        return self.actual >= target if self.target.higher_is_better else self.actual <= target


def region_report(period: Period) -> dict:
    """The agreement period's KPI targets with the actual figure where the portal has it."""
    agreement = agreement_period_of(period)
    targets = list(KpiTarget.objects.filter(period=agreement)) if agreement else []
    rows = []
    for target in targets:
        fn = KPI_ACTUALS.get(target.key)
        actual = fn(period) if fn else None
        rows.append(
            KpiRow(
                target=target,
                actual=float(actual) if actual is not None else None,
                available=fn is not None,
                running=report_day(period) < period.ends_on,
            )
        )
    day = report_day(period)
    missing = roster.missing_for_span(period.starts_on, day, agreement.name if agreement else period.label)
    return {"agreement": agreement, "rows": rows, "as_of": day, "roster_missing": roster.message_for(missing)}
