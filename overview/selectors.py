"""Reads that combine the floors below (members, and through the registries inquiries and nki).

Every function here uses a fixed number of queries whatever the number of kommuner or rows.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members import access, cache
from members.models import AgreementPeriod, Contact, Kommun, Membership

from . import maturity
from .map import render_svg
from .models import (
    LEVEL_ORDER,
    Answer,
    DialogEntry,
    DialogKind,
    FollowUp,
    KpiTarget,
    Level,
    MaturityAnswer,
    MaturityAssessment,
    MaturityCriterion,
    Track,
)
from .registry import Period, map_measures, registries, report_sections

# --- Maturity ------------------------------------------------------------------------------------


def latest_assessments(*, on: datetime.date | None = None) -> QuerySet[MaturityAssessment]:
    """The latest assessment per kommun and track (submitted on or before `on`), in one query."""
    candidates = MaturityAssessment.objects.filter(kommun=OuterRef("kommun"), track=OuterRef("track"))
    if on is not None:
        candidates = candidates.filter(submitted_at__date__lte=on)
    latest = candidates.order_by("-submitted_at", "-pk").values("pk")[:1]
    queryset = MaturityAssessment.objects.filter(pk=Subquery(latest))
    if on is not None:
        queryset = queryset.filter(submitted_at__date__lte=on)
    return queryset


def levels_by_kommun(kommun_ids: list[int] | None = None, *, on: datetime.date | None = None) -> dict:
    """{(kommun_id, track): level} from the latest assessments (one query).

    Driven by the kommuner, not the assessments: one index lookup (kommun, track, submitted_at)
    per kommun and track, so the cost does not grow with years of assessment history.
    """
    kommuner = Kommun.objects.all() if kommun_ids is None else Kommun.objects.filter(pk__in=kommun_ids)
    latest = {}
    for track in Track.values:
        candidates = MaturityAssessment.objects.filter(kommun=OuterRef("pk"), track=track)
        if on is not None:
            candidates = candidates.filter(submitted_at__date__lte=on)
        latest[f"level_{track}"] = Subquery(candidates.order_by("-submitted_at", "-pk").values("level")[:1])
    levels = {}
    for row in kommuner.order_by().annotate(**latest).values("pk", *latest):
        for track in Track.values:
            if row[f"level_{track}"] is not None:
                levels[(row["pk"], track)] = row[f"level_{track}"]
    return levels


def at_least(level: str | None, floor: str) -> bool:
    return level is not None and LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(floor)


@dataclass
class TrackMaturity:
    track: str
    label: str
    assessment: MaturityAssessment | None
    level: str | None  # as assessed (None: never assessed)
    level_today: str  # with the latest answers and today's evidence
    rows_by_level: list[tuple[str, list[maturity.CriterionRow]]]
    neutral: list[MaturityCriterion]
    next_level: str | None
    next_steps: list[maturity.CriterionRow]
    history: list[MaturityAssessment]
    disagreements: int


def kommun_maturity(kommun: Kommun) -> list[TrackMaturity]:
    """Both tracks of one kommun: latest answers beside today's evidence, next steps, history.

    Queries: criteria, the kommun's assessments (with who submitted and confirmed), the answers of
    the latest ones, and one per evidence function.
    """
    criteria = list(MaturityCriterion.objects.filter(is_active=True))
    assessments = list(
        MaturityAssessment.objects.filter(kommun=kommun)
        .select_related("submitted_by", "confirmed_by")
        .order_by("-submitted_at", "-pk")
    )
    latest: dict[str, MaturityAssessment] = {}
    for assessment in assessments:
        latest.setdefault(assessment.track, assessment)
    answers: dict[int, MaturityAnswer] = {
        a.criterion_id: a for a in MaturityAnswer.objects.filter(assessment__in=[a.pk for a in latest.values()])
    }
    evidence = maturity.evidence_by_criterion(criteria, kommun.pk)
    answer_labels = dict(Answer.choices)
    result = []
    for track, label in Track.choices:
        track_criteria = [c for c in criteria if c.track == track]
        rows, met = {}, {}
        for criterion in track_criteria:
            if not criterion.is_asked:
                continue
            answer = answers.get(criterion.pk)
            found = evidence.get(criterion.pk)
            value = answer.answer if answer else None
            met[criterion.pk] = maturity.is_met(value, found.met if found else None)
            rows[criterion.pk] = maturity.CriterionRow(
                criterion=criterion,
                answer=value,
                answer_label=str(answer_labels.get(value, pgettext("maturity answer", "Not answered"))),
                comment=answer.comment if answer else "",
                evidence=found,
                met=met[criterion.pk],
            )
        assessment = latest.get(track)
        level_today = maturity.compute_level(track_criteria, met)
        steps = maturity.next_steps(track_criteria, met, level_today)
        result.append(
            TrackMaturity(
                track=track,
                label=str(label),
                assessment=assessment,
                level=assessment.level if assessment else None,
                level_today=level_today,
                rows_by_level=[
                    (level, [rows[c.pk] for c in track_criteria if c.level == level and c.pk in rows])
                    for level in LEVEL_ORDER[1:]
                ],
                neutral=[c for c in track_criteria if not c.is_asked],
                next_level=maturity.next_level(level_today),
                next_steps=[rows[c.pk] for c in steps],
                history=[a for a in assessments if a.track == track],
                disagreements=sum(1 for r in rows.values() if r.disagrees),
            )
        )
    return result


def assessment_page(*, user, pk: int) -> MaturityAssessment:
    queryset = MaturityAssessment.objects.select_related("kommun", "submitted_by", "confirmed_by").prefetch_related(
        Prefetch("answers", queryset=MaturityAnswer.objects.select_related("criterion"))
    )
    return access.get_visible_or_404(user, queryset, "kommun", pk=pk)


def member_ids(on: datetime.date | None = None) -> list[int]:
    return list(Kommun.objects.members(on).values_list("pk", flat=True))


def maturity_distribution(*, on: datetime.date | None = None) -> list[dict]:
    """Per track: how many members are at each level, and how many have not assessed (2 queries)."""
    members = member_ids(on)
    levels = levels_by_kommun(members, on=on)
    rows = []
    for track, label in Track.choices:
        counts = Counter(levels.get((pk, track)) for pk in members)
        rows.append(
            {
                "track": track,
                "label": str(label),
                "levels": [(level, counts.get(level, 0)) for level in LEVEL_ORDER],
                "not_assessed": counts.get(None, 0),
                "total": len(members),
            }
        )
    return rows


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_first - datetime.timedelta(days=1)


def maturity_over_time(*, quarters: int = 12, today: datetime.date | None = None) -> dict:
    """Per track and quarter end: members at each level (latest assessment by then). 2 queries.

    Members are today's members; the quarters run from the first assessment (at most `quarters`).
    """
    today = today or timezone.localdate()
    members = set(member_ids())
    rows = list(
        MaturityAssessment.objects.filter(kommun_id__in=members)
        .order_by("submitted_at", "pk")
        .values_list("kommun_id", "track", "level", "submitted_at")
    )
    if not rows:
        return {"quarters": [], "tracks": []}
    first = quarter_of(timezone.localtime(rows[0][3]).date())
    last = quarter_of(today)
    labels = []
    year, quarter = first
    while (year, quarter) <= last:
        labels.append((year, quarter))
        year, quarter = (year + (quarter == 4), quarter % 4 + 1)
    labels = labels[-quarters:]
    tracks = []
    for track, label in Track.choices:
        series = {level: [] for level in LEVEL_ORDER}
        not_assessed = []
        state: dict[int, str] = {}
        index = 0
        track_rows = [r for r in rows if r[1] == track]
        for year, quarter in labels:
            end = quarter_end(year, quarter)
            while index < len(track_rows) and timezone.localtime(track_rows[index][3]).date() <= end:
                state[track_rows[index][0]] = track_rows[index][2]
                index += 1
            counts = Counter(state.values())
            for level in LEVEL_ORDER:
                series[level].append(counts.get(level, 0))
            not_assessed.append(len(members) - len(state))
        tracks.append(
            {
                "track": track,
                "label": str(label),
                "series": [(level, series[level]) for level in LEVEL_ORDER],
                "not_assessed": not_assessed,
                "rows": [
                    {
                        "quarter": f"{y} Q{q}",
                        "levels": [series[level][i] for level in LEVEL_ORDER],
                        "not_assessed": not_assessed[i],
                    }
                    for i, (y, q) in enumerate(labels)
                ],
            }
        )
    return {"quarters": [f"{y} Q{q}" for y, q in labels], "tracks": tracks}


def maturity_chart(over_time: dict) -> dict:
    """The over-time figures shaped for Chart.js (one stacked bar chart per track)."""
    return {
        "labels": over_time["quarters"],
        "tracks": [
            {
                "label": t["label"],
                "datasets": [{"label": level.upper(), "data": data} for level, data in t["series"]]
                + [{"label": _("Not assessed"), "data": t["not_assessed"]}],
            }
            for t in over_time["tracks"]
        ],
    }


def maturity_member_table() -> list[dict]:
    """Every member with its level per track and when it was last assessed (2 queries)."""
    members = list(Kommun.objects.members().select_related("lan").order_by("name"))
    latest = {(a.kommun_id, a.track): a for a in latest_assessments().filter(kommun_id__in=[k.pk for k in members])}
    return [
        {
            "kommun": kommun,
            "tracks": [latest.get((kommun.pk, track)) for track, _label in Track.choices],
        }
        for kommun in members
    ]


# --- Dialog log ----------------------------------------------------------------------------------


def dialog_entries_visible_to(user) -> QuerySet[DialogEntry]:
    """Staff: every entry. A kommun user: the entries their kommun took part in. Others: none.

    The rule is access.scope_to_kommun's; it is spelled out here because an entry reaches its
    kommuner through a many-to-many table, which has no `<path>_id` column to filter on.
    """
    queryset = DialogEntry.objects.all()
    if access.is_staff(user):
        return queryset
    kommun_id = access.kommun_id_of(user)
    if kommun_id is None:
        return queryset.none()
    return queryset.filter(
        pk__in=DialogEntry.kommuner.through.objects.filter(kommun_id=kommun_id).values("dialogentry_id")
    )


def dialog_list(*, user, kommun_code: str = "", kind: str = "") -> QuerySet[DialogEntry]:
    """Entries the user may see, newest first, with kommuner prefetched (2 queries a page)."""
    queryset = dialog_entries_visible_to(user).prefetch_related(
        Prefetch("kommuner", queryset=Kommun.objects.order_by("name"))
    )
    if kommun_code:
        queryset = queryset.filter(kommuner__code=kommun_code)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-date", "-pk")


def dialog_entry_page(*, user, pk: int) -> DialogEntry:
    """One entry the user may see (404 otherwise). A kommun user gets only their own contacts."""
    kommun_id = access.kommun_id_of(user)
    contacts = Contact.objects.select_related("kommun").order_by("kommun__name", "name")
    if not access.is_staff(user):
        contacts = contacts.filter(kommun_id=kommun_id)
    queryset = dialog_entries_visible_to(user).prefetch_related(
        Prefetch("kommuner", queryset=Kommun.objects.order_by("name")),
        Prefetch("contacts", queryset=contacts),
        "staff",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
    )
    try:
        return queryset.get(pk=pk)
    except DialogEntry.DoesNotExist:
        raise Http404 from None


def members_by_contact(*, order: str = "contact") -> QuerySet[Kommun]:
    """Members with their last contact and last visit in the kommun; longest without first (1 query)."""
    queryset = (
        Kommun.objects.members()
        .select_related("lan")
        .annotate(
            last_contact=Max("dialog_entries__date"),
            last_visit=Max("dialog_entries__date", filter=Q(dialog_entries__kind=DialogKind.VISIT)),
        )
    )
    field = "last_visit" if order == "visit" else "last_contact"
    return queryset.order_by(F(field).asc(nulls_first=True), "name")


def days_since(day: datetime.date | None, today: datetime.date | None = None) -> int | None:
    if day is None:
        return None
    return ((today or timezone.localdate()) - day).days


def members_without_contact(*, days: int | None = None) -> list[Kommun]:
    """Members with no dialog entry in the last `days` days (setting DIALOG_NO_CONTACT_DAYS).

    The members met recently are excluded first (entries since then, by the date index), so the
    last-contact aggregate only runs over the few members left, not over years of dialog.
    """
    days = days if days is not None else settings.DIALOG_NO_CONTACT_DAYS
    since = timezone.localdate() - datetime.timedelta(days=days)
    met_since = DialogEntry.kommuner.through.objects.filter(kommun=OuterRef("pk"), dialogentry__date__gte=since)
    return list(members_by_contact().exclude(Exists(met_since)))


def follow_ups_open(*, owner=None, due_within_days: int | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups, earliest due first, with entry and owner (1 query + kommuner prefetch)."""
    queryset = (
        FollowUp.objects.filter(done_at__isnull=True)
        .select_related("entry", "owner")
        .prefetch_related(Prefetch("entry__kommuner", queryset=Kommun.objects.order_by("name")))
        .order_by("due_on", "pk")
    )
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if due_within_days is not None:
        queryset = queryset.filter(due_on__lte=timezone.localdate() + datetime.timedelta(days=due_within_days))
    return queryset


