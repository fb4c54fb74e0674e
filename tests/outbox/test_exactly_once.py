"""Mail as close to exactly once as SMTP allows (outbox/backends.py, outbox/services.py).

A real SMTP server on loopback (tests/outbox/smtp_server.py). The row is marked sent the moment the
server accepted the data, before the session closes; a row the sweeper found in flight is flagged
"delivery unknown" for good and re-sent with the same Message-ID.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import Message

from ..conftest import client_for
from .backends import StatusAtCloseBackend
from .conftest import queue
from .smtp_server import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "outbox.backends.SMTPBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server


def test_smtp_url_settings_use_the_outbox_backend():
    from django.conf import settings

    # EMAIL_URL=smtp://… gives Django's backend; the settings swap in the one that calls back.
    assert settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend"


def test_a_row_is_sent_before_the_smtp_session_closes(smtp, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.outbox.backends.StatusAtCloseBackend"
    StatusAtCloseBackend.seen = []
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    assert len(smtp.accepted) == 1 and smtp.quit_seen.is_set()
    # When the session was being closed (QUIT), the row already said sent: a worker killed there
    # leaves nothing in flight for the sweeper to send again.
    assert StatusAtCloseBackend.seen == [Message.Status.SENT]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.delivery_unknown_at) == (Message.Status.SENT, 1, None)
    assert smtp.message_ids() == [f"<outbox-{message.pk}@127.0.0.1>"]


def test_a_row_found_in_flight_is_flagged_delivery_unknown_and_resent_with_the_same_message_id(
    smtp, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    # As if a worker had died in the milliseconds between the server's 250 and the database write.
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.IN_FLIGHT, claimed_at=long_ago, sent_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.outbox_sweep()

    assert counts["requeued_stuck"] == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 2
    assert message.delivery_unknown_at is not None  # kept after the successful resend
    assert "delivery unknown" in message.last_error
    first, second = smtp.message_ids()
    assert first == second == f"<outbox-{message.pk}@127.0.0.1>"  # the receiver can drop the copy
    page = client_for(staff).get(reverse("outbox:log")).content.decode()
    assert "Leverans okänd" in page


def test_a_failed_send_keeps_its_error_in_the_log_after_a_later_success(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED and "SMTPServerDisconnected" in message.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver(message.pk) is True
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert "SMTPServerDisconnected" in message.last_error  # the trace stays: what happened on the way
