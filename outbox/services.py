"""The one path for e-mail: queue_email() writes the row; a task delivers it after commit.

Delivery is exactly-once per row as far as SMTP allows: a row is claimed with
select_for_update(skip_locked) and marked in flight before the send, and marked sent the moment
the mail server has accepted its data (outbox.backends.SMTPBackend calls back before the session
closes). The one remaining window (the worker dies in the milliseconds between the server's "250"
and that write) is handled by the sweeper: it re-queues the row, flags it "delivery unknown" for
good, and the resend carries the same Message-ID so the rare copy can be recognised and dropped.
See docs/OPERATIONS.md.
"""

from __future__ import annotations

import datetime
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from . import kinds
from .models import Message, Unsubscribe

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "outbox.unsubscribe"
# Kept for callers that read it; the live value is the OUTBOX_MAX_ATTEMPTS setting.
MAX_ATTEMPTS = 5


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS)


def retry_delay(attempt: int) -> int:
    """Seconds to wait after the `attempt`-th failed attempt: base, 2×base, 4×base, …"""
    return getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 60) * 2 ** max(attempt - 1, 0)


class DeliveryFailed(Exception):
    """The send failed; `final` when the attempts are used up, else retry after `countdown`."""

    def __init__(self, *, final: bool, countdown: int) -> None:
        super().__init__(f"delivery failed (final={final}, retry in {countdown} s)")
        self.final = final
        self.countdown = countdown


# --- Unsubscribing -------------------------------------------------------------------------------