def last_meeting(kommun: Kommun) -> DialogEntry | None:
    return kommun.dialog_entries.order_by("-date", "-pk").first()


# --- Periods -------------------------------------------------------------------------------------


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


# --- Member value report -------------------------------------------------------------------------


def report_day(period: Period) -> datetime.date:
    """The day a period's figures are read at: its end, or today while it is still running."""
    return min(period.ends_on, timezone.localdate())


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
        Contact.objects.filter(kommun=kommun, role__in=REPORT_CONTACT_ROLES).order_by("role", "-is_primary", "name")
    )
    return {"contacts": contacts}


def value_report(kommun: Kommun, period: Period) -> list[tuple[str, dict]]:
    """[(template, context)] for each registered section that has something to show."""
    shown = []
    for section in report_sections():
        context = section.context(kommun, period)
        if context is not None:
            shown.append((section.template, {**context, "kommun": kommun, "period": period}))
    return shown


# --- Region report: KPI targets against actual figures -------------------------------------------


def kpi_members(period: Period):
    return Kommun.objects.members(report_day(period)).count()


def _share_at_least_aktiv(track: str):
    def actual(period: Period):
        day = report_day(period)
        members = member_ids(day)
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
    members = Kommun.objects.members(day)
    total = members.count()
    if not total:
        return None
    met = members.filter(dialog_entries__date__gte=period.starts_on, dialog_entries__date__lte=day).distinct().count()
    return round(100 * met / total, 1)


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
        fn = registries.kpi_actuals.get(target.key)
        actual = fn(period) if fn else None
        rows.append(
            KpiRow(
                target=target,
                actual=float(actual) if actual is not None else None,
                available=fn is not None,
                running=report_day(period) < period.ends_on,
            )
        )
    return {"agreement": agreement, "rows": rows, "as_of": report_day(period)}


