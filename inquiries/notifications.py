"""Every e-mail the inquiries app sends, in one module, all through outbox.services.queue_email.

Each is queued inside the caller's transaction with a unique key (so a retry never sends twice)
and delivered after commit. E-mails never name the investor: that stays in the portal, behind
the release per kommun. Every e-mail to a kommun says whom to call at Invest Stockholm about the
inquiry (selectors.whom_to_call).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.models import Contact, User
from outbox.services import queue_email

from . import selectors
from .models import Answer, Dispatch, Inquiry, Outcome

DISPATCHED = "inquiry_dispatched"
REOPENED = "inquiry_reopened"
ANSWER = "inquiry_answer"
FEEDBACK = "inquiry_feedback"
OUTCOME = "inquiry_outcome"

# The e-mail log and the unsubscribe page show these labels (registered in apps.py), never the codes.
KIND_LABELS = {
    DISPATCHED: _("New inquiry to the kommun"),
    REOPENED: _("Inquiry reopened for answers"),
    ANSWER: _("A kommun's answer to an inquiry"),
    FEEDBACK: _("Feedback on the kommun's answer"),
    OUTCOME: _("Outcome of an inquiry"),
}


def _kommun_recipients(kommun_ids: list[int]) -> dict[int, list[tuple[str, User | None]]]:
    """(address, portal user if any) for each kommun's näringslivschef and holders of the
    investment responsibility (Contact.objects.receiving_inquiries); two queries."""
    contacts = list(
        Contact.objects.active()
        .filter(kommun_id__in=kommun_ids)
        .receiving_inquiries()
        .exclude(email="")
        .order_by("kommun_id", "role", "-is_primary", "name")
    )
    users = {u.email: u for u in User.objects.filter(email__in=[c.email.lower() for c in contacts])}
    result: dict[int, list[tuple[str, User | None]]] = {k: [] for k in kommun_ids}
    for contact in contacts:
        address = contact.email.lower()
        if address not in [a for a, _ in result[contact.kommun_id]]:
            result[contact.kommun_id].append((address, users.get(address)))
    return result


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _kommun_context(dispatch: Dispatch, inquiry: Inquiry) -> dict:
    """What every e-mail to a kommun about its dispatch is rendered with."""
    return {
        "dispatch": dispatch,
        "inquiry": inquiry,
        "url": _link(dispatch.get_absolute_url()),
        "whom_to_call": selectors.whom_to_call(inquiry),
    }


def dispatched(*, dispatches: list[Dispatch]) -> None:
    recipients = _kommun_recipients([d.kommun_id for d in dispatches])
    for dispatch in dispatches:
        for address, user in recipients[dispatch.kommun_id]:
            queue_email(
                kind=DISPATCHED,
                key=f"dispatch-{dispatch.pk}",
                to=address,
                user=user,
                template="inquiries/email/dispatched",
                context=_kommun_context(dispatch, dispatch.inquiry),
            )


def reopened(*, dispatch: Dispatch) -> None:
    for address, user in _kommun_recipients([dispatch.kommun_id])[dispatch.kommun_id]:
        queue_email(
            kind=REOPENED,
            key=f"reopen-{dispatch.pk}-{dispatch.reopened_until.isoformat()}",
            to=address,
            user=user,
            template="inquiries/email/reopened",
            context=_kommun_context(dispatch, dispatch.inquiry),
        )


def answer_received(*, answer: Answer, changed: bool) -> None:
    """Tell the inquiry's responsible staff member that a kommun answered (or changed its answer)."""
    inquiry = answer.dispatch.inquiry
    staff = inquiry.responsible
    if staff is None or not staff.email or not staff.is_active:
        return
    queue_email(
        kind=ANSWER,
        key=f"answer-{answer.pk}-{answer.updated_at.isoformat()}",
        to=staff.email,
        user=staff,
        template="inquiries/email/answer_received",
        context={
            "answer": answer,
            "dispatch": answer.dispatch,
            "inquiry": inquiry,
            "changed": changed,
            "url": _link(inquiry.get_absolute_url()),
        },
    )


def feedback_given(*, dispatch: Dispatch) -> None:
    for address, user in _kommun_recipients([dispatch.kommun_id])[dispatch.kommun_id]:
        queue_email(
            kind=FEEDBACK,
            key=f"feedback-{dispatch.pk}-{dispatch.feedback_at.isoformat()}",
            to=address,
            user=user,
            template="inquiries/email/feedback",
            context=_kommun_context(dispatch, dispatch.inquiry),
        )


def outcome_recorded(*, outcome: Outcome, correction: int | None = None) -> None:
    """The first outcome goes to every kommun that received the inquiry. A correction (`correction`
    is the outcome's history id of that save, so each correction is mailed once) goes to the
    kommuner that answered: they are the ones whose answer's fate changed."""
    inquiry = outcome.inquiry
    dispatches = inquiry.dispatches.select_related("kommun")
    if correction is not None:
        dispatches = dispatches.filter(answer__isnull=False)
    dispatches = list(dispatches)
    recipients = _kommun_recipients([d.kommun_id for d in dispatches])
    key = f"outcome-{outcome.pk}" if correction is None else f"outcome-{outcome.pk}-correction-{correction}"
    for dispatch in dispatches:
        for address, user in recipients[dispatch.kommun_id]:
            queue_email(
                kind=OUTCOME,
                key=f"{key}-{dispatch.pk}",
                to=address,
                user=user,
                template="inquiries/email/outcome",
                context={**_kommun_context(dispatch, inquiry), "outcome": outcome, "corrected": correction is not None},
            )
