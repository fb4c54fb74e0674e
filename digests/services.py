"""Building and queueing digests.

A run for (kind, period) walks the kind's recipients; for each it builds the registered sections
through the recipient's own access, skips an empty digest, and queues one e-mail with the key
(kind, address, period[, kommun]) in its own transaction. A run can therefore be repeated or
resumed after a crash at any point: already-queued recipients are skipped, the others are queued,
and nobody gets a period twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import User
from outbox import services as outbox
from outbox.models import Message

from . import kinds, periods
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
        if message is None:
            report.already += 1
        else:
            report.queued += 1
    return report


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