def unsubscribe_token(*, email: str, kind: str) -> str:
    """A signed, non-expiring token for (address, kind): the link works without a login."""
    return signing.dumps([email.strip().lower(), kind], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[str, str] | None:
    """(address, kind) from a token, or None if it was tampered with or is malformed."""
    try:
        email, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return str(email), str(kind)


def unsubscribe_url(*, email: str, kind: str) -> str:
    return settings.SITE_URL + reverse("outbox:unsubscribe", args=[unsubscribe_token(email=email, kind=kind)])


def is_unsubscribed(*, email: str, kind: str) -> bool:
    return Unsubscribe.objects.filter(email=email.strip().lower(), kind=kind).exists()


def unsubscribed_emails(*, kind: str) -> set[str]:
    """Every address that left `kind`, in one query (for building many e-mails at once)."""
    return set(Unsubscribe.objects.filter(kind=kind).values_list("email", flat=True))


def subscription_set(*, email: str, kind: str, subscribed: bool, source: str = Unsubscribe.Source.LINK) -> bool:
    """Switch one kind on or off for an address. Idempotent; returns True if anything changed."""
    email = email.strip().lower()
    if subscribed:
        deleted, _ = Unsubscribe.objects.filter(email=email, kind=kind).delete()
        return bool(deleted)
    _, created = Unsubscribe.objects.get_or_create(email=email, kind=kind, defaults={"source": source})
    return created


def subscriptions_save(*, email: str, chosen: dict[str, bool], source: str = Unsubscribe.Source.SETTINGS) -> None:
    """Save a settings page: {kind: wanted} for every kind shown."""
    email = email.strip().lower()
    with transaction.atomic():
        # Two queries and one insert, whatever the number of kinds (no query per kind).
        left = set(Unsubscribe.objects.filter(email=email, kind__in=list(chosen)).values_list("kind", flat=True))
        back = [kind for kind, wanted in chosen.items() if wanted and kind in left]
        if back:
            for row in Unsubscribe.objects.filter(email=email, kind__in=back):
                row.delete()  # one by one so the history records each
        leaving = [kind for kind, wanted in chosen.items() if not wanted and kind not in left]
        if leaving:
            bulk_create_with_history(
                [Unsubscribe(email=email, kind=kind, source=source) for kind in leaving], Unsubscribe
            )


# --- Queueing ------------------------------------------------------------------------------------


def _footer_context(*, kind: str, to: str, user) -> dict:
    optional = kinds.get(kind).optional
    return {
        "kind_label": kinds.get(kind).label,
        "unsubscribe_url": unsubscribe_url(email=to, kind=kind) if optional else "",
        "settings_url": settings.SITE_URL + reverse("outbox:settings") if user is not None else "",
        "site_url": settings.SITE_URL,
    }


def _with_html_footer(html: str, footer: str) -> str:
    match = re.search(r"</body\s*>", html, flags=re.IGNORECASE)
    if match is None:
        return html + footer
    return html[: match.start()] + footer + html[match.start() :]


def message_key(*, kind: str, to: str, key: str) -> str:
    """The unique key of a row: (kind, address, event or period)."""
    return f"{kind}:{to.strip().lower()}:{key}"[:255]


def _render_text(name: str, context: dict) -> str:
    """A plain-text template without HTML escaping: "<Bygg & Co>" stays as written, not "&lt;Bygg
    &amp; Co&gt;". Plain text runs nothing, and the subject is folded to one line (no header
    injection); the HTML part stays escaped."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(*, kind: str, to: str, template: str, context: dict, language: str, user=None) -> tuple[str, str, str]:
    """(subject, text, html) in `language`, with the footer (unsubscribe and settings links)."""
    footer_context = _footer_context(kind=kind, to=to.strip(), user=user)
    context = {"site_url": settings.SITE_URL, "recipient": user, **footer_context, **context}
    with translation.override(language):
        subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
        text = _render_text(f"{template}.txt", context).rstrip() + "\n"
        html = render_to_string(f"{template}.html", context)
        text += _render_text("outbox/email/footer.txt", footer_context)
        html = _with_html_footer(html, render_to_string("outbox/email/footer.html", footer_context))
    return subject, text, html


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
    """Queue one e-mail, exactly once per (kind, address, key); None when it will not be sent.

    None means: that key was queued before, or the address has unsubscribed from `kind`.
    Renders `<template>_subject.txt`, `<template>.txt` and `<template>.html` in the recipient's
    language now, inside the caller's transaction, so what is sent is what was true at the event;
    every e-mail gets a footer with the unsubscribe link and (for users) the settings link.
    Delivery is enqueued only after the transaction commits; a rollback queues nothing.
    """
    to = to.strip()
    language = language or (user.language if user is not None else settings.LANGUAGE_CODE)
    full_key = message_key(kind=kind, to=to, key=key)
    if kinds.get(kind).optional and is_unsubscribed(email=to, kind=kind):
        return None
    if Message.objects.filter(key=full_key).exists():
        return None
    subject, text, html = render_email(
        kind=kind, to=to, template=template, context=context, language=language, user=user
    )
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
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None  # queued concurrently by another process: the unique key held
    _enqueue_after_commit(message.pk)
    return message


def _enqueue_after_commit(message_id: int) -> None:
    from .tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.delay(message_id))


# --- Delivering ----------------------------------------------------------------------------------


def _message_id_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "sba-portal.invalid"


def build_email(message: Message) -> EmailMultiAlternatives:
    """The e-mail for a row. Its Message-ID is fixed per row, so a duplicate from the one
    at-least-once window can be recognised (and is merged by many mail clients)."""
    headers = {
        "Message-ID": f"<outbox-{message.pk}@{_message_id_domain()}>",
        "Auto-Submitted": "auto-generated",
    }
    if kinds.get(message.kind).optional:
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the link.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(email=message.to, kind=message.kind)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(message.subject, message.body_text, to=[message.to], headers=headers)
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def deliver(message_id: int) -> bool:
    """Claim, send and mark one message. Returns True if this call sent it.

    The claim takes the row with select_for_update(skip_locked) and marks it in flight in its own
    transaction, so two workers never send the same row, and a row already sent is never sent
    again. On a transport error the row goes back to queued (with the time of the next attempt)
    or, when the attempts are used up, to failed; the error is kept on the row and DeliveryFailed
    raised for the task to retry.
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
    accepted = False

    def on_accepted() -> None:
        nonlocal accepted
        accepted = True
        _mark_sent(message.pk)

    email = build_email(message)
    email.on_accepted = on_accepted  # called by outbox.backends.SMTPBackend when the server has it
    try:
        email.send()
    except Exception as exc:  # any transport error is recorded on the row
        if accepted:
            # The server has the message; only closing the session failed. It is sent.
            log.warning("e-mail %s accepted; closing the SMTP session failed: %s", message.pk, exc)
            return True
        final = message.attempts >= max_attempts()
        countdown = retry_delay(message.attempts)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED if final else Message.Status.QUEUED,
            next_attempt_at=None if final else timezone.now() + datetime.timedelta(seconds=countdown),
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        log.warning("e-mail %s not sent (attempt %s, final=%s): %s", message.pk, message.attempts, final, exc)
        raise DeliveryFailed(final=final, countdown=countdown) from exc
    if not accepted:
        _mark_sent(message.pk)  # a backend without the callback (console, file, an API): sent when it returns
    return True


def _mark_sent(message_id: int) -> None:
    """Sent. The row keeps its last error and its "delivery unknown" flag: the log shows what
    happened on the way, not only how it ended."""
    Message.objects.filter(pk=message_id, status=Message.Status.IN_FLIGHT).update(
        status=Message.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
    )


def message_resend(*, message: Message, by) -> bool:
    """Put a failed e-mail back in the queue with fresh attempts; False if it had not failed.

    Only failed rows: a sent one is never sent twice by this path, a queued one is on its way.
    """
    now = timezone.now()
    changed = Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
        status=Message.Status.QUEUED, attempts=0, next_attempt_at=now, resent_by=by, resent_at=now
    )
    if changed:
        _enqueue_after_commit(message.pk)
    return bool(changed)


