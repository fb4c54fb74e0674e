"""Sections built from inquiries/: what waits for the kommun's answer, what became of its answers,
stale sites; for staff overdue answers, inquiries closing with few answers and new answers; the
quarterly figures. Each reads through inquiries.selectors' access-scoped querysets with
`recipient.viewer` (one or two queries each), so a kommun's digest holds only its own dispatches.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inquiries import selectors as inquiry_selectors
from inquiries.models import Answer, Dispatch, Inquiry, Outcome
from members import access
from members.models import Site

from ..constants import (
    CLOSING_WITHIN_DAYS,
    DEADLINE_REMINDER_DAYS,
    FEW_ANSWERS_SHARE,
    LIST_LIMIT,
)
from ..periods import Period
from ..recipients import Recipient


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _range(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(period.end, datetime.time.max, tzinfo=tz),
    )


def _own_dispatches(recipient: Recipient):
    """The recipient's kommun's dispatches, through the access module (none for staff digests)."""
    return inquiry_selectors.dispatches_visible_to(recipient.viewer).filter(kommun=recipient.kommun)


def _dispatch_row(dispatch: Dispatch, today: datetime.date) -> dict:
    return {
        "reference": dispatch.inquiry.reference,
        "code_name": dispatch.inquiry.code_name,
        "deadline": dispatch.open_until,
        "days_left": dispatch.days_left(today),
        "url": _url(dispatch.get_absolute_url()),
    }


# --- Kommun ---------------------------------------------------------------------------------------


def inquiries_awaiting_answer(recipient: Recipient, period: Period) -> dict | None:
    """Inquiries to the kommun still open for its answer, soonest deadline first (one query)."""
    if recipient.kommun is None:
        return None
    today = timezone.localdate()
    waiting = inquiry_selectors.open_dispatches_for_kommun(user=recipient.viewer, kommun=recipient.kommun, today=today)
    if not waiting:
        return None
    return {
        "kommun": recipient.kommun,
        "rows": [_dispatch_row(d, today) for d in waiting[:LIST_LIMIT]],
        "more": max(len(waiting) - LIST_LIMIT, 0),
    }


def reminder_day(dispatch: Dispatch) -> datetime.date:
    """The one morning a dispatch is in the deadline reminder: DEADLINE_REMINDER_DAYS before its
    last answer day, or the day after it was sent if it was sent later than that."""
    sent = timezone.localtime(dispatch.sent_at).date()
    return max(dispatch.open_until - datetime.timedelta(days=DEADLINE_REMINDER_DAYS), sent + datetime.timedelta(days=1))


def deadline_reminder(recipient: Recipient, period: Period) -> dict | None:
    """Unanswered inquiries due within two days whose reminder day is this one (one query).

    Each dispatch is therefore reminded once, whatever the number of daily runs; a dispatch
    reopened by staff gets one reminder for its new last day. inquiries/notifications.py sends no
    reminder of its own: this is the only path.
    """
    if recipient.kommun is None:
        return None
    today = period.start
    soon = today + datetime.timedelta(days=DEADLINE_REMINDER_DAYS)
    candidates = (
        _own_dispatches(recipient)
        .filter(answer__isnull=True)
        .filter(inquiry_selectors.open_q(today))
        .filter(Q(deadline__lte=soon) | Q(reopened_until__lte=soon))
        .order_by("deadline", "pk")
    )
    due = [d for d in candidates if today <= d.open_until <= soon and reminder_day(d) == today]
    if not due:
        return None
    return {"kommun": recipient.kommun, "rows": [_dispatch_row(d, today) for d in due]}


def feedback_and_outcomes(recipient: Recipient, period: Period) -> dict | None:
    """What became of the kommun's answers in the period: forwarded, feedback, decisions (one query)."""
    if recipient.kommun is None:
        return None
    start, end = _range(period)
    dispatches = list(
        _own_dispatches(recipient)
        .filter(
            Q(feedback_at__range=(start, end))
            | Q(forwarded_at__range=(start, end))
            | Q(inquiry__outcome__decided_on__range=(period.start, period.end))
        )
        .select_related("inquiry__outcome", "inquiry__outcome__kommun")
        .order_by("-sent_at", "pk")[: LIST_LIMIT + 1]
    )
    if not dispatches:
        return None
    rows = []
    for d in dispatches[:LIST_LIMIT]:
        outcome = getattr(d.inquiry, "outcome", None)
        decided = outcome is not None and period.start <= outcome.decided_on <= period.end
        rows.append(
            {
                "reference": d.inquiry.reference,
                "code_name": d.inquiry.code_name,
                "forwarded": d.forwarded_at is not None and start <= d.forwarded_at <= end,
                "shortlisted": d.shortlisted,
                "feedback": d.feedback if d.feedback_at and start <= d.feedback_at <= end else "",
                "outcome": outcome.get_decision_display() if decided else "",
                "won": decided
                and outcome.decision == Outcome.Decision.ESTABLISHED
                and outcome.kommun_id == recipient.kommun.pk,
                "url": _url(d.get_absolute_url()),
            }
        )
    return {"kommun": recipient.kommun, "rows": rows, "more": len(dispatches) > LIST_LIMIT}


