"""Writes of the maturity model: self-assessments, staff decisions on disagreements, confirmation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members import access
from members.models import Kommun, User

from . import rules
from .evidence import evidence_by_criterion
from .models import Decision, Level, MaturityAnswer, MaturityAssessment, MaturityCriterion


def _latest(kommun: Kommun, track: str) -> MaturityAssessment | None:
    return (
        MaturityAssessment.objects.filter(kommun=kommun, track=track)
        .prefetch_related("answers")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _level(assessment: MaturityAssessment, answers) -> str:
    criteria = list(MaturityCriterion.objects.filter(track=assessment.track, is_active=True))
    return rules.compute_level(criteria, rules.met_by_answer(answers))


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
    today is stored beside each answer; the kommun's answers count, except where staff decided to go
    by the data (compute_level). Saving the same answers, comments and data as the latest
    assessment writes nothing and returns that assessment. A staff decision on a disagreement
    carries over to the new assessment while the answer and the data stay the same. When staff
    submit it, the assessment counts as confirmed by them unless a disagreement awaits a decision.
    """
    criteria = list(MaturityCriterion.objects.filter(track=track, is_active=True))
    asked = [c for c in criteria if c.is_asked]
    evidence = evidence_by_criterion(asked, kommun.pk)
    latest = _latest(kommun, track)
    before = {a.criterion_id: a for a in latest.answers.all()} if latest else {}
    rows = []
    for criterion in asked:
        answer, answer_comment = answers[criterion.pk]
        found = evidence.get(criterion.pk)
        row = MaturityAnswer(
            criterion=criterion,
            answer=answer,
            comment=answer_comment,
            evidence_met=found.met if found else None,
            evidence_text=(found.explanation[:300] if found else ""),
        )
        earlier = before.get(criterion.pk)
        if earlier and earlier.decision and (earlier.answer, earlier.evidence_met) == (row.answer, row.evidence_met):
            row.decision, row.decided_at = earlier.decision, earlier.decided_at
            row.decided_by_id = earlier.decided_by_id
        rows.append(row)

    def same(row: MaturityAnswer) -> bool:
        earlier = before.get(row.criterion_id)
        return earlier is not None and (earlier.answer, earlier.comment, earlier.evidence_met) == (
            row.answer,
            row.comment,
            row.evidence_met,
        )

    if latest is not None and latest.comment == comment and len(before) == len(rows) and all(map(same, rows)):
        return latest  # nothing changed: no new assessment, no history entry

    now = timezone.now()
    assessment = MaturityAssessment.objects.create(
        kommun=kommun, track=track, level=Level.NEUTRAL, comment=comment, submitted_at=now, submitted_by=user
    )
    for row in rows:
        row.assessment = assessment
    bulk_create_with_history(rows, MaturityAnswer, default_user=user)
    assessment.level = rules.compute_level(criteria, rules.met_by_answer(rows))
    update = ["level"]
    if access.is_staff(user) and not any(row.awaits_decision for row in rows):
        assessment.confirmed_at, assessment.confirmed_by = now, user
        update += ["confirmed_at", "confirmed_by"]
    assessment.save(update_fields=update)
    return assessment


@transaction.atomic
def answer_decide(*, answer: MaturityAnswer, decision: str, user: User) -> MaturityAnswer:
    """Staff decide which counts where the kommun's answer and the portal's data disagree:
    Decision.ANSWER (confirm the kommun's answer) or Decision.DATA (go by the data).

    Guarantees: who and when are recorded (every change in the history); the assessment's level is
    computed again from its answers as decided; the same decision again writes nothing. Refuses
    (ValidationError, nothing stored) an unknown decision or an answer the data agrees with.
    """
    if decision not in Decision.values:
        raise ValidationError(_("Choose the kommun's answer or the portal's data."), code="decision")
    answer = MaturityAnswer.objects.select_for_update().select_related("assessment").get(pk=answer.pk)
    if not answer.disagrees:
        raise ValidationError(_("The kommun's answer and the portal's data agree: there is nothing to decide."))
    if answer.decision == decision:
        return answer
    answer.decision, answer.decided_at, answer.decided_by = decision, timezone.now(), user
    answer.save(update_fields=["decision", "decided_at", "decided_by"])
    assessment = answer.assessment
    level = _level(assessment, assessment.answers.all())
    if level != assessment.level:
        assessment.level = level
        assessment.save(update_fields=["level"])
    return answer


def assessment_confirm(*, assessment: MaturityAssessment, user: User) -> MaturityAssessment:
    """Staff confirm an assessment as it stands; records who and when. Confirming twice is harmless.

    Refuses (ValidationError, nothing stored) while a disagreement awaits a decision: confirming
    must not settle it silently."""
    if not assessment.is_confirmed:
        if assessment.awaits_decision:
            raise ValidationError(
                _("Decide first where the kommun's answer and the portal's data disagree."), code="undecided"
            )
        assessment.confirmed_at = timezone.now()
        assessment.confirmed_by = user
        assessment.save(update_fields=["confirmed_at", "confirmed_by"])
    return assessment
