"""The maturity model's rules, as plain functions over criteria and answers (no views, no writes).

See MaturityCriterion's docstring for how a level is reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .evidence import Evidence
from .models import LEVEL_ORDER, Answer, Decision, Level, MaturityAnswer, MaturityCriterion, answer_disagrees


def is_met(answer: str | None, evidence_met: bool | None = None, decision: str = "") -> bool:
    """A criterion is met when the kommun answered "yes", unless Invest Stockholm decided to go by
    the portal's data (and the data can tell). The data alone never decides."""
    if decision == Decision.DATA and evidence_met is not None:
        return evidence_met
    return answer == Answer.YES


def compute_level(criteria: Iterable[MaturityCriterion], met: Mapping[int, bool]) -> str:
    """The highest level whose criteria, and those of every level below, are all met.

    NEUTRAL is the floor: a kommun that meets nothing is NEUTRAL. A level with no criteria in use
    cannot be reached by default (an empty table must not make everybody PROAKTIV).
    """
    by_level: dict[str, list[int]] = {level: [] for level in LEVEL_ORDER}
    for criterion in criteria:
        if criterion.is_active:
            by_level[criterion.level].append(criterion.pk)
    reached = Level.NEUTRAL
    for level in LEVEL_ORDER[1:]:
        ids = by_level[level]
        if not ids or not all(met.get(pk, False) for pk in ids):
            break
        reached = level
    return reached


def next_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def next_steps(criteria: Iterable[MaturityCriterion], met: Mapping[int, bool], level: str) -> list[MaturityCriterion]:
    """The unmet criteria of the next level (and any unmet one below it), in the model's order.

    A kommun can have an unmet criterion below its level if the model changed since it answered or
    staff decided to go by the data; listing those too keeps the checklist honest.
    """
    target = next_level(level)
    if target is None:
        return []
    upto = LEVEL_ORDER.index(target)
    return [
        c
        for c in criteria
        if c.is_active and c.is_asked and LEVEL_ORDER.index(c.level) <= upto and not met.get(c.pk, False)
    ]


@dataclass(frozen=True)
class CriterionRow:
    """One criterion as a kommun's maturity page shows it: the kommun's latest answer, the portal's
    data stored with it (and today's, when it has changed since), staff's decision, and whether it
    counts as met."""

    criterion: MaturityCriterion
    stored: MaturityAnswer | None  # the answer of the latest assessment, None: not answered
    answer_label: str
    evidence_today: Evidence | None
    met: bool

    @property
    def answer(self) -> str | None:
        return self.stored.answer if self.stored else None

    @property
    def comment(self) -> str:
        return self.stored.comment if self.stored else ""

    @property
    def evidence_met(self) -> bool | None:
        if self.stored is not None:
            return self.stored.evidence_met
        return self.evidence_today.met if self.evidence_today else None

    @property
    def evidence_text(self) -> str:
        if self.stored is not None:
            return self.stored.evidence_text
        return self.evidence_today.explanation if self.evidence_today else ""

    @property
    def disagrees(self) -> bool:
        return answer_disagrees(self.answer, self.evidence_met)

    @property
    def awaits_decision(self) -> bool:
        return self.stored is not None and self.stored.awaits_decision

    @property
    def data_changed(self) -> bool:
        """Today's data says otherwise than the data stored with the answer."""
        return (
            self.stored is not None
            and self.evidence_today is not None
            and self.evidence_today.met is not None
            and self.evidence_today.met != self.stored.evidence_met
        )


def met_by_answer(answers: Iterable[MaturityAnswer]) -> dict[int, bool]:
    """{criterion_id: met} for stored answers, as decided."""
    return {a.criterion_id: is_met(a.answer, a.evidence_met, a.decision) for a in answers}
