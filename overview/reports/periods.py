"""Reporting periods: the agreement periods and the calendar years a report can be read for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import AgreementPeriod


@dataclass(frozen=True)
class Period:
    """A reporting period: an agreement period or a calendar year (both ends included)."""

    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    key: str = ""  # the query-string value that selects it, e.g. "period-3" or "year-2025"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def report_periods(today: datetime.date | None = None) -> list[Period]:
    """Agreement periods (newest first), then calendar years from the first period to this year."""
    today = today or timezone.localdate()
    periods = [
        Period(
            label=_("Agreement period %(name)s") % {"name": p.name},
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            key=f"period-{p.pk}",
        )
        for p in AgreementPeriod.objects.order_by("-starts_on")
        if p.starts_on <= today
    ]
    first_year = min((p.starts_on.year for p in periods), default=today.year)
    years = [
        Period(
            label=str(year),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            key=f"year-{year}",
        )
        for year in range(today.year, first_year - 1, -1)
    ]
    return periods + years


def parse_period(value: str, periods: list[Period]) -> Period | None:
    """The period chosen by its key; the current agreement period (or this year) by default."""
    if not value:
        today = timezone.localdate()
        return next(
            (p for p in periods if p.key.startswith("period-") and p.contains(today)), periods[0] if periods else None
        )
    return next((p for p in periods if p.key == value), None)


def agreement_period_of(period: Period) -> AgreementPeriod | None:
    """The agreement period a report period is, or lies in (by its start)."""
    return AgreementPeriod.objects.filter(starts_on__lte=period.starts_on, ends_on__gte=period.starts_on).first()


def report_day(period: Period) -> datetime.date:
    """The day a period's figures are read at: its end, or today while it is still running."""
    return min(period.ends_on, timezone.localdate())


def day_range(starts_on: datetime.date, ends_on: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first and the last moment of a range of days, in the portal's time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(ends_on, datetime.time.max, tzinfo=tz),
    )
