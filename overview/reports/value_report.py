"""The member value report: what SBA membership brought one kommun in a period, for its politicians.

The report is the SECTIONS below, in order: each a function (kommun, period) → the context for its
template `overview/reports/sections/<key>.html`, or None to leave the section out. Each uses a
fixed number of queries. Adding a section: one function, one template, one line in SECTIONS.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from inquiries import selectors as inquiry_selectors
from inquiries.models import Dispatch, Outcome
from members.models import Contact, Kommun, Membership
from nki import selectors as nki_selectors

from ..activities import selectors as activity_selectors
from ..dialog.models import DialogKind
from ..maturity.models import LEVEL_ORDER, MaturityAssessment, Track
from ..maturity.selectors import levels_by_kommun
from .periods import Period, day_range, report_day


def section_membership(kommun: Kommun, period: Period) -> dict:
    memberships = list(
        Membership.objects.filter(kommun=kommun, starts_on__lte=period.ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))
        .select_related("period")
        .order_by("starts_on")
    )
    return {"memberships": memberships, "is_member": any(m.is_active(report_day(period)) for m in memberships)}


def section_maturity(kommun: Kommun, period: Period) -> dict:
    """Level per track at the start and at the end of the period, and the change between them.

    The start is the latest assessment before the period; a kommun first assessed during the
    period starts from that first assessment (marked as such), so its change still shows.
    """
    day_before = period.starts_on - datetime.timedelta(days=1)
    end_day = report_day(period)
    start = levels_by_kommun([kommun.pk], on=day_before)
    end = levels_by_kommun([kommun.pk], on=end_day)
    first_in_period: dict[str, MaturityAssessment] = {}
    for assessment in MaturityAssessment.objects.filter(
        kommun=kommun, submitted_at__date__gte=period.starts_on, submitted_at__date__lte=end_day
    ).order_by("submitted_at", "pk"):
        first_in_period.setdefault(assessment.track, assessment)
    rows = []
    for track, label in Track.choices:
        before, after = start.get((kommun.pk, track)), end.get((kommun.pk, track))
        first = None
        if before is None and track in first_in_period:
            first = first_in_period[track]
            before = first.level
        change = None
        if before and after:
            change = LEVEL_ORDER.index(after) - LEVEL_ORDER.index(before)
        rows.append(
            {
                "track": track,
                "label": str(label),
                "start": before,
                "first_assessed": first.submitted_at if first else None,
                "end": after,
                "change": change,
            }
        )
    return {"rows": rows}


def section_dialog(kommun: Kommun, period: Period) -> dict:
    """Meetings and visits with the kommun in the period, by kind, and the list (shared notes only)."""
    entries = list(
        kommun.dialog_entries.filter(date__gte=period.starts_on, date__lte=period.ends_on)
        .order_by("date", "pk")
        .only("pk", "date", "kind", "title", "notes")
    )
    counts = Counter(e.kind for e in entries)
    by_kind = [(label, counts[kind]) for kind, label in DialogKind.choices if counts.get(kind)]
    return {
        "entries": entries,
        "by_kind": by_kind,
        "total": len(entries),
        "visits": counts.get(DialogKind.VISIT, 0),
    }


REPORT_CONTACT_ROLES = [
    Contact.Role.KSO,
    Contact.Role.KOMMUNDIREKTOR,
    Contact.Role.NARINGSLIVSCHEF,
    Contact.Role.INVESTMENT,
    Contact.Role.NKI,
]


def section_contacts(kommun: Kommun, period: Period) -> dict:
    contacts = list(
        Contact.objects.active()
        .filter(kommun=kommun)
        .filling(REPORT_CONTACT_ROLES)
        .order_by("role", "-is_primary", "name")
    )
    return {"contacts": contacts}


def section_inquiries(kommun, period: Period) -> dict:
    """Inquiries the kommun received in the period and what became of them, its answer rate and
    answer time against the region, and the establishments won (two queries)."""
    day = report_day(period)
    start, end = day_range(period.starts_on, day)
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


def section_nki(kommun, period: Period) -> dict | None:
    """Per area, the kommun's latest NKI up to the period's end in a complete year
    (nki.selectors.latest_complete_year) against the SBA and national averages of that year, and
    the change from the year before as nki.change defines it (a method break, too few answers or a
    change within the margin of error is said in words, not as a number)."""
    last_year = nki_selectors.latest_complete_year(report_day(period).year)
    preliminary = nki_selectors.preliminary_status(report_day(period).year)
    data = nki_selectors.kommun_nki(kommun=kommun)
    rows = []
    for trend in data.trends:
        point = trend.latest_until(last_year)
        if point is None:
            continue
        rows.append(
            {
                "area": trend.area,
                "point": point,
                "band": point.cell.band,
                "flag": point.cell.flag,
                "change": point.change,
            }
        )
    if not rows:
        return {"rows": [], "year": None, "preliminary": preliminary}
    year = max(r["point"].year for r in rows)
    return {"rows": rows, "year": year, "preliminary": preliminary}


@dataclass(frozen=True)
class Section:
    key: str
    context: Callable[[Kommun, Period], dict | None]

    @property
    def template(self) -> str:
        return f"overview/reports/sections/{self.key}.html"


def section_activities(kommun: Kommun, period: Period) -> dict | None:
    """SBA's activities the kommun took part in during the period, by kind, with their leads."""
    found = activity_selectors.counts_in_span(period.starts_on, period.ends_on, kommun=kommun)
    return found if found["total"] else None


SECTIONS = [
    Section("membership", section_membership),
    Section("inquiries", section_inquiries),
    Section("nki", section_nki),
    Section("maturity", section_maturity),
    Section("dialog", section_dialog),
    Section("activities", section_activities),
    Section("contacts", section_contacts),
]


def value_report(kommun: Kommun, period: Period) -> list[tuple[str, dict]]:
    """[(template, context)] for each section that has something to show, in order."""
    shown = []
    for section in SECTIONS:
        context = section.context(kommun, period)
        if context is not None:
            shown.append((section.template, {**context, "kommun": kommun, "period": period}))
    return shown
