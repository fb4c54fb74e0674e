"""The one path for e-mail: queue_email() writes the row; a task delivers it after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Message

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def queue_email(
    *,
    kind: str,
    key: str,
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    user=None,
) -> Message | None:
    """Queue one e-mail, exactly once per key; returns None when that key was queued before.

    Renders `<template>_subject.txt`, `<template>.txt` and `<template>.html` in the recipient's
    language now, inside the caller's transaction, so what is sent is what was true at the event.
    Delivery is enqueued only after the transaction commits; a rollback queues nothing.
    """
    language = language or (user.language if user is not None else settings.LANGUAGE_CODE)
    full_key = f"{kind}:{to.lower()}:{key}"[:255]
    if Message.objects.filter(key=full_key).exists():
        return None
    context = {"site_url": settings.SITE_URL, "recipient": user, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=full_key,
                kind=kind,
                to=to,
                user=user,
                language=language,
                subject=subject[:255],
                body_text=text,
                body_html=html,
            )
    except IntegrityError:
        return None  # queued concurrently by another process: the unique key held
    from .tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.delay(message.pk))
    return message


def deliver(message_id: int) -> bool:
    """Claim, send and mark one message. Returns True if this call sent it.

    The claim takes the row with select_for_update(skip_locked) and marks it in flight in its own
    transaction, so two workers never send the same row.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=Message.Status.QUEUED)
            .first()
        )
        if message is None:
            return False
        message.status = Message.Status.IN_FLIGHT
        message.claimed_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    email = EmailMultiAlternatives(message.subject, message.body_text, to=[message.to])
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as exc:  # any transport error is recorded on the row, then re-raised
        failed = message.attempts >= MAX_ATTEMPTS
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED if failed else Message.Status.QUEUED,
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        log.warning("e-mail %s not sent (attempt %s): %s", message.pk, message.attempts, exc)
        raise
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now(), last_error="")
    return True
