"""Digest runs with a real Redis and a real Celery worker (the issue's acceptance tests):
exactly one e-mail per recipient; the same period again sends nothing; a worker killed in the
middle of a run and restarted leaves every recipient with exactly one e-mail and none without."""

import time

import pytest

from digests.constants import KOMMUN_WEEKLY, STAFF_WEEKLY
from digests.tasks import send_digests
from members.models import Kommun, User
from outbox.models import Message
from outbox.tasks import sweep_outbox

from ..factories import UserFactory
from ..outbox.backends import read_mailbox
from ..outbox.worker import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PERIOD = "2026-W47"


def all_sent(expected: int):
    def check():
        statuses = list(Message.objects.values_list("status", flat=True))
        return len(statuses) == expected and all(s == Message.Status.SENT for s in statuses)

    return check


def test_a_run_sends_one_email_per_recipient_and_a_rerun_sends_nothing(celery_worker):
    for n in range(4):
        UserFactory(email=f"staff{n}@investstockholm.example", role=User.Role.STAFF, language="en" if n else "sv")
    expected = {u.email: 1 for u in User.objects.filter(role=User.Role.STAFF)}
    worker = celery_worker(MAIL_DELAY_SECONDS="0").start()

    send_digests.delay(STAFF_WEEKLY, PERIOD)
    wait_for(all_sent(len(expected)), 30, 0.2, "every digest to be sent", worker=worker)
    wait_for(lambda: worker.received() == expected, 10, 0.1, "the mailbox")
    for message in read_mailbox(worker.mailbox):
        assert message["List-Unsubscribe"].strip().startswith("<http") and message["Message-ID"].startswith("<outbox-")
        assert message.is_multipart()  # plain text and HTML

    send_digests.delay(STAFF_WEEKLY, PERIOD)  # the same period again
    wait_for(
        lambda: worker.log_text().count("Task digests.tasks.send_digests") >= 2 and "'queued': 0" in worker.log_text(),
        30,
        0.2,
        "the second run",
        worker=worker,
    )
    time.sleep(1)  # anything it had queued would be delivered by now
    assert worker.received() == expected
    assert Message.objects.count() == len(expected)


def test_worker_killed_mid_run_and_restarted_sends_each_digest_exactly_once(celery_worker):
    kommuner = list(Kommun.objects.members().order_by("code")[:8])
    for kommun in kommuner:  # no contacts: each kommun's digest lists the contacts missing
        UserFactory(email=f"nlc@{kommun.code}.example", role=User.Role.KOMMUN, kommun=kommun)
    expected = {f"nlc@{k.code}.example": 1 for k in kommuner}
    # Slow delivery (0.5 s each), so the kill lands mid-run; short sweeper thresholds.
    worker = celery_worker(
        MAIL_DELAY_SECONDS="0.5", OUTBOX_STUCK_AFTER_SECONDS="2", OUTBOX_REQUEUE_AFTER_SECONDS="2"
    ).start()
    send_digests.delay(KOMMUN_WEEKLY, PERIOD)

    def mid_send():
        # Two delivered and one being sent right now (its marker exists, its file not yet).
        return len(list(worker.mailbox.glob("*.eml"))) >= 2 and any(worker.mailbox.glob("sending-*"))

    wait_for(mid_send, 40, 0.02, "deliveries to start", worker=worker)
    worker.kill()
    delivered_before = sum(worker.received().values())
    assert 2 <= delivered_before < len(expected)
    cut_short = Message.objects.get(status=Message.Status.IN_FLIGHT)  # the send the kill cut short

    worker.start()  # restarted; beat would run the sweeper every few minutes, the test every second

    def settled():
        sweep_outbox.delay()
        return all_sent(len(expected))()

    wait_for(settled, 45, 1.0, "the restarted worker to finish the run", worker=worker)
    time.sleep(1)
    assert worker.received() == expected  # everybody exactly once, nobody without
    cut_short.refresh_from_db()
    # The sweeper found it stuck in flight, queued it again, and the new worker sent it.
    assert cut_short.status == Message.Status.SENT and cut_short.attempts == 2
    assert "requeued_stuck': 1" in worker.all_logs()
