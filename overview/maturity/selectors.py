"""Reads of the maturity model: levels per kommun and track, a kommun's page, the region's picture.

Every function uses a fixed number of queries whatever the number of kommuner or assessments.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members import access, roster
from members.models import Kommun

from . import rules
from .evidence import evidence_by_criterion
from .models import LEVEL_ORDER, Answer, MaturityAnswer, MaturityAssessment, MaturityCriterion, Track


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
    level: str | None  # from the latest answers as decided (None: never assessed)
    rows_by_level: list[tuple[str, list[rules.CriterionRow]]]
    neutral: list[MaturityCriterion]
    next_level: str | None
    next_steps: list[rules.CriterionRow]
    history: list[MaturityAssessment]
    disagreements: int  # answer and data disagree (decided or not)
    awaiting: int  # … and Invest Stockholm has not decided yet
    data_changed: int  # today's data says otherwise than the data stored with the answer


def kommun_maturity(kommun: Kommun) -> list[TrackMaturity]:
    """Both tracks of one kommun: the latest answers with the data stored beside them (and today's
    where it has changed), staff decisions, next steps, history.

    Queries: criteria, the kommun's assessments (with who submitted and confirmed), the answers of
    the latest ones (with who decided), and one per evidence function.
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
        a.criterion_id: a
        for a in MaturityAnswer.objects.filter(assessment__in=[a.pk for a in latest.values()]).select_related(
            "decided_by"
        )
    }
    evidence = evidence_by_criterion(criteria, kommun.pk)
    answer_labels = dict(Answer.choices)
    result = []
    for track, label in Track.choices:
        track_criteria = [c for c in criteria if c.track == track]
        rows, met = {}, {}
        for criterion in track_criteria:
            if not criterion.is_asked:
                continue
            stored = answers.get(criterion.pk)
            met[criterion.pk] = rules.is_met(stored.answer, stored.evidence_met, stored.decision) if stored else False
            rows[criterion.pk] = rules.CriterionRow(
                criterion=criterion,
                stored=stored,
                answer_label=str(
                    answer_labels.get(stored.answer) if stored else pgettext("maturity answer", "Not answered")
                ),
                evidence_today=evidence.get(criterion.pk),
                met=met[criterion.pk],
            )
        assessment = latest.get(track)
        level_now = rules.compute_level(track_criteria, met)
        steps = rules.next_steps(track_criteria, met, level_now)
        result.append(
            TrackMaturity(
                track=track,
                label=str(label),
                assessment=assessment,
                level=assessment.level if assessment else None,
                rows_by_level=[
                    (level, [rows[c.pk] for c in track_criteria if c.level == level and c.pk in rows])
                    for level in LEVEL_ORDER[1:]
                ],
                neutral=[c for c in track_criteria if not c.is_asked],
                next_level=rules.next_level(level_now),
                next_steps=[rows[c.pk] for c in steps],
                history=[a for a in assessments if a.track == track],
                disagreements=sum(1 for r in rows.values() if r.stored and r.disagrees),
                awaiting=sum(1 for r in rows.values() if r.awaits_decision),
                data_changed=sum(1 for r in rows.values() if r.data_changed),
            )
        )
    return result


def assessment_page(*, user, pk: int) -> MaturityAssessment:
    queryset = MaturityAssessment.objects.select_related("kommun", "submitted_by", "confirmed_by").prefetch_related(
        Prefetch("answers", queryset=MaturityAnswer.objects.select_related("criterion", "decided_by"))
    )
    return access.get_visible_or_404(user, queryset, "kommun", pk=pk)


def decision_history(assessment: MaturityAssessment) -> list:
    """Every decision staff recorded on the assessment's answers, oldest first (one query)."""
    records = (
        MaturityAnswer.history.filter(assessment_id=assessment.pk)
        .exclude(decision="")
        .select_related("decided_by", "criterion")
        .order_by("history_date", "history_id")
    )
    changes, last = [], {}
    for record in records:
        marker = (record.decision, record.decided_at)
        if last.get(record.id) == marker:
            continue  # a save that did not change the decision
        last[record.id] = marker
        changes.append(record)
    return changes


def answer_to_decide(*, user, pk: int) -> MaturityAnswer:
    """One answer of a kommun the user may see (outsiders: 404)."""
    queryset = MaturityAnswer.objects.select_related("assessment__kommun", "criterion")
    return access.get_visible_or_404(user, queryset, "assessment__kommun", pk=pk)


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
    """Per track and quarter end: the members *of that day* at each level (latest assessment by
    then). Three queries: the memberships, the agreement periods, the assessments.

    The quarters run from the first assessment (at most `quarters`); a quarter whose member list is
    not recorded (members.roster) is left out and named in `roster_missing`, never counted over
    today's members.
    """
    today = today or timezone.localdate()
    spans = roster.Spans()
    rows = list(
        MaturityAssessment.objects.filter(kommun_id__in=spans.kommuner())
        .order_by("submitted_at", "pk")
        .values_list("kommun_id", "track", "level", "submitted_at")
    )
    if not rows:
        return {"quarters": [], "tracks": [], "roster_missing": ""}
    first = quarter_of(timezone.localtime(rows[0][3]).date())
    last = quarter_of(today)
    labels = []
    year, quarter = first
    while (year, quarter) <= last:
        labels.append((year, quarter))
        year, quarter = (year + (quarter == 4), quarter % 4 + 1)
    labels = labels[-quarters:]
    missing = roster.missing_by_year({y for y, _q in labels})
    gaps = sorted({name for y, _q in labels for name in missing[y]})
    labels = [(y, q) for y, q in labels if not missing[y]]
    ends = {(y, q): min(quarter_end(y, q), today) for y, q in labels}
    members_at = {label: spans.on(end) for label, end in ends.items()}
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
            members = members_at[(year, quarter)]
            counts = Counter(level for kommun_id, level in state.items() if kommun_id in members)
            for level in LEVEL_ORDER:
                series[level].append(counts.get(level, 0))
            not_assessed.append(len(members - state.keys()))
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
    return {
        "quarters": [f"{y} Q{q}" for y, q in labels],
        "tracks": tracks,
        "roster_missing": roster.message_for(tuple(gaps)) if gaps else "",
    }


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
