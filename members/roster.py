"""Who was an SBA member when: the one source for every figure of a year or an agreement period.

- A span's members (a year, a period) are the kommuner whose membership covers at least one day of
  it: a kommun that left in June still counts in that year's SBA average, one that joined the year
  after does not (`Kommun.objects.members_during`, `members_in_year`).
- A span's member list is *recorded* when every agreement period overlapping it has
  `roster_recorded`; a span that no period covers has no list. Where the list is missing, a figure
  is unknown and says so (`Roster.missing_message`), never today's members in its place.
- "Today" (the kommun list, the map, who gets an e-mail now) stays `Kommun.objects.members()`.

Each function below takes a fixed number of queries whatever the number of years or kommuner.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from .models import AgreementPeriod, Kommun, Membership, membership_during_q


def year_span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@dataclass(frozen=True)
class Roster:
    """The members of one span, or the names of the periods whose member list is missing."""

    label: str  # "2023" or "2021–2024"
    member_ids: frozenset[int]
    missing: tuple[str, ...] = ()  # period names (or the year) without a recorded member list

    @property
    def recorded(self) -> bool:
        return not self.missing

    @property
    def missing_message(self) -> str:
        if not self.missing:
            return ""
        return gettext("The member list for %(period)s is missing.") % {"period": ", ".join(self.missing)}

    def __contains__(self, kommun_id: int) -> bool:
        return kommun_id in self.member_ids


def _missing(periods: list[AgreementPeriod], start: datetime.date, end: datetime.date, label: str) -> tuple[str, ...]:
    overlapping = [p for p in periods if p.starts_on <= end and p.ends_on >= start]
    if not overlapping:
        return (label,)
    return tuple(p.name for p in overlapping if not p.roster_recorded)


def missing_by_year(years: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """For each year, the periods (or the year itself) whose member list is missing (one query)."""
    periods = list(AgreementPeriod.objects.order_by("starts_on"))
    return {year: _missing(periods, *year_span(year), str(year)) for year in years}


def missing_for_span(starts_on: datetime.date, ends_on: datetime.date, label: str) -> tuple[str, ...]:
    """The periods overlapping the span whose member list is missing, or the label (one query)."""
    return _missing(list(AgreementPeriod.objects.order_by("starts_on")), starts_on, ends_on, label)


def message_for(missing: tuple[str, ...]) -> str:
    return Roster("", frozenset(), missing).missing_message


class Spans:
    """Every membership as (kommun, from, until), read in one query, for counting members on many
    days or years in Python (the same rule as `membership_during_q`: a day of the span is covered)."""

    def __init__(self, queryset=None) -> None:
        queryset = Membership.objects.all() if queryset is None else queryset
        self.spans = list(queryset.order_by().values_list("kommun_id", "starts_on", "ends_on"))

    def during(self, starts_on: datetime.date, ends_on: datetime.date) -> set[int]:
        return {k for k, start, end in self.spans if start <= ends_on and (end is None or end >= starts_on)}

    def on(self, day: datetime.date) -> set[int]:
        return self.during(day, day)

    def in_year(self, year: int) -> set[int]:
        return self.during(*year_span(year))

    def kommuner(self) -> set[int]:
        return {k for k, _start, _end in self.spans}


def rosters_for_years(years: Iterable[int]) -> dict[int, Roster]:
    """Each year's members and whether its list is recorded (two queries: periods, memberships)."""
    years = sorted(set(years))
    if not years:
        return {}
    missing = missing_by_year(years)
    spans = Spans(Membership.objects.filter(membership_during_q(year_span(years[0])[0], year_span(years[-1])[1])))
    members = {year: spans.in_year(year) for year in years}
    return {
        year: Roster(str(year), frozenset(members[year]) if not missing[year] else frozenset(), missing[year])
        for year in years
    }


def roster_for_year(year: int) -> Roster:
    return rosters_for_years([year])[year]


def roster_for_span(starts_on: datetime.date, ends_on: datetime.date, label: str) -> Roster:
    """The members of a span, e.g. an agreement period or a report's period (two queries)."""
    periods = list(AgreementPeriod.objects.order_by("starts_on"))
    missing = _missing(periods, starts_on, ends_on, label)
    if missing:
        return Roster(label, frozenset(), missing)
    ids = Kommun.objects.members_during(starts_on, ends_on).values_list("pk", flat=True)
    return Roster(label, frozenset(ids))


def member_that_year(kommun_field: str = "kommun_id", year_field: str = "year") -> Exists:
    """A filter for rows carrying a kommun and a year (e.g. NKI results): the kommun was a member
    on at least one day of that year. No query of its own; combine with `missing_by_year`."""
    return Exists(
        Membership.objects.filter(kommun_id=OuterRef(kommun_field), starts_on__year__lte=OuterRef(year_field)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=OuterRef(year_field))
        )
    )
