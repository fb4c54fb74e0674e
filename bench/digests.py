"""Time to build every digest for the whole region (no sending), and queries per recipient.

    python bench/digests.py            # a throw-away SQLite database in /tmp
    DATABASE_URL=postgres://… python bench/digests.py

Builds the region: the kommun register and roster, for every member kommun two users and a full set
of contacts, 10 staff users, and 40 inquiries each sent to 10 members (answered, open, due within
two days, overdue, forwarded with feedback). Then, for each digest kind, builds and renders every recipient's digest
as the schedule would (dry run: nothing is written or sent).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/sba-bench-digests.sqlite3")
os.environ.pop("REDIS_URL", None)  # build only: no broker needed

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from digests import kinds, services  # noqa: E402
from members.models import Contact, Kommun, User, role_flags  # noqa: E402
from members.services import kommuner_load  # noqa: E402


def build_region() -> None:
    call_command("migrate", verbosity=0)
    kommuner_load()
    if User.objects.filter(email__endswith="@bench.example").exists():
        return
    users, contacts = [], []
    for kommun in Kommun.objects.members():
        for n in range(2):
            users.append(
                User(email=f"u{n}-{kommun.code}@bench.example", role=User.Role.KOMMUN, kommun=kommun, password="!")
            )
        for role in ("kso", "kommundirektor", "naringslivschef", "investment"):  # no NKI contact: a gap
            contacts.append(
                Contact(
                    kommun=kommun,
                    role=role,
                    **role_flags(role),
                    is_primary=True,
                    name=f"{role} {kommun.name}",
                    email=f"{role}-{kommun.code}@bench.example",
                )
            )
    users += [User(email=f"staff{n}@bench.example", role=User.Role.STAFF, password="!") for n in range(10)]
    User.objects.bulk_create(users)
    Contact.objects.bulk_create(contacts)
    build_inquiries()


def build_inquiries() -> None:
    """40 inquiries, each to 10 member kommuner, with answers, deadlines and feedback spread out."""
    import datetime
    import random

    from django.utils import timezone

    from inquiries.models import Answer, Dispatch, Inquiry

    rng = random.Random(5)
    now, today = timezone.now(), timezone.localdate()
    members = list(Kommun.objects.members())
    dispatches, answers = [], []
    for n in range(40):
        deadline = today + datetime.timedelta(days=rng.randint(-20, 10))
        inquiry = Inquiry.objects.create(
            reference=f"SBA-2099-{n + 1:04d}",
            code_name=f"Bench {n}",
            investor_name="Bench AB",
            description="Bench",
            answer_deadline=deadline,
            status=Inquiry.Status.SENT,
            sent_at=now - datetime.timedelta(days=14),
        )
        for kommun in rng.sample(members, k=min(10, len(members))):
            forwarded = rng.random() < 0.2
            dispatches.append(
                Dispatch(
                    inquiry=inquiry,
                    kommun=kommun,
                    deadline=deadline,
                    sent_at=now - datetime.timedelta(days=14),
                    forwarded_at=now - datetime.timedelta(days=3) if forwarded else None,
                    feedback="Tack!" if forwarded else "",
                    feedback_at=now - datetime.timedelta(days=3) if forwarded else None,
                )
            )
    Dispatch.objects.bulk_create(dispatches)
    for dispatch in Dispatch.objects.filter(inquiry__code_name__startswith="Bench"):
        if rng.random() < 0.6:
            answers.append(
                Answer(
                    dispatch=dispatch, decision=Answer.Decision.INTERESTED, answered_at=now - datetime.timedelta(days=5)
                )
            )
    Answer.objects.bulk_create(answers)


def main() -> None:
    build_region()
    print(f"database: {connection.vendor}; member kommuner: {Kommun.objects.members().count()}")
    total_time, total_digests = 0.0, 0
    for kind in kinds.DIGEST_KINDS:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = services.digests_send(kind=kind.code, period=services.period_for(kind.code), dry_run=True)
            for digest in report.planned:
                services.digest_render(digest)
            elapsed = time.perf_counter() - started
        total_time += elapsed
        total_digests += len(report.planned)
        per = len(queries) / max(report.recipients, 1)
        print(
            f"{kind.code:<18} recipients {report.recipients:>4}  digests {len(report.planned):>4}  "
            f"{elapsed:6.2f} s  queries {len(queries):>5} ({per:.1f} per recipient)"
        )
    print(f"all kinds: {total_digests} digests built and rendered in {total_time:.2f} s")


if __name__ == "__main__":
    main()
