"""Test-only e-mail backends. The real Celery worker in the service tests imports them by path
(EMAIL_BACKEND=tests.outbox.backends.SlowFileBackend), so they live in an importable module."""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from email import message_from_bytes
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    """Writes each message to EMAIL_FILE_PATH/<uuid>.eml, after MAIL_DELAY_SECONDS.

    While a message is being "sent", a `sending-<uuid>` marker exists, so a test can kill the
    worker in the middle of a send, before the message was delivered.
    """

    def send_messages(self, email_messages) -> int:
        directory = Path(settings.EMAIL_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        delay = float(os.environ.get("MAIL_DELAY_SECONDS", "0"))
        for message in email_messages:
            name = uuid.uuid4().hex
            marker = directory / f"sending-{name}"
            marker.touch()
            time.sleep(delay)
            tmp = directory / f"{name}.tmp"
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(directory / f"{name}.eml")  # atomic: a test never reads half a message
            marker.unlink()
        return len(email_messages)


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test)")


def read_mailbox(directory: Path) -> list:
    """Every delivered message in `directory`, parsed."""
    return [message_from_bytes(p.read_bytes()) for p in sorted(Path(directory).glob("*.eml"))]


class StatusAtCloseBackend:
    """Wraps the outbox's SMTP backend and notes each row's status when the session is closed:
    what a worker killed during the QUIT would leave behind."""

    seen: list[str] = []

    def __new__(cls, *args, **kwargs):
        from outbox.backends import SMTPBackend

        class _Backend(SMTPBackend):
            def close(self) -> None:
                from outbox.models import Message

                StatusAtCloseBackend.seen.extend(Message.objects.values_list("status", flat=True))
                super().close()

        return _Backend(*args, **kwargs)
