"""The maturity model's rules, as plain functions over criteria and answers (no views, no writes).

See MaturityCriterion's docstring for how a level is reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .evidence import Evidence
from .models import LEVEL_ORDER, Answer, Level, MaturityCriterion, answer_disagrees


def is_met(answer: str | None, evidence_met: bool | None) -> bool:
    """A criterion is met when the portal's data says so; where it cannot tell, when answered "yes"."""
    if evidence_met is not None:
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

    With evidence deciding some criteria, a kommun can have an unmet criterion below its level only
    if the model changed since it answered; listing those too keeps the checklist honest.
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
    """One criterion as a kommun's maturity page shows it."""

    criterion: MaturityCriterion
    answer: str | None
    answer_label: str
    comment: str
    evidence: Evidence | None
    met: bool

    @property
    def disagrees(self) -> bool:
        return answer_disagrees(self.answer, self.evidence.met if self.evidence else None)
