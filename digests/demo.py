"""Demo data for the digests and the delivery log: loaded by `manage.py load_demo`. Idempotent.

Queues last week's staff digest (delivered at once to the console in the embedded set-up) and puts
one failed e-mail in the log, so staff can try "Send again" at /e-post/logg/.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from outbox.models import Message

from . import services
from .constants import STAFF_WEEKLY


def load() -> None:
    services.digests_send(kind=STAFF_WEEKLY, period=services.period_for(STAFF_WEEKLY))
    with transaction.atomic():
        Message.objects.get_or_create(
            key="demo:failed-example",
            defaults={
                "kind": "member_quarterly",
                "to": "kso@example-kommun.se",
                "subject": "SBA-medlemsrapport (demo)",
                "body_text": "Ett exempel på ett e-postmeddelande som inte kunde skickas.",
                "status": Message.Status.FAILED,
                "attempts": 5,
                "last_error": "SMTPRecipientsRefused: {'kso@example-kommun.se': (550, b'No such user')} (demo)",
                "next_attempt_at": None,
                "claimed_at": timezone.now(),
            },
        )
