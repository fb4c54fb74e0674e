"""Writes for inquiries. Each service runs in one transaction; its e-mails (inquiries.notifications)
are queued in that transaction and delivered after it commits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members import cache
from members.cache import Topic
from members.models import Kommun

from . import matching, notifications, selectors
from .models import Answer, Attachment, Dispatch, Inquiry, Outcome, ReferenceCounter
from .uploads import check_upload


def reference_allocate(*, year: int) -> str:
    """The next reference of the year, SBA-YYYY-NNNN. The counter row is locked (select_for_update)
    until the caller's transaction ends, so two inquiries created at once never share a number."""
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(year=year)
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"SBA-{year}-{counter.last:04d}"


@transaction.atomic
def inquiry_save(*, inquiry: Inquiry) -> Inquiry:
    """Create (with a new reference number) or update an inquiry from a validated form instance.

    A changed answer deadline moves the deadline of every dispatch that still had the old one
    (a dispatch reopened or given its own deadline keeps it)."""
    if not inquiry.reference:
        inquiry.reference = reference_allocate(year=timezone.localdate().year)
        inquiry.save()
        return inquiry
    old_deadline = Inquiry.objects.filter(pk=inquiry.pk).values_list("answer_deadline", flat=True).first()
    inquiry.save()
    if old_deadline and old_deadline != inquiry.answer_deadline:
        for dispatch in Dispatch.objects.filter(inquiry=inquiry, deadline=old_deadline):
            dispatch.deadline = inquiry.answer_deadline
            dispatch.save(update_fields=["deadline"])
    return inquiry


@transaction.atomic
def inquiry_dispatch(*, inquiry: Inquiry, kommun_ids: Iterable[int], user) -> list[Dispatch]:
    """Send the inquiry to the chosen member kommuner: one dispatch each, with the inquiry's
    deadline and the kommun's rating at this moment, and one e-mail per kommun contact.

    Kommuner that already have a dispatch are skipped, so sending again only adds new recipients.
    Only current member kommuner can receive it.
    """
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.status not in (Inquiry.Status.DRAFT, Inquiry.Status.SENT):
        raise ValidationError(_("This inquiry no longer takes answers; it cannot be sent."))
    kommun_ids = set(kommun_ids)
    already = set(inquiry.dispatches.values_list("kommun_id", flat=True))
    new_ids = kommun_ids - already
    profiles = selectors.member_profiles(kommun_ids=sorted(new_ids))
    if len(profiles) != len(new_ids):
        raise ValidationError(_("Only SBA member kommuner can receive inquiries."))
    if not profiles:
        raise ValidationError(_("Choose at least one kommun that has not received this inquiry."))
    ratings = {r.kommun_id: r for r in matching.rate_all(selectors.requirements_of(inquiry), profiles)}
    now = timezone.now()
    # bulk_create skips save(), so the history rows are written with the objects.
    with cache.retiring(Topic.INQUIRIES):  # bulk_create sends no signals
        bulk_create_with_history(
            [
                Dispatch(
                    inquiry=inquiry,
                    kommun_id=kommun_id,
                    deadline=inquiry.answer_deadline,
                    match_class=ratings[kommun_id].match_class,
                    match_snapshot=ratings[kommun_id].as_json(),
                    sent_at=now,
                    sent_by=user,
                )
                for kommun_id in sorted(new_ids)
            ],
            Dispatch,
            default_user=user,
        )
    if inquiry.status == Inquiry.Status.DRAFT:
        inquiry.status = Inquiry.Status.SENT
        inquiry.sent_at = now
        inquiry.save(update_fields=["status", "sent_at"])
    dispatches = list(
        Dispatch.objects.filter(inquiry=inquiry, kommun_id__in=new_ids).select_related("kommun", "inquiry__responsible")
    )
    notifications.dispatched(dispatches=dispatches)
    return dispatches


def dispatch_mark_viewed(*, dispatch: Dispatch) -> None:
    """Record the first time the kommun opened the dispatch (never overwritten)."""
    if dispatch.first_viewed_at is None:
        now = timezone.now()
        with cache.retiring(Topic.INQUIRIES):  # update() sends no signals
            Dispatch.objects.filter(pk=dispatch.pk, first_viewed_at__isnull=True).update(first_viewed_at=now)
        dispatch.first_viewed_at = now


