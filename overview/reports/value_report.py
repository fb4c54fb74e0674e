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
from surveys import selectors as survey_selectors

from ..dialog.models import DialogEntry, DialogKind
from ..knowledge.models import GoodExample
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


def section_survey(kommun, period: Period) -> dict | None:
    """The region's answers to the latest member survey closed by the period's end: the response
    rate and the mean per scale question. Never whether this kommun answered (it is anonymous)."""
    survey = survey_selectors.latest_closed(until_year=report_day(period).year)
    if survey is None:
        return None
    groups = survey_selectors.groups(survey)
    region = survey_selectors.group_from("", groups)
    results = survey_selectors.results(survey, region, with_texts=False) if region else []
    return {
        "survey": survey,
        "counts": survey_selectors.counts(survey),
        "means": [r for r in results if r.mean is not None],
    }


def section_knowledge(kommun: Kommun, period: Period) -> dict | None:
    """The kommun's share in the knowledge sharing: its good examples published (reviewed) in the
    period, the groups it is in and their meetings in the period. Left out when there is none."""
    starts, ends = day_range(period.starts_on, report_day(period))
    examples = list(
        GoodExample.objects.filter(
            kommun=kommun, status=GoodExample.Status.PUBLISHED, reviewed_at__gte=starts, reviewed_at__lte=ends
        ).order_by("title")
    )
    groups = list(kommun.exchange_groups.filter(is_active=True).order_by("name"))
    meetings = DialogEntry.objects.filter(
        kommuner=kommun, group__isnull=False, date__gte=period.starts_on, date__lte=report_day(period)
    ).count()
    if not (examples or groups or meetings):
        return None
    return {"examples": examples, "groups": groups, "meetings": meetings}


@dataclass(frozen=True)
class Section:
    key: str
    context: Callable[[Kommun, Period], dict | None]

    @property
    def template(self) -> str:
        return f"overview/reports/sections/{self.key}.html"


SECTIONS = [
    Section("membership", section_membership),
    Section("inquiries", section_inquiries),
    Section("nki", section_nki),
    Section("maturity", section_maturity),
    Section("dialog", section_dialog),
    Section("knowledge", section_knowledge),
    Section("survey", section_survey),
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
