"""A digest run is a row with progress; the sweeper resumes one whose worker died mid-build within
minutes (DIGEST_RUN_STALE_AFTER_SECONDS), never waiting for the broker's hour."""

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from digests import services
from digests.constants import KOMMUN_WEEKLY
from digests.models import DigestRun
from outbox.models import Message

pytestmark = pytest.mark.django_db


def test_a_run_records_its_progress_and_ends_done(flen_with_gaps, varmdo_with_gaps, user_a, user_b, week):
    report = services.digests_send(kind=KOMMUN_WEEKLY, period=week)

    run = DigestRun.objects.get(kind=KOMMUN_WEEKLY, period=week.label)
    assert run.status == DigestRun.Status.DONE and run.finished_at is not None
    assert (run.recipients, run.done, run.queued) == (report.recipients, report.recipients, report.queued)
    assert report.queued >= 2


def test_a_run_killed_mid_build_is_resumed_by_the_sweeper(
    flen_with_gaps, varmdo_with_gaps, user_a, user_b, week, settings, django_capture_on_commit_callbacks
):
    settings.DIGEST_RUN_STALE_AFTER_SECONDS = 180
    # The state a killed run leaves: its row running, one recipient queued, the heartbeat stopped.
    services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    first = Message.objects.get(to=user_a.email)
    Message.objects.exclude(pk=first.pk).delete()
    four_minutes_ago = timezone.now() - datetime.timedelta(minutes=4)
    DigestRun.objects.update(status=DigestRun.Status.RUNNING, heartbeat_at=four_minutes_ago, finished_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        resumed = services.digest_runs_sweep()

    assert [(r.kind, r.period) for r in resumed] == [(KOMMUN_WEEKLY, week.label)]
    run = DigestRun.objects.get()
    assert run.status == DigestRun.Status.DONE and run.resumed == 1
    # The rest were queued; the one already queued was not queued again.
    assert Message.objects.filter(to=user_a.email).count() == 1
    assert Message.objects.filter(to=user_b.email).count() == 1
    assert Message.objects.get(to=user_a.email).pk == first.pk


def test_a_live_or_finished_run_is_left_alone(flen_with_gaps, user_a, week, django_capture_on_commit_callbacks):
    services.digests_send(kind=KOMMUN_WEEKLY, period=week)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_runs_sweep() == []  # done
    DigestRun.objects.update(status=DigestRun.Status.RUNNING, heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.digest_runs_sweep() == []  # alive: its heartbeat moved a moment ago
    assert callbacks == []


def test_the_sweeper_is_scheduled_every_two_minutes():
    task = PeriodicTask.objects.get(task="digests.tasks.sweep_digest_runs")
    assert task.enabled and task.crontab.minute == "*/2"


def test_a_dry_run_writes_no_run(flen_with_gaps, user_a, week):
    services.digests_send(kind=KOMMUN_WEEKLY, period=week, dry_run=True)
    assert not DigestRun.objects.exists()
