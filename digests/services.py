"""Building and queueing digests.

A run for (kind, period) walks the kind's recipients; for each it builds the registered sections
through the recipient's own access, skips an empty digest, and queues one e-mail with the key
(kind, address, period[, kommun]) in its own transaction. A run can therefore be repeated or
resumed after a crash at any point: already-queued recipients are skipped, the others are queued,
and nobody gets a period twice. The run is a row (DigestRun) whose heartbeat moves after every
recipient; the sweeper resumes a run whose heartbeat stopped (its worker died) within minutes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from members.models import User
from outbox import services as outbox
from outbox.models import Message

from . import kinds, periods
from .models import DigestRun
from .periods import Period
from .recipients import Recipient

TEMPLATE = "digests/email/digest"


@dataclass
class BuiltSection:
    key: str
    data: dict
    txt: str
    html: str


@dataclass
class Digest:
    kind: kinds.DigestKind
    recipient: Recipient
    period: Period
    sections: list[BuiltSection]

    @property
    def key(self) -> str:
        return f"{self.period.label}{self.recipient.key_suffix}"

    def context(self) -> dict:
        r = self.recipient
        return {
            "title": self.kind.title,
            "kind": self.kind,
            "period": self.period,
            "name": r.name,
            "kommun": r.kommun,
            "sections": self.sections,
            "portal_url": _portal_url(r),
        }


@dataclass
class RunReport:
    kind: str
    period: Period
    recipients: int = 0
    queued: int = 0
    already: int = 0
    unsubscribed: int = 0
    empty: int = 0
    planned: list[Digest] = field(default_factory=list)  # dry run: what would be queued


def _portal_url(recipient: Recipient) -> str:
    if recipient.user is None:
        return settings.SITE_URL + "/"
    if recipient.user.role == User.Role.STAFF:
        return settings.SITE_URL + reverse("overview:index")
    return settings.SITE_URL + reverse("members:my_kommun")


def digest_build(*, kind: str, recipient: Recipient, period: Period) -> Digest | None:
    """The digest for one recipient and period, or None when no section has anything to say.

    Every section reads through members.access with `recipient.viewer`.
    """
    digest_kind = kinds.kind(kind)
    built = []
    for section in digest_kind.sections:
        data = section.build(recipient, period)
        if data is not None:
            base = section.template_base
            built.append(BuiltSection(section.key, data, f"{base}.txt", f"{base}.html"))
    if not built:
        return None
    return Digest(digest_kind, recipient, period, built)


def period_for(kind: str, label: str | None = None, today: datetime.date | None = None) -> Period:
    cadence = kinds.kind(kind).cadence
    if label:
        return periods.parse(cadence, label)
    return periods.default(cadence, today or timezone.localdate())


def digests_send(*, kind: str, period: Period | None = None, dry_run: bool = False) -> RunReport:
    """Queue the digest of `kind` for `period` (default: the one the schedule would send) to every
    recipient with something to read who has not unsubscribed and has not had it yet.

    With dry_run nothing is written: the report's `planned` lists what would be queued.
    """
    digest_kind = kinds.kind(kind)
    period = period or period_for(kind)
    report = RunReport(kind=kind, period=period)
    recipients = list(digest_kind.recipients(period))
    report.recipients = len(recipients)
    run = None if dry_run else _run_start(kind=kind, period=period, recipients=len(recipients))
    unsubscribed = outbox.unsubscribed_emails(kind=kind)
    # One query for every key already queued for this period (the key ends "<period>[:<kommun>]").
    queued_keys = set(Message.objects.filter(kind=kind, key__contains=f":{period.label}").values_list("key", flat=True))
    for recipient in recipients:
        if recipient.email.lower() in unsubscribed:
            report.unsubscribed += 1
            continue
        key = f"{period.label}{recipient.key_suffix}"
        if outbox.message_key(kind=kind, to=recipient.email, key=key) in queued_keys:
            report.already += 1
            continue
        digest = digest_build(kind=kind, recipient=recipient, period=period)
        if digest is None:
            report.empty += 1
            continue
        if dry_run:
            report.planned.append(digest)
            continue
        with transaction.atomic():
            message = outbox.queue_email(
                kind=kind,
                key=digest.key,
                to=recipient.email,
                template=TEMPLATE,
                context=digest.context(),
                language=recipient.language,
                user=recipient.user,
            )
            # Progress in the same transaction as the e-mail: the heartbeat says the run is alive.
            _run_progress(run, queued=message is not None)
        if message is None:
            report.already += 1
        else:
            report.queued += 1
    if run is not None:
        now = timezone.now()
        run.update(status=DigestRun.Status.DONE, finished_at=now, heartbeat_at=now, done=len(recipients))
    return report


def _run_start(*, kind: str, period: Period, recipients: int):
    """The run's row, (re)started: a repeated or resumed run continues the same row. Returns the
    queryset of that one row, which the run moves on as it goes."""
    now = timezone.now()
    run = DigestRun.objects.filter(kind=kind, period=period.label)
    restarted = run.update(
        status=DigestRun.Status.RUNNING, heartbeat_at=now, finished_at=None, recipients=recipients, done=0
    )
    if not restarted:
        try:
            with transaction.atomic():
                DigestRun.objects.create(kind=kind, period=period.label, heartbeat_at=now, recipients=recipients)
        except IntegrityError:  # started at the same moment by another worker: same row, same outcome
            pass
    return run


def _run_progress(run, *, queued: bool) -> None:
    run.update(heartbeat_at=timezone.now(), done=F("done") + 1, queued=F("queued") + (1 if queued else 0))


def digest_runs_sweep(*, now: datetime.datetime | None = None) -> list[DigestRun]:
    """Resume every run still `running` whose heartbeat is older than DIGEST_RUN_STALE_AFTER_SECONDS
    (its worker died mid-build). Safe anywhere, any number of times: the outbox keys decide who gets
    an e-mail; the heartbeat is moved on so the next sweep does not enqueue it again at once."""
    from .tasks import send_digests

    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.DIGEST_RUN_STALE_AFTER_SECONDS)
    with transaction.atomic():
        stale = list(
            DigestRun.objects.select_for_update(skip_locked=True).filter(
                status=DigestRun.Status.RUNNING, heartbeat_at__lt=stale_before
            )
        )
        for run in stale:
            DigestRun.objects.filter(pk=run.pk).update(heartbeat_at=now, resumed=F("resumed") + 1)
            transaction.on_commit(lambda run=run: send_digests.delay(run.kind, run.period))
    return stale


def digest_render(digest: Digest) -> tuple[str, str, str]:
    """(subject, text, html) as the recipient would get it, without writing anything."""
    return outbox.render_email(
        kind=digest.kind.code,
        to=digest.recipient.email,
        template=TEMPLATE,
        context=digest.context(),
        language=digest.recipient.language,
        user=digest.recipient.user,
    )
