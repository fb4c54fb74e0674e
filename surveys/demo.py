"""Demo data for the member survey: the 2025 and the 2026 survey, like the 2020 review's (its five
scale questions and two open questions), closed, with enough answers for results and a trend.

Loaded by `manage.py load_demo` after the members demo; never in production. Idempotent: nothing is
created when a survey of the year exists.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from members.models import Kommun, Population

from .constants import MIN_GROUP, size_group_of
from .models import Question, Response, ResponseAnswer, Survey

# key, Swedish question, label at 1, label at 10, the demo's mean answer in 2025 and in 2026
SCALE_QUESTIONS = [
    ("knows_sba", "Hur väl känner du till SBA:s verksamhet?", "Inte alls", "Mycket väl", 7.4, 7.9),
    (
        "membership_value",
        "Hur värderar du det sammantagna värdet av medlemskapet i SBA?",
        "Inget värde",
        "Mycket stort värde",
        6.6,
        7.2,
    ),
    (
        "nki_priority",
        "I vilken utsträckning är NKI en prioriterad fråga på kommunledningsnivå?",
        "Inte alls",
        "I mycket hög utsträckning",
        8.1,
        8.3,
    ),
    (
        "nki_value",
        "I vilken utsträckning är SBA:s arbete med NKI värdeskapande för kommunen?",
        "Inte alls",
        "I mycket hög utsträckning",
        7.5,
        7.8,
    ),
    (
        "nki_participation",
        "I vilken utsträckning deltar kommunen i SBA:s aktiviteter inom NKI?",
        "Inte alls",
        "I mycket hög utsträckning",
        6.8,
        7.3,
    ),
]
MEANS = {key: (m25, m26) for key, _t, _l, _h, m25, m26 in SCALE_QUESTIONS}
TEXT_QUESTIONS = [
    ("nki_today", "Hur arbetar din kommun idag med NKI?"),
    ("nki_future", "Hur tänker du att SBA i framtiden bör arbeta med NKI?"),
]
TEXTS = [
    "NKI prioriteras högt och ses som ett verktyg för att utvärdera servicen i myndighetsutövningen.",
    "Resultatet ger underlag för dialog mellan samhällsbyggnad, miljöenheten och näringslivet.",
    "Vi har integrerat arbetet i verksamhetsstyrningen och målstyrningen.",
    "Bredda NKI till hela stadsbyggnadsprocessen, inte bara bygglov.",
    "Engagera kommunledningen, inte bara myndighetsnivån.",
    "Fler lokala NKI-grupper där mindre kommuner kan lära av större.",
]
# 2025: 56 invited, 40 answered, 10 of them incomplete (as in the review); 2026: a little better.
YEARS = {2025: (56, 40, 10), 2026: (56, 44, 6)}


def _answer(rng: random.Random, mean: float) -> int:
    return max(1, min(10, round(rng.gauss(mean, 1.6))))


def _survey(year: int, rng: random.Random, members: list[tuple[int, str, str]]) -> None:
    invited, answered, incomplete = YEARS[year]
    opens = datetime.date(year, 9, 16)
    survey = Survey.objects.create(
        title=f"Medlemsenkät {year}",
        year=year,
        intro="SBA:s årliga enkät till näringslivscheferna i medlemskommunerna.",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=14),
        invitations_sent_at=timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9))),
        reminder_sent_at=timezone.make_aware(
            datetime.datetime.combine(opens + datetime.timedelta(days=10), datetime.time(9))
        ),
        closed_at=timezone.make_aware(
            datetime.datetime.combine(opens + datetime.timedelta(days=15), datetime.time(0, 5))
        ),
        invited_count=invited,
    )
    questions = []
    for order, (key, text, low, high, *_means) in enumerate(SCALE_QUESTIONS, start=1):
        questions.append(
            Question(survey=survey, order=order, page=1, key=key, text=text, low_label=low, high_label=high)
        )
    for order, (key, text) in enumerate(TEXT_QUESTIONS, start=10):
        questions.append(
            Question(survey=survey, order=order, page=2, key=key, text=text, kind=Question.Kind.TEXT, required=False)
        )
    for q in questions:
        q.save()
    lan_counts = Counter(lan for _, lan, _ in members)
    size_counts = Counter(size for _, _, size in members)
    sample = rng.sample(members, min(answered, len(members)))
    responses, answers = [], []
    for n, (_kommun, lan, size) in enumerate(sample):
        complete = n >= incomplete
        response = Response(
            survey=survey,
            complete=complete,
            lan_code=lan if lan_counts[lan] >= MIN_GROUP else "",
            size_group=size if size and size_counts[size] >= MIN_GROUP else "",
        )
        responses.append(response)
        asked = questions if complete else questions[: rng.randint(1, 4)]
        for q in asked:
            if q.kind == Question.Kind.SCALE:
                m25, m26 = MEANS[q.key]
                mean = m25 if year == 2025 else m26
                answers.append(ResponseAnswer(response=response, question=q, number=_answer(rng, mean)))
            elif rng.random() < 0.5:
                answers.append(ResponseAnswer(response=response, question=q, text=rng.choice(TEXTS)))
    Response.objects.bulk_create(responses)
    ResponseAnswer.objects.bulk_create(answers)


@transaction.atomic
def load() -> None:
    rng = random.Random(16)
    for year in YEARS:
        if Survey.objects.filter(year=year).exists():
            continue
        kommuner = list(Kommun.objects.members(datetime.date(year, 9, 16)).select_related("lan"))
        population = {}
        for row in Population.objects.filter(kommun__in=kommuner).order_by("kommun_id", "year"):
            population[row.kommun_id] = row.population
        members = [(k.pk, k.lan.code, size_group_of(population.get(k.pk))) for k in kommuner]
        if members:
            _survey(year, rng, members)