def stale_sites(recipient: Recipient, period: Period) -> dict | None:
    """The kommun's sites not confirmed for SITE_STALE_AFTER_DAYS: matching reads them (one query)."""
    if recipient.kommun is None:
        return None
    limit = timezone.localdate() - datetime.timedelta(days=settings.SITE_STALE_AFTER_DAYS)
    sites = list(
        access.scope_to_kommun(recipient.viewer, Site.objects.filter(kommun=recipient.kommun))
        .filter(last_confirmed__lt=limit)
        .order_by("last_confirmed", "name")
    )
    if not sites:
        return None
    return {
        "kommun": recipient.kommun,
        "sites": [{"name": s.name, "last_confirmed": s.last_confirmed} for s in sites[:LIST_LIMIT]],
        "more": max(len(sites) - LIST_LIMIT, 0),
        "url": _url(reverse("members:kommun_detail", args=[recipient.kommun.code])),
    }


def inquiry_facts(recipient: Recipient, period: Period) -> dict | None:
    """The quarter's inquiries to the kommun: received / answered / forwarded / won (two queries)."""
    if recipient.kommun is None:
        return None
    start, end = _range(period)
    figures = inquiry_selectors.answer_figures(
        _own_dispatches(recipient).filter(sent_at__range=(start, end)), today=min(period.end, timezone.localdate())
    )
    won = list(
        _own_dispatches(recipient)
        .filter(
            inquiry__outcome__decision=Outcome.Decision.ESTABLISHED,
            inquiry__outcome__kommun=recipient.kommun,
            inquiry__outcome__decided_on__range=(period.start, period.end),
        )
        .values_list("inquiry__code_name", "inquiry__outcome__jobs")
    )
    return {
        "kommun": recipient.kommun,
        "received": figures["received"],
        "answered": figures["answered"],
        "forwarded": figures["forwarded"],
        "shortlisted": figures["shortlisted"],
        "answer_rate": figures["answer_rate"],
        "won": [{"code_name": name, "jobs": jobs} for name, jobs in won],
        "jobs": sum(jobs or 0 for _name, jobs in won),
    }


# --- Staff ---------------------------------------------------------------------------------------


def answers_overdue(recipient: Recipient, period: Period) -> dict | None:
    """Per inquiry still taking answers: the kommuner past their deadline without an answer (one query)."""
    today = timezone.localdate()
    late = list(
        inquiry_selectors.dispatches_visible_to(recipient.viewer)
        .filter(answer__isnull=True, inquiry__status=Inquiry.Status.SENT, deadline__lt=today)
        .exclude(reopened_until__gte=today)
        .order_by("inquiry__answer_deadline", "inquiry__reference", "kommun__name")
    )
    if not late:
        return None
    by_inquiry: dict[int, dict] = {}
    for d in late:
        row = by_inquiry.setdefault(
            d.inquiry_id,
            {
                "reference": d.inquiry.reference,
                "code_name": d.inquiry.code_name,
                "url": _url(d.inquiry.get_absolute_url()),
                "kommuner": [],
            },
        )
        row["kommuner"].append({"name": d.kommun.name, "days": (today - d.deadline).days})
    rows = list(by_inquiry.values())
    return {"count": len(late), "rows": rows[:LIST_LIMIT], "more": max(len(rows) - LIST_LIMIT, 0)}


def inquiries_closing_with_few_answers(recipient: Recipient, period: Period) -> dict | None:
    """Inquiries whose deadline comes within CLOSING_WITHIN_DAYS with under FEW_ANSWERS_SHARE of
    the kommuner answered (one query)."""
    today = timezone.localdate()
    closing = (
        inquiry_selectors.inquiry_list(user=recipient.viewer)
        .filter(
            status=Inquiry.Status.SENT,
            answer_deadline__gte=today,
            answer_deadline__lte=today + datetime.timedelta(days=CLOSING_WITHIN_DAYS),
        )
        .order_by("answer_deadline", "pk")
    )
    rows = [
        {
            "reference": i.reference,
            "code_name": i.code_name,
            "deadline": i.answer_deadline,
            "answers": i.answer_count,
            "dispatches": i.dispatch_count,
            "url": _url(i.get_absolute_url()),
        }
        for i in closing
        if i.dispatch_count and i.answer_count < FEW_ANSWERS_SHARE * i.dispatch_count
    ]
    if not rows:
        return None
    return {"rows": rows[:LIST_LIMIT], "more": max(len(rows) - LIST_LIMIT, 0)}


def new_answers(recipient: Recipient, period: Period) -> dict | None:
    """Answers given in the period, newest first (one query)."""
    start, end = _range(period)
    answers = list(
        inquiry_selectors.answers_visible_to(recipient.viewer)
        .filter(answered_at__range=(start, end))
        .select_related("dispatch__kommun", "dispatch__inquiry")
        .order_by("-answered_at", "pk")[: LIST_LIMIT + 1]
    )
    if not answers:
        return None
    rows = [
        {
            "reference": a.dispatch.inquiry.reference,
            "code_name": a.dispatch.inquiry.code_name,
            "kommun": a.dispatch.kommun.name,
            "interested": a.decision == Answer.Decision.INTERESTED,
            "decision": a.get_decision_display(),
            "url": _url(a.dispatch.inquiry.get_absolute_url()),
        }
        for a in answers[:LIST_LIMIT]
    ]
    return {"rows": rows, "more": len(answers) > LIST_LIMIT}
