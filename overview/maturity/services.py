"""Writes of the maturity model: self-assessments and their confirmation by staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members import access
from members.models import Kommun, User

from . import rules
from .evidence import evidence_by_criterion
from .models import Level, MaturityAnswer, MaturityAssessment, MaturityCriterion


@transaction.atomic
def assessment_submit(
    *,
    kommun: Kommun,
    track: str,
    answers: dict[int, tuple[str, str]],
    comment: str = "",
    user: User,
) -> MaturityAssessment:
    """Store a new self-assessment (answers {criterion_id: (answer, comment)}) and its level.

    Guarantees: earlier assessments are never changed (history stays as it was); the evidence of
    today is stored beside each answer; the level follows compute_level. When staff submit it, the
    assessment counts as confirmed by them.
    """
    criteria = list(MaturityCriterion.objects.filter(track=track, is_active=True))
    asked = [c for c in criteria if c.is_asked]
    evidence = evidence_by_criterion(asked, kommun.pk)
    now = timezone.now()
    is_staff = access.is_staff(user)
    assessment = MaturityAssessment.objects.create(
        kommun=kommun,
        track=track,
        level=Level.NEUTRAL,
        comment=comment,
        submitted_at=now,
        submitted_by=user,
        confirmed_at=now if is_staff else None,
        confirmed_by=user if is_staff else None,
    )
    rows, met = [], {}
    for criterion in asked:
        answer, answer_comment = answers[criterion.pk]
        found = evidence.get(criterion.pk)
        evidence_met = found.met if found else None
        rows.append(
            MaturityAnswer(
                assessment=assessment,
                criterion=criterion,
                answer=answer,
                comment=answer_comment,
                evidence_met=evidence_met,
                evidence_text=(found.explanation[:300] if found else ""),
            )
        )
        met[criterion.pk] = rules.is_met(answer, evidence_met)
    bulk_create_with_history(rows, MaturityAnswer, default_user=user)
    assessment.level = rules.compute_level(criteria, met)
    assessment.save(update_fields=["level"])
    return assessment


def assessment_confirm(*, assessment: MaturityAssessment, user: User) -> MaturityAssessment:
    """Staff confirm an assessment as it stands; records who and when. Confirming twice is harmless."""
    if not assessment.is_confirmed:
        assessment.confirmed_at = timezone.now()
        assessment.confirmed_by = user
        assessment.save(update_fields=["confirmed_at", "confirmed_by"])
    return assessment