def outbox_sweep(*, now: datetime.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """The periodic safety net. Re-queues rows stuck in flight longer than
    OUTBOX_STUCK_AFTER_SECONDS (their worker died; this is the at-least-once window) and
    re-enqueues queued rows whose delivery is overdue by OUTBOX_REQUEUE_AFTER_SECONDS (their task
    was lost). Safe to run anywhere, any number of times: the claim in deliver() decides who sends.
    """
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(seconds=getattr(settings, "OUTBOX_STUCK_AFTER_SECONDS", 900))
    lost_before = now - datetime.timedelta(seconds=getattr(settings, "OUTBOX_REQUEUE_AFTER_SECONDS", 600))
    counts = {"requeued_stuck": 0, "failed_stuck": 0, "reenqueued": 0}
    with transaction.atomic():
        stuck = list(Message.objects.select_for_update(skip_locked=True).stuck_in_flight(before=stuck_before)[:batch])
        for message in stuck:
            # Nobody can know whether the server got it: flagged for good, and a resend carries
            # the same Message-ID, so the receiver can recognise and drop a second copy.
            message.delivery_unknown_at = message.delivery_unknown_at or now
            if message.attempts >= max_attempts():
                message.status, message.next_attempt_at = Message.Status.FAILED, None
                message.last_error = "The worker stopped while sending; no attempts left (delivery unknown)."
                counts["failed_stuck"] += 1
            else:
                message.status, message.next_attempt_at = Message.Status.QUEUED, now
                message.last_error = "The worker stopped while sending; queued again (delivery unknown)."
                counts["requeued_stuck"] += 1
                _enqueue_after_commit(message.pk)
            message.save(update_fields=["status", "next_attempt_at", "last_error", "delivery_unknown_at"])
        lost = list(
            Message.objects.select_for_update(skip_locked=True)
            .lost_in_queue(before=lost_before)
            .values_list("pk", flat=True)[:batch]
        )
        if lost:
            Message.objects.filter(pk__in=lost).update(next_attempt_at=now)
            for pk in lost:
                _enqueue_after_commit(pk)
        counts["reenqueued"] = len(lost)
    if any(counts.values()):
        log.info("outbox sweep: %s", counts)
    return counts