@transaction.atomic
def answer_save(
    *,
    dispatch: Dispatch,
    user,
    decision: str,
    offer: str = "",
    proposed_sites: Iterable = (),
    contact=None,
    decline_reason: str = "",
    decline_text: str = "",
    files: Iterable[UploadedFile] = (),
) -> Answer:
    """Store the kommun's answer (new or changed) while the dispatch is open; files are checked
    first, so a bad file stores nothing. The responsible staff member is told of a new answer."""
    dispatch = Dispatch.objects.select_for_update().select_related("inquiry", "kommun").get(pk=dispatch.pk)
    if not dispatch.is_open():
        raise ValidationError(dispatch.lock_message())
    files = list(files)
    checked = [(f, check_upload(f)) for f in files]
    answer = Answer.objects.filter(dispatch=dispatch).first()
    is_new = answer is None
    if is_new:
        answer = Answer(dispatch=dispatch, answered_at=timezone.now())
    answer.decision = decision
    answer.answered_by = user
    if decision == Answer.Decision.INTERESTED:
        answer.offer, answer.contact = offer, contact
        answer.decline_reason, answer.decline_text = "", ""
    else:
        answer.offer, answer.contact = "", None
        answer.decline_reason, answer.decline_text = decline_reason, decline_text
    answer.save()
    answer.proposed_sites.set(list(proposed_sites) if decision == Answer.Decision.INTERESTED else [])
    for upload, content_type in checked:
        Attachment.objects.create(
            answer=answer,
            file=upload,
            original_name=(upload.name or "file")[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )
    notifications.answer_received(answer=answer, changed=not is_new)
    return answer


@transaction.atomic
def attachment_delete(*, attachment: Attachment) -> None:
    answer = attachment.answer
    if not answer.dispatch.is_open():
        raise ValidationError(answer.dispatch.lock_message())
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def answer_reopen(*, dispatch: Dispatch, until: datetime.date) -> Dispatch:
    """Let the kommun answer or change its answer until `until` (staff)."""
    if until < timezone.localdate():
        raise ValidationError(_("Choose today or a later day."))
    dispatch.reopened_until = until
    dispatch.save(update_fields=["reopened_until"])
    notifications.reopened(dispatch=dispatch)
    return dispatch


@transaction.atomic
def dispatch_forward(*, dispatch: Dispatch, forwarded: bool) -> Dispatch:
    """Record that the kommun's offer went to the investor (when), or undo it."""
    if forwarded and not hasattr(dispatch, "answer"):
        raise ValidationError(_("Only an answered offer can be forwarded."))
    dispatch.forwarded_at = (dispatch.forwarded_at or timezone.now()) if forwarded else None
    dispatch.save(update_fields=["forwarded_at"])
    inquiry = dispatch.inquiry
    if forwarded and inquiry.status in (Inquiry.Status.SENT, Inquiry.Status.ANSWERS_CLOSED):
        inquiry.status = Inquiry.Status.WITH_INVESTOR
        inquiry.save(update_fields=["status"])
    return dispatch


@transaction.atomic
def dispatch_shortlist(*, dispatch: Dispatch, shortlisted: bool) -> Dispatch:
    dispatch.shortlisted = shortlisted
    dispatch.save(update_fields=["shortlisted"])
    return dispatch


@transaction.atomic
def dispatch_release_investor(*, dispatch: Dispatch, released: bool) -> Dispatch:
    """Show (or hide again) the investor's identity to this one kommun."""
    dispatch.investor_released_at = (dispatch.investor_released_at or timezone.now()) if released else None
    dispatch.save(update_fields=["investor_released_at"])
    return dispatch


@transaction.atomic
def dispatch_feedback(*, dispatch: Dispatch, text: str) -> Dispatch:
    """Write (or rewrite) staff's feedback to the kommun and tell its contacts."""
    dispatch.feedback = text.strip()
    dispatch.feedback_at = timezone.now() if dispatch.feedback else None
    dispatch.save(update_fields=["feedback", "feedback_at"])
    if dispatch.feedback:
        notifications.feedback_given(dispatch=dispatch)
    return dispatch


@transaction.atomic
def inquiry_set_status(*, inquiry: Inquiry, status: str) -> Inquiry:
    if status == Inquiry.Status.DRAFT and inquiry.dispatches.exists():
        raise ValidationError(_("A sent inquiry cannot go back to draft."))
    inquiry.status = status
    inquiry.save(update_fields=["status"])
    return inquiry


OUTCOME_FIELDS = ("decision", "kommun_id", "lost_to", "jobs", "investment_msek", "decided_on", "notes")


@transaction.atomic
def outcome_record(
    *,
    inquiry: Inquiry,
    decision: str,
    kommun: Kommun | None = None,
    lost_to: str = "",
    jobs: int | None = None,
    investment_msek=None,
    decided_on: datetime.date | None = None,
    notes: str = "",
) -> tuple[Outcome, str]:
    """Record the investor's decision (or correct it) and mark the inquiry decided; returns the
    outcome and what happened: "recorded" (the first), "corrected" or "unchanged".

    Checked as the outcome form checks it (Outcome.clean and its validators): a refused outcome
    stores nothing. The first outcome tells every kommun that got the inquiry; a correction tells
    the kommuner that answered, once per correction; a save that changes nothing writes no history
    and sends nothing."""
    outcome = Outcome.objects.select_for_update().filter(inquiry=inquiry).first()
    is_new = outcome is None
    if is_new:
        outcome = Outcome(inquiry=inquiry)
    before = [getattr(outcome, name) for name in OUTCOME_FIELDS]
    outcome.decision = decision
    outcome.kommun = kommun
    outcome.lost_to = lost_to.strip()
    outcome.jobs = jobs
    outcome.investment_msek = investment_msek
    outcome.decided_on = decided_on or timezone.localdate()
    outcome.notes = notes
    outcome.full_clean(exclude=["inquiry"])
    changed = is_new or before != [getattr(outcome, name) for name in OUTCOME_FIELDS]
    if changed:
        outcome.save()
    if inquiry.status not in (Inquiry.Status.CLOSED, Inquiry.Status.DECIDED):
        inquiry.status = Inquiry.Status.DECIDED
        inquiry.save(update_fields=["status"])
    if is_new:
        notifications.outcome_recorded(outcome=outcome)
        return outcome, "recorded"
    if changed:
        notifications.outcome_recorded(outcome=outcome, correction=outcome.history.latest().history_id)
        return outcome, "corrected"
    return outcome, "unchanged"
