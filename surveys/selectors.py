"""Reads of the member survey. Results only for groups of at least MIN_GROUP answers (the whole
region, a län, a member size group), never one kommun's; free text only after close, shuffled."""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from members import access
from members.models import Lan

from .constants import MIN_GROUP, SCALE_MAX, SCALE_MIN, SIZE_GROUPS, size_group_label
from .models import Question, Response, ResponseAnswer, Survey


def surveys_visible_to(user) -> QuerySet[Survey]:
    """Staff: every survey. A kommun user: closed surveys (the region's results). Others: none."""
    if access.is_staff(user):
        return Survey.objects.all()
    if access.is_kommun_user(user):
        return Survey.objects.filter(closed_at__isnull=False)
    return Survey.objects.none()


@dataclass
class Counts:
    invited: int
    complete: int
    incomplete: int

    @property
    def none(self) -> int:
        return max(self.invited - self.complete - self.incomplete, 0)

    def share(self, n: int) -> float | None:
        return 100 * n / self.invited if self.invited else None

    @property
    def response_rate(self) -> float | None:
        return self.share(self.complete + self.incomplete)

    @property
    def rows(self) -> list[tuple[str, int, float | None]]:
        from django.utils.translation import gettext as _

        return [
            (_("Complete answers"), self.complete, self.share(self.complete)),
            (_("Incomplete answers"), self.incomplete, self.share(self.incomplete)),
            (_("No answer"), self.none, self.share(self.none)),
        ]


def counts(survey: Survey) -> Counts:
    """Complete / incomplete / none. While open: from the invitations (answered; a draft); after
    close: from the responses. One query."""
    if survey.closed_at is None:
        c = survey.invitations.aggregate(
            invited=Count("pk"),
            complete=Count("pk", filter=Q(answered=True)),
            incomplete=Count("pk", filter=Q(answered=False) & ~Q(draft={})),
        )
        return Counts(c["invited"], c["complete"], c["incomplete"])
    c = survey.responses.aggregate(
        n_complete=Count("pk", filter=Q(complete=True)), n_incomplete=Count("pk", filter=Q(complete=False))
    )
    return Counts(survey.invited_count, c["n_complete"], c["n_incomplete"])


@dataclass
class Group:
    kind: str  # "" (whole region), "lan" or "size"
    code: str
    label: str
    answers: int

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.code}" if self.kind else ""


def groups(survey: Survey) -> list[Group]:
    """The whole region and each län and size group with at least MIN_GROUP responses. Two queries."""
    rows = list(survey.responses.values("lan_code", "size_group"))
    total = len(rows)
    from django.utils.translation import gettext as _

    result = [Group("", "", _("The whole region"), total)] if total >= MIN_GROUP else []
    lan_counts = Counter(r["lan_code"] for r in rows if r["lan_code"])
    names = dict(Lan.objects.filter(code__in=list(lan_counts)).values_list("code", "name"))
    for code, n in sorted(lan_counts.items()):
        if n >= MIN_GROUP:
            result.append(Group("lan", code, names.get(code, code), n))
    size_counts = Counter(r["size_group"] for r in rows if r["size_group"])
    for g in SIZE_GROUPS:
        if size_counts[g.code] >= MIN_GROUP:
            result.append(Group("size", g.code, str(g.label), size_counts[g.code]))
    return result


def group_from(value: str, survey_groups: list[Group]) -> Group | None:
    """The group a query value names, if it has enough answers; None otherwise."""
    return next((g for g in survey_groups if g.value == (value or "")), None)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    shown: bool = False  # at least MIN_GROUP answers to this question
    distribution: list[tuple[str, int, float]] = field(default_factory=list)  # (label, count, percent)
    mean: float | None = None
    median: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def bars(self) -> list[tuple[str, int, float, float]]:
        """(label, count, percent, bar width 0–100 relative to the largest)."""
        top = max((share for _, _, share in self.distribution), default=0) or 1
        return [(label, n, share, 100 * share / top) for label, n, share in self.distribution]


