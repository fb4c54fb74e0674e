"""queue_email → deliver → sent, exactly once; retries, sweeper, re-send, unsubscribed addresses."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.models import Message, Unsubscribe

from .conftest import queue

pytestmark = pytest.mark.django_db

FAILING = "tests.outbox.backends.FailingBackend"


def test_queued_once_per_key_and_delivered_after_commit(django_capture_on_commit_callbacks, user_a):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(user=user_a)
        again = queue(user=user_a)
    assert first is not None and again is None
    assert Message.objects.count() == 1
    first.refresh_from_db()
    assert first.status == Message.Status.SENT and first.attempts == 1 and first.sent_at
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["nlc@flen.example"]
    # Unsubscribe link in the body and in the List-Unsubscribe header; settings link for a user.
    assert "/e-post/avregistrera/" in sent.body and "/e-post/installningar/" in sent.body
    assert sent.extra_headers["List-Unsubscribe"].startswith("<http")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent.extra_headers["Message-ID"] == f"<outbox-{first.pk}@127.0.0.1>"
    html = sent.alternatives[0][0]
    assert html.index("/e-post/avregistrera/") < html.index("</body>")


def test_contact_without_login_gets_unsubscribe_but_no_settings_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue(to="kso@flen.example")
    body = mail.outbox[0].body
    assert "/e-post/avregistrera/" in body and "/e-post/installningar/" not in body


def test_rollback_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the event failed")
        except RuntimeError:
            pass
    assert not Message.objects.exists() and mail.outbox == []


def test_unsubscribed_address_is_refused_for_that_kind_only(django_capture_on_commit_callbacks):
    Unsubscribe.objects.create(email="NLC@flen.example", kind="test_notice")
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(to="nlc@FLEN.example") is None
        assert queue(kind="other_notice") is not None
    assert list(Message.objects.values_list("kind", flat=True)) == ["other_notice"]


def test_a_second_delivery_of_the_same_row_sends_nothing():
    message = queue()
    assert services.deliver(message.pk) is True
    assert services.deliver(message.pk) is False
    assert len(mail.outbox) == 1


def test_failures_back_off_then_fail_with_the_error(settings):
    settings.EMAIL_BACKEND = FAILING
    message = queue()
    before = timezone.now()
    with pytest.raises(services.DeliveryFailed) as first:
        services.deliver(message.pk)
    assert not first.value.final and first.value.countdown == 1
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=1)
    with pytest.raises(services.DeliveryFailed) as second:
        services.deliver(message.pk)
    assert second.value.countdown == 2  # exponential: 1, 2, 4 …
    with pytest.raises(services.DeliveryFailed) as third:
        services.deliver(message.pk)
    assert third.value.final
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.attempts == 3 and message.next_attempt_at is None
    assert services.deliver(message.pk) is False  # a failed row is not retried by a stray task
    assert mail.outbox == []


def test_retry_delay_grows_exponentially(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    assert [services.retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_resend_only_failed_rows(django_capture_on_commit_callbacks, settings, staff):
    settings.EMAIL_BACKEND = FAILING
    message = queue()
    for _ in range(3):
        with pytest.raises(services.DeliveryFailed):
            services.deliver(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.message_resend(message=message, by=staff) is True
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.resent_by == staff and message.attempts == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.message_resend(message=message, by=staff) is False  # sent: never twice
    assert len(mail.outbox) == 1


def test_sweeper_requeues_stuck_rows_and_reenqueues_lost_ones(django_capture_on_commit_callbacks, settings):
    settings.OUTBOX_STUCK_AFTER_SECONDS = 600
    settings.OUTBOX_REQUEUE_AFTER_SECONDS = 300
    now = timezone.now()
    long_ago = now - datetime.timedelta(hours=1)
    stuck = queue(key="stuck")
    Message.objects.filter(pk=stuck.pk).update(status=Message.Status.IN_FLIGHT, claimed_at=long_ago, attempts=1)
    busy = queue(key="busy")  # claimed a moment ago: its worker is still sending
    Message.objects.filter(pk=busy.pk).update(status=Message.Status.IN_FLIGHT, claimed_at=now, attempts=1)
    lost = queue(key="lost")
    Message.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago)
    waiting = queue(key="waiting")  # due later (back-off): left alone
    Message.objects.filter(pk=waiting.pk).update(next_attempt_at=now + datetime.timedelta(minutes=5))
    exhausted = queue(key="exhausted")
    Message.objects.filter(pk=exhausted.pk).update(status=Message.Status.IN_FLIGHT, claimed_at=long_ago, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.outbox_sweep(now=now)
    assert counts == {"requeued_stuck": 1, "failed_stuck": 1, "reenqueued": 1}
    status = dict(Message.objects.values_list("key", "status"))
    assert status == {
        stuck.key: Message.Status.SENT,
        busy.key: Message.Status.IN_FLIGHT,
        lost.key: Message.Status.SENT,
        waiting.key: Message.Status.QUEUED,
        exhausted.key: Message.Status.FAILED,
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["nlc@flen.example"] * 2


def test_unsubscribe_token_round_trip_and_tampering():
    token = services.unsubscribe_token(email="KSO@Flen.example", kind="member_quarterly")
    assert services.unsubscribe_token_read(token) == ("kso@flen.example", "member_quarterly")
    assert services.unsubscribe_token_read(token[:-2] + "xx") is None
    assert services.unsubscribe_token_read("not-a-token") is None


def test_plain_text_and_subject_are_not_html_escaped_but_the_html_part_is(tmp_path, settings):
    from outbox.services import render_email

    name = "Bygg & Co <AB> 'Norr'"
    subject, text, html = render_email(
        kind="test", to="a@x.example", template="testmail/escape", context={"name": name}, language="sv"
    )
    assert subject == f"Hej {name}"
    assert f"Hej {name}" in text and "&lt;" not in text and "&#x27;" not in text
    assert "Bygg &amp; Co &lt;AB&gt;" in html
