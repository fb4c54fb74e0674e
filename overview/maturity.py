"""The maturity model's rules, as plain functions over criteria and answers (no views, no writes).

See MaturityCriterion's docstring for how a level is reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from members.models import Contact

from .models import LEVEL_ORDER, Answer, Level, MaturityCriterion, answer_disagrees
from .registry import Evidence, evidence_for, register_evidence


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


# --- Evidence from the ground floor: a named contact person with the right role ------------------

CONTACT_ROLES = {
    "contact_nki": [Contact.Role.NKI],
    "contact_investment": [Contact.Role.INVESTMENT, Contact.Role.NARINGSLIVSCHEF],
}


def _contact_evidence(key: str):
    roles = CONTACT_ROLES[key]

    def evidence(kommun_ids: Iterable[int]) -> dict[int, Evidence]:
        ids = list(kommun_ids)
        names: dict[int, list[str]] = {pk: [] for pk in ids}
        # One query for any number of kommuner.
        for kommun_id, name in (
            Contact.objects.filter(kommun_id__in=ids, role__in=roles)
            .exclude(name="")
            .order_by("kommun_id", "-is_primary", "name")
            .values_list("kommun_id", "name")
        ):
            names[kommun_id].append(name)
        role_words = " / ".join(str(Contact.Role(role).label) for role in roles)
        result = {}
        for pk in ids:
            if names[pk]:
                result[pk] = Evidence(
                    value=", ".join(names[pk][:3]),
                    met=True,
                    explanation=_("Named in the portal as %(role)s: %(names)s.")
                    % {"role": role_words, "names": ", ".join(names[pk][:3])},
                )
            else:
                result[pk] = Evidence(
                    value="—",
                    met=False,
                    explanation=_("No contact with the role %(role)s is recorded in the portal.")
                    % {"role": role_words},
                )
        return result

    return evidence


def register_builtin_evidence() -> None:
    for key in CONTACT_ROLES:
        register_evidence(key, _contact_evidence(key))


def evidence_by_criterion(criteria: Iterable[MaturityCriterion], kommun_id: int) -> dict[int, Evidence]:
    """{criterion_id: Evidence} for one kommun, for the criteria whose evidence is available."""
    criteria = [c for c in criteria if c.evidence_key]
    found = evidence_for({c.evidence_key for c in criteria}, [kommun_id])
    return {
        c.pk: found[c.evidence_key][kommun_id]
        for c in criteria
        if c.evidence_key in found and kommun_id in found[c.evidence_key]
    }
