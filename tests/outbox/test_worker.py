"""A failing mail server, with a real Redis and a real Celery worker: retries with back-off, then
`failed` with the error; staff send it again once the mail server works, and it arrives once."""

import pytest
from django.urls import reverse

from outbox.models import Message

from ..conftest import client_for
from .conftest import queue
from .worker import closed_port, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_failing_mail_server_retries_then_fails_and_resend_works(celery_worker, staff):
    worker = celery_worker(EMAIL_URL=f"smtp://127.0.0.1:{closed_port()}", EMAIL_BACKEND="").start()
    message = queue(to="kso@flen.example")  # committed at once: the task goes to Redis

    def failed():
        message.refresh_from_db()
        return message.status == Message.Status.FAILED

    wait_for(failed, 30, 0.2, "the e-mail to fail after its retries", worker=worker)
    assert message.attempts == 3  # OUTBOX_MAX_ATTEMPTS in the worker
    assert "ConnectionRefusedError" in message.last_error
    assert worker.log_text().count("Retry in") == 2  # back-off: 1 s, then 2 s
    assert worker.received() == {}

    # The mail server works again: staff send the failed e-mail again from the delivery log.
    worker.stop()
    worker.start(EMAIL_URL=f"filemail:///{worker.mailbox}", EMAIL_BACKEND="tests.outbox.backends.SlowFileBackend")
    response = client_for(staff).post(reverse("outbox:resend", args=[message.pk]))
    assert response.status_code == 302

    def sent():
        message.refresh_from_db()
        return message.status == Message.Status.SENT

    wait_for(sent, 20, 0.2, "the re-sent e-mail to go out", worker=worker)
    assert worker.received() == {"kso@flen.example": 1}
    assert message.resent_by == staff and message.attempts == 1
