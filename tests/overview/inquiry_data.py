"""Hand-made inquiry data for the overview and digest tests: one inquiry per dispatch, with the
dates, answer, forwarding and outcome a test needs (straight to the models, as fixtures)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from inquiries.models import Answer, Dispatch, Inquiry, Outcome
from tests.factories import InquiryFactory


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def dispatch(
    kommun,
    *,
    sent: datetime.date,
    deadline: datetime.date | None = None,
    answered_after_days: int | None = None,
    decision: str = Answer.Decision.INTERESTED,
    forwarded: bool = False,
    shortlisted: bool = False,
    status: str = Inquiry.Status.SENT,
    feedback: str = "",
    inquiry: Inquiry | None = None,
    **inquiry_fields,
) -> Dispatch:
    deadline = deadline or sent + datetime.timedelta(days=14)
    inquiry = inquiry or InquiryFactory(status=status, sent_at=moment(sent), answer_deadline=deadline, **inquiry_fields)
    made = Dispatch.objects.create(
        inquiry=inquiry,
        kommun=kommun,
        deadline=deadline,
        sent_at=moment(sent),
        forwarded_at=moment(sent + datetime.timedelta(days=20)) if forwarded else None,
        shortlisted=shortlisted,
        feedback=feedback,
        feedback_at=timezone.now() if feedback else None,
    )
    if answered_after_days is not None:
        Answer.objects.create(
            dispatch=made,
            decision=decision,
            decline_reason="" if decision == Answer.Decision.INTERESTED else Answer.DeclineReason.NO_LAND,
            offer="Vi erbjuder mark." if decision == Answer.Decision.INTERESTED else "",
            answered_at=moment(sent) + datetime.timedelta(days=answered_after_days),
        )
    return made


def established(inquiry: Inquiry, kommun, *, on: datetime.date, jobs: int, msek: str) -> Outcome:
    return Outcome.objects.create(
        inquiry=inquiry,
        decision=Outcome.Decision.ESTABLISHED,
        kommun=kommun,
        jobs=jobs,
        investment_msek=Decimal(msek),
        decided_on=on,
    )