# --- Staff overview ------------------------------------------------------------------------------


def staff_overview() -> dict:
    """Today's work on the staff start page: follow-ups due and members not met lately.

    Members not met are cached until the next dialog or register write (or midnight).
    """
    without = cache.get_or_build(
        "members-without-contact",
        settings.DIALOG_NO_CONTACT_DAYS,
        topics=("dialog", "register"),
        by_date=True,
        build=members_without_contact,
    )
    return {
        "follow_ups": list(follow_ups_open(due_within_days=7)[:20]),
        "without_contact": without[:15],
        "without_contact_count": len(without),
        "no_contact_days": settings.DIALOG_NO_CONTACT_DAYS,
        "today": timezone.localdate(),
    }


# What the region part of the staff start page is built from, besides the chosen map measure.
REGION_TOPICS = ("register", "maturity")


def region_figures() -> dict:
    """Members per län and maturity levels for the staff start page; a fixed number of queries."""
    members_per_lan = list(
        Kommun.objects.members().values("lan__code", "lan__name").annotate(count=Count("id")).order_by("lan__code")
    )
    return {
        "member_count": sum(row["count"] for row in members_per_lan),
        "members_per_lan": members_per_lan,
        "kommun_count": Kommun.objects.count(),
        "period": AgreementPeriod.current(),
        "distribution": maturity_distribution(),
    }


