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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from inquiries import selectors as inquiry_selectors
from inquiries.models import Dispatch, Outcome
from members.models import Contact, Kommun, Membership
from nki import selectors as nki_selectors
from surveys import selectors as survey_selectors

from ..activities import selectors as activity_selectors
from ..dialog.models import DialogEntry, DialogKind
from ..knowledge.models import GoodExample
from ..maturity.models import LEVEL_ORDER, MaturityAssessment, Track
from ..maturity.selectors import levels_by_kommun
from . import charts, palette
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


DIALOG_LISTED = 5  # the latest entries named on the page; the rest are counted


def entry_label(entry) -> str:
    """An entry's title, led by its kind only where the title does not already say it
    ("Besök i kommunen: mark och lokaler", never "Besök i kommunen: Besök i kommunen: …")."""
    kind = str(entry.get_kind_display())
    title = (entry.title or "").strip()
    if not title or title.casefold() == kind.casefold():
        return kind
    if title.casefold().startswith(kind.casefold()):
        return title
    return f"{kind}: {title}"


def section_dialog(kommun: Kommun, period: Period) -> dict:
    """Meetings and visits with the kommun in the period, by kind, and the latest few by name."""
    entries = list(
        kommun.dialog_entries.filter(date__gte=period.starts_on, date__lte=period.ends_on)
        .order_by("date", "pk")
        .only("pk", "date", "kind", "title")
    )
    counts = Counter(e.kind for e in entries)
    by_kind = [(label, counts[kind]) for kind, label in DialogKind.choices if counts.get(kind)]
    latest = [{"date": e.date, "label": entry_label(e)} for e in reversed(entries[-DIALOG_LISTED:])]
    return {
        "entries": entries,
        "latest": latest,
        "more": max(0, len(entries) - DIALOG_LISTED),
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


def _buckets(period: Period) -> list[tuple[str, datetime.date, datetime.date]]:
    """The chart's groups: the period's years up to the report day, or a single year's quarters."""
    day = report_day(period)
    years = range(period.starts_on.year, day.year + 1)
    if len(years) > 1:
        return [
            (str(y), max(period.starts_on, datetime.date(y, 1, 1)), min(day, datetime.date(y, 12, 31))) for y in years
        ]
    year = period.starts_on.year
    quarters = []
    for q in range(4):
        first = datetime.date(year, 3 * q + 1, 1)
        last = (datetime.date(year + 1, 1, 1) if q == 3 else datetime.date(year, 3 * q + 4, 1)) - datetime.timedelta(1)
        if first <= day and last >= period.starts_on:
            quarters.append((_("Q%(n)d") % {"n": q + 1}, max(first, period.starts_on), min(last, day)))
    return quarters


def inquiry_chart(kommun: Kommun, period: Period, sent: list[tuple], won: list) -> charts.Chart:
    """Inquiries received, answered and won per year (or per quarter of a single year).

    `sent`: (sent day, answered?) per dispatch to the kommun in the period; `won`: the outcomes."""
    groups = []
    for label, first, last in _buckets(period):
        in_bucket = [answered for day, answered in sent if first <= day <= last]
        groups.append(
            (
                label,
                {
                    "received": len(in_bucket),
                    "answered": sum(in_bucket),
                    "won": sum(1 for o in won if first <= o.decided_on <= last),
                },
            )
        )
    series = [
        charts.Series("received", str(_("Received")), palette.INQUIRY_SERIES["received"]),
        charts.Series(
            "answered", pgettext("inquiries in a report chart", "Answered"), palette.INQUIRY_SERIES["answered"]
        ),
        charts.Series("won", str(_("Won")), palette.INQUIRY_SERIES["won"]),
    ]
    description = "; ".join(
        _("%(group)s: %(received)d received, %(answered)d answered, %(won)d won") % {"group": label, **values}
        for label, values in groups
    )
    return charts.column_chart(
        key="chart-inquiries",
        title=_("Inquiries received, answered and won"),
        description=description,
        series=series,
        groups=groups,
    )


def section_inquiries(kommun, period: Period) -> dict:
    """Inquiries the kommun received in the period and what became of them, its answer rate and
    answer time against the region, the establishments won, and the chart of them per year (three
    queries)."""
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
    sent = [
        (timezone.localtime(sent_at).date(), answered_at is not None)
        for sent_at, answered_at in dispatches.filter(kommun=kommun).values_list("sent_at", "answer__answered_at")
    ]
    return {
        "own": own,
        "region": region,
        "own_band": palette.answer_rate_band(own["answer_rate"]),
        "region_band": palette.answer_rate_band(region["answer_rate"]),
        "won": won,
        "jobs": sum(o.jobs or 0 for o in won),
        "investment": sum((o.investment_msek or Decimal("0") for o in won), Decimal("0")),
        "as_of": day,
        "chart": inquiry_chart(kommun, period, sent, won) if sent or won else None,
    }


def nki_chart(kommun: Kommun, year: int, rows: list[dict]) -> charts.Chart:
    series = [
        charts.Series("kommun", kommun.name, palette.NKI_SERIES["kommun"]),
        charts.Series("sba", str(_("SBA average")), palette.NKI_SERIES["sba"]),
        charts.Series("national", str(_("National average")), palette.NKI_SERIES["national"]),
    ]

    def words(value) -> str:
        return charts.fmt(value, 1) if value is not None else "–"

    description = "; ".join(
        _("%(area)s: %(kommun)s, SBA average %(sba)s, national average %(national)s")
        % {
            "area": r["area"].name,
            "kommun": words(r["value"]),
            "sba": words(r["sba"]),
            "national": words(r["national"]),
        }
        for r in rows
    )
    return charts.bar_chart(
        key="chart-nki",
        title=_("NKI %(year)d per area: %(kommun)s against the SBA and national averages")
        % {"year": year, "kommun": kommun.name},
        description=description,
        series=series,
        rows=[(r["area"].name, {"kommun": r["value"], "sba": r["sba"], "national": r["national"]}) for r in rows],
    )


def section_nki(kommun, period: Period) -> dict | None:
    """Per area, the kommun's NKI of one year: the latest complete year up to the period's end in
    which it has results (nki.selectors.latest_complete_year), against the SBA and national
    averages of that year, and the change from the year before as nki.change defines it (a method
    break, too few answers or a change within the margin of error is said in words).

    Only that year's values stand in the table and the chart; an area last measured in an earlier
    year is named apart with its own year (so no 2019 value stands among 2025 rows)."""
    last_year = nki_selectors.latest_complete_year(report_day(period).year)
    preliminary = nki_selectors.preliminary_status(report_day(period).year)
    data = nki_selectors.kommun_nki(kommun=kommun)
    latest = []
    for trend in data.trends:
        point = trend.latest_until(last_year)
        if point is not None and point.cell.value is not None:
            latest.append((trend, point))
    if not latest:
        return {"rows": [], "older": [], "year": None, "preliminary": preliminary, "chart": None}
    year = max(point.year for _trend, point in latest)
    rows, older = [], []
    for trend, point in latest:
        row = {
            "area": trend.area,
            "point": point,
            "value": point.cell.value,
            "sba": point.sba.value,
            "national": point.national.value,
            "band": point.cell.band,
            "flag": point.cell.flag,
            "change": point.change,
        }
        (rows if point.year == year else older).append(row)
    return {
        "rows": rows,
        "older": older,
        "year": year,
        "total": next((r for r in rows if r["area"].is_total), None),
        "preliminary": preliminary,
        "chart": nki_chart(kommun, year, rows),
    }


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


# In the order of the page: two columns on A4, so the charts stand side by side.
def section_activities(kommun: Kommun, period: Period) -> dict | None:
    """SBA's activities the kommun took part in during the period, by kind, with their leads."""
    found = activity_selectors.counts_in_span(period.starts_on, period.ends_on, kommun=kommun)
    return found if found["total"] else None


SECTIONS = [
    Section("inquiries", section_inquiries),
    Section("nki", section_nki),
    Section("maturity", section_maturity),
    Section("dialog", section_dialog),
    Section("knowledge", section_knowledge),
    Section("survey", section_survey),
    Section("activities", section_activities),
    Section("contacts", section_contacts),
    Section("membership", section_membership),
]


def value_report(kommun: Kommun, period: Period) -> list[tuple[str, dict]]:
    """[(template, context)] for each section that has something to show, in order."""
    shown = []
    for section in SECTIONS:
        context = section.context(kommun, period)
        if context is not None:
            shown.append((section.template, {**context, "kommun": kommun, "period": period, "key": section.key}))
    return shown


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    value: str
    note: str = ""


def key_figures(sections: list[tuple[str, dict]]) -> list[KeyFigure]:
    """The few numbers at the top of the report, read from the sections shown (no queries)."""
    by_key = {context["key"]: context for _template, context in sections if "key" in context}
    figures = []
    if inquiries := by_key.get("inquiries"):
        own, region = inquiries["own"], inquiries["region"]
        figures.append(
            KeyFigure(
                "received",
                _("Inquiries received"),
                charts.fmt(own["received"]),
                ngettext("%(n)d answered", "%(n)d answered", own["answered"]) % {"n": own["answered"]},
            )
        )
        figures.append(
            KeyFigure(
                "answer_rate",
                _("Answer rate"),
                f"{own['answer_rate']} %" if own["answer_rate"] is not None else "–",
                _("all members: %(rate)s") % {"rate": f"{region['answer_rate']} %"}
                if region["answer_rate"] is not None
                else "",
            )
        )
        figures.append(
            KeyFigure(
                "won",
                _("Establishments won"),
                charts.fmt(len(inquiries["won"])),
                _("%(jobs)s planned jobs") % {"jobs": charts.fmt(inquiries["jobs"])} if inquiries["won"] else "",
            )
        )
    if (nki := by_key.get("nki")) and nki.get("total"):
        total = nki["total"]
        figures.append(
            KeyFigure(
                "nki",
                _("NKI overall %(year)d") % {"year": nki["year"]},
                charts.fmt(total["value"], 1),
                _("SBA average: %(value)s") % {"value": charts.fmt(total["sba"], 1)}
                if total["sba"] is not None
                else "",
            )
        )
    if dialog := by_key.get("dialog"):
        figures.append(
            KeyFigure(
                "meetings",
                _("Meetings and contacts"),
                charts.fmt(dialog["total"]),
                ngettext("%(n)d visit in the kommun", "%(n)d visits in the kommun", dialog["visits"])
                % {"n": dialog["visits"]},
            )
        )
    return figures
