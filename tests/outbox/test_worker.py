"""A failing mail server, with a real Redis and a real Celery worker: retries with back-off, then
`failed` with the error; staff send it again once the mail server works, and it arrives once; a
worker killed after the server accepted a message does not send it twice."""

import time

import pytest
from django.urls import reverse

from outbox.models import Message
from outbox.tasks import sweep_outbox

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


def test_worker_killed_after_the_server_accepted_sends_the_mail_once(celery_worker):
    """The kill lands after the mail server said "250" to the data, while the worker waits for the
    answer to QUIT: the row already says sent, so the sweeper has nothing to send again.
    (tests/digests/test_worker.py kills before the hand-over.)"""
    from .smtp_server import SMTPServer

    with SMTPServer(hang_on_quit=True) as smtp:
        worker = celery_worker(EMAIL_URL=smtp.url, EMAIL_BACKEND="", OUTBOX_STUCK_AFTER_SECONDS="1").start()
        message = queue(to="kso@flen.example")
        assert smtp.quit_seen.wait(30), worker.all_logs()  # accepted, and the session is closing
        worker.kill()
        message.refresh_from_db()
        assert message.status == Message.Status.SENT and message.attempts == 1

        smtp.hang_on_quit = False
        worker.start()
        sweep_outbox.delay()
        wait_for(lambda: "outbox.tasks.sweep_outbox" in worker.log_text() and "succeeded" in worker.log_text(), 30)
        time.sleep(1)
        message.refresh_from_db()
        assert len(smtp.accepted) == 1  # once, not twice
        assert (message.status, message.attempts, message.delivery_unknown_at) == (Message.Status.SENT, 1, None)