def region_map(*, measure_key: str = "") -> dict:
    """The region map coloured by a registered measure (the first one if the key is unknown).

    Queries: the members, plus the measure's own (fixed) queries; the outlines are cached.
    """
    measures = map_measures()
    measure = next((m for m in measures if m.key == measure_key), measures[0])
    members = list(Kommun.objects.members().order_by("name"))
    values = measure.values([k.pk for k in members])
    none_label = _("No value")
    return {
        "measures": measures,
        "measure": measure,
        "measure_label": measure.label(),
        "legend": [*measure.legend(), ("map-none", none_label)],
        "map_svg": render_svg(
            kommuner=members,
            values=values,
            title=_("Map of the SBA member kommuner: %(measure)s") % {"measure": measure.label()},
            none_class="map-none",
            none_label=none_label,
        ),
        "map_rows": [(k, values.get(k.pk)) for k in members],
        "none_label": none_label,
    }


def kommun_panel(kommun: Kommun) -> dict:
    """For the kommun page: level per track, confirmed or not, and the last meeting (2 queries)."""
    latest = {a.track: a for a in latest_assessments().filter(kommun=kommun)}
    return {
        "tracks": [(str(label), latest.get(track)) for track, label in Track.choices],
        "last_meeting": last_meeting(kommun),
    }