def _responses(survey: Survey, group: Group) -> QuerySet[Response]:
    responses = survey.responses.all()
    if group.kind == "lan":
        responses = responses.filter(lan_code=group.code)
    elif group.kind == "size":
        responses = responses.filter(size_group=group.code)
    return responses


def results(survey: Survey, group: Group, *, with_texts: bool | None = None) -> list[QuestionResult]:
    """Each question's result in the group (which has MIN_GROUP answers or more: see groups()).
    Free text only once the survey is closed, shuffled. Two queries."""
    if group.answers < MIN_GROUP:
        return []
    with_texts = survey.closed_at is not None if with_texts is None else with_texts and survey.closed_at is not None
    questions = list(survey.questions.all())
    by_question: dict[int, list[ResponseAnswer]] = defaultdict(list)
    for answer in ResponseAnswer.objects.filter(response__in=_responses(survey, group)).only(
        "question_id", "number", "chosen", "text"
    ):
        by_question[answer.question_id].append(answer)
    out = []
    for q in questions:
        answers = by_question.get(q.pk, [])
        r = QuestionResult(question=q, answered=len(answers), shown=len(answers) >= MIN_GROUP)
        if r.shown:
            if q.kind == Question.Kind.SCALE:
                numbers = [a.number for a in answers if a.number is not None]
                c = Counter(numbers)
                r.distribution = [(str(v), c[v], 100 * c[v] / len(numbers)) for v in range(SCALE_MIN, SCALE_MAX + 1)]
                r.mean = statistics.fmean(numbers)
                r.median = statistics.median(numbers)
            elif q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                c = Counter(choice for a in answers for choice in a.chosen)
                r.distribution = [(choice, c[choice], 100 * c[choice] / len(answers)) for choice in q.choice_list]
            elif with_texts:
                r.texts = [a.text for a in answers if a.text]
                random.shuffle(r.texts)
        out.append(r)
    return out


@dataclass
class TrendPoint:
    year: int
    survey: Survey
    answers: int
    mean: float | None


def trends(survey: Survey, only: Question | None = None) -> list[tuple[Question, list[TrendPoint]]]:
    """The mean per year of every scale question of `survey` that another year's survey repeats
    (the same key), over closed surveys and this one; a year under MIN_GROUP answers has no mean.
    Three queries whatever the number of questions and years."""
    questions = [q for q in survey.questions.all() if q.kind == Question.Kind.SCALE and (only is None or q == only)]
    keys = {q.key for q in questions}
    rows = (
        ResponseAnswer.objects.filter(question__key__in=keys, question__kind=Question.Kind.SCALE, number__isnull=False)
        .filter(Q(question__survey__closed_at__isnull=False) | Q(question__survey=survey))
        .values_list("question__key", "question__survey_id", "number")
    )
    numbers: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for key, sid, number in rows:
        numbers[key][sid].append(number)
    surveys = {s.pk: s for s in Survey.objects.filter(pk__in={sid for d in numbers.values() for sid in d})}
    out = []
    for q in questions:
        points = sorted(
            (
                TrendPoint(
                    surveys[sid].year, surveys[sid], len(ns), statistics.fmean(ns) if len(ns) >= MIN_GROUP else None
                )
                for sid, ns in numbers[q.key].items()
            ),
            key=lambda p: (p.year, p.survey.closes_on),
        )
        if len(points) > 1:
            out.append((q, points))
    return out


def latest_closed(until_year: int | None = None) -> Survey | None:
    qs = Survey.objects.filter(closed_at__isnull=False)
    if until_year is not None:
        qs = qs.filter(year__lte=until_year)
    return qs.order_by("-year", "-closes_on").first()


def scale_mean(*, key: str, year: int) -> float | None:
    """The region's mean for the question `key` in the year's closed survey (None under MIN_GROUP)."""
    numbers = list(
        ResponseAnswer.objects.filter(
            question__key=key,
            question__survey__year=year,
            question__survey__closed_at__isnull=False,
            number__isnull=False,
        ).values_list("number", flat=True)
    )
    return statistics.fmean(numbers) if len(numbers) >= MIN_GROUP else None


__all__ = ["size_group_label"]
