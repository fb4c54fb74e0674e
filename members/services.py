"""Writes on the ground floor: the kommun register, memberships, users. Views call these."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox import services as outbox

from .models import AgreementPeriod, Kommun, Lan, Membership, Population, User
from .tokens import invitation_token

DATA_DIR = Path(__file__).resolve().parent / "data"

# The agreement periods the roster is seeded into. Staff add later periods in the portal or admin.
SEED_PERIODS = [
    ("2017–2020", datetime.date(2017, 1, 1), datetime.date(2020, 12, 31)),
    ("2021–2024", datetime.date(2021, 1, 1), datetime.date(2024, 12, 31)),
    ("2025–2028", datetime.date(2025, 1, 1), datetime.date(2028, 12, 31)),
]


@dataclass
class LoadResult:
    lan_created: int = 0
    kommuner_created: int = 0
    kommuner_updated: int = 0
    memberships_created: int = 0


@transaction.atomic
def kommuner_load(*, kommuner_csv: Path | None = None, members_csv: Path | None = None) -> LoadResult:
    """Load the 290 kommuner and the initial SBA roster. Idempotent: a second run changes nothing.

    Kommuner are keyed by kommunkod (names are corrected if SCB's file changes). The roster is
    seeded only for kommuner that have no membership record at all, so staff corrections made in
    the portal are never overwritten.
    """
    result = LoadResult()
    with open(kommuner_csv or DATA_DIR / "kommuner.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    lan_by_code = {lan.code: lan for lan in Lan.objects.all()}
    for row in rows:
        code = row["lan_kod"].zfill(2)
        if code not in lan_by_code:
            lan_by_code[code] = Lan.objects.create(code=code, name=row["lan_namn"])
            result.lan_created += 1
    kommuner = {k.code: k for k in Kommun.objects.all()}
    for row in rows:
        code, name, lan = row["kommunkod"].zfill(4), row["namn"], lan_by_code[row["lan_kod"].zfill(2)]
        existing = kommuner.get(code)
        if existing is None:
            kommuner[code] = Kommun.objects.create(code=code, name=name, lan=lan)
            result.kommuner_created += 1
        elif existing.name != name or existing.lan_id != lan.pk:
            existing.name, existing.lan = name, lan
            existing.save()
            result.kommuner_updated += 1

    periods = []
    for name, start, end in SEED_PERIODS:
        period, _ = AgreementPeriod.objects.get_or_create(name=name, defaults={"starts_on": start, "ends_on": end})
        periods.append(period)
    with open(members_csv or DATA_DIR / "sba_members.csv", encoding="utf-8", newline="") as fh:
        roster = {row["kommunkod"].zfill(4): row for row in csv.DictReader(fh)}
    with_membership = set(Membership.objects.values_list("kommun__code", flat=True))
    current = periods[-1]
    for code, row in roster.items():
        if code in with_membership or code not in kommuner:
            continue
        # The public roster shows membership, not its start: seed it from the current period.
        Membership.objects.create(
            kommun=kommuner[code],
            period=current,
            starts_on=current.starts_on,
            note=f"Initial roster (sba_members.csv, {row['status']}): verify against the agreement. "
            f"Evidence: {row['evidence']}",
        )
        result.memberships_created += 1
    if result.memberships_created and not current.roster_recorded:
        # The public roster is today's: it records the current period only (members.roster), so
        # earlier periods say their member list is missing until staff enter it.
        current.roster_recorded = True
        current.save(update_fields=["roster_recorded"])
    return result


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token.make_token(user)
    return absolute_url(reverse("accept_invitation", args=[uid, token]))


# Account e-mail goes through the outbox like every other mail: written in the request's
# transaction, delivered by the worker, retried, logged; a request never waits on SMTP.
INVITATION_KIND = "account_invitation"
PASSWORD_RESET_KIND = "account_password_reset"  # noqa: S105 - an e-mail kind, not a password


def _send_invitation(user: User) -> None:
    """Queue the invitation (one per invitation: the key holds its time, so a re-invite is new)."""
    outbox.queue_email(
        kind=INVITATION_KIND,
        key=f"invitation:{user.pk}:{user.invited_at.isoformat()}",
        to=user.email,
        template="members/email/invitation",
        context={
            "user": user,
            "url": invitation_url(user),
            "days": settings.INVITATION_TIMEOUT.days,
            "site_url": settings.SITE_URL,
        },
        language=user.language,
        user=user,
    )


def password_reset_queue(*, user: User, url: str, key: str) -> None:
    """Queue a password reset link for `user` (members.forms.OutboxPasswordResetForm)."""
    outbox.queue_email(
        kind=PASSWORD_RESET_KIND,
        key=f"password-reset:{key}",
        to=user.email,
        template="members/email/password_reset",
        context={"user": user, "url": url},
        language=user.language,
        user=user,
    )


@transaction.atomic
def user_invite(
    *,
    invited_by: User,
    email: str,
    role: str,
    kommun: Kommun | None,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> User:
    """Create a user who cannot sign in until they set a password through the e-mailed link.

    The e-mail is sent only after the transaction commits, so a rolled-back invitation sends nothing.
    """
    user = User(
        email=email,
        role=role,
        kommun=kommun if role == User.Role.KOMMUN else None,
        first_name=first_name,
        last_name=last_name,
        title=title,
        language=language,
        invited_at=timezone.now(),
        invited_by=invited_by,
    )
    user.set_unusable_password()
    user.save()
    _send_invitation(user)  # delivered after commit: a rolled-back invitation sends nothing
    return user


@transaction.atomic
def user_reinvite(*, user: User, invited_by: User) -> None:
    """Send a fresh link; the earlier one stops working (the token covers invited_at)."""
    user.invited_at = timezone.now()
    user.invited_by = invited_by
    user.save(update_fields=["invited_at", "invited_by"])
    _send_invitation(user)


def user_set_active(*, user: User, active: bool) -> None:
    """Deactivate or reactivate. A deactivated user cannot sign in; sessions end at next request."""
    user.is_active = active
    user.save(update_fields=["is_active"])


def invitation_accept(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def population_import(*, rows: list[dict], source: str = "") -> dict[str, int]:
    """Store populations {kommunkod, year, population}; rows are validated by the caller first."""
    kommuner = {k.code: k for k in Kommun.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {(p.kommun.code, p.year): p for p in Population.objects.select_related("kommun")}
    for row in rows:
        key = (row["kommunkod"], row["year"])
        found = existing.get(key)
        if found is None:
            Population.objects.create(
                kommun=kommuner[row["kommunkod"]], year=row["year"], population=row["population"], source=source
            )
            counts["created"] += 1
        elif found.population != row["population"]:
            found.population, found.source = row["population"], source or found.source
            found.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def facts_import(*, parsed, file_name: str, dry_run: bool = False):
    """Store the facts of a parsed file (members.fact_import), all or nothing.

    A file with problems stores nothing and says what they are; with `dry_run` nothing is stored
    and the report says what would be new, changed or unchanged. A stored value keeps its history
    (bulk writes with history, the FACTS cache topic retired).
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from . import cache
    from .cache import Topic
    from .fact_import import FactImportReport
    from .models import KommunFact

    report = FactImportReport(file_name=file_name, layout=parsed.layout, skipped=parsed.skipped)
    if parsed.problems:
        report.problems = parsed.problems
        return report
    kommuner = {k.code: k for k in Kommun.objects.filter(code__in={r["code"] for r in parsed.rows if r["code"]})}
    existing = {
        (f.kommun.code if f.kommun_id else "", f.key, f.year): f
        for f in KommunFact.objects.filter(key__in={r["key"] for r in parsed.rows}).select_related("kommun")
    }
    new, changed = [], []
    for row in parsed.rows:
        found = existing.get((row["code"], row["key"], row["year"]))
        if found is None:
            status = "created"
            new.append(
                KommunFact(
                    kommun=kommuners_get(kommuner, row["code"]),
                    key=row["key"],
                    year=row["year"],
                    value=row["value"],
                    source=row["source"][:200],
                )
            )
        elif found.value != row["value"] or found.source != row["source"]:
            status = "updated"
            found.value, found.source = row["value"], row["source"][:200]
            changed.append(found)
        else:
            status = "unchanged"
        setattr(report, status, getattr(report, status) + 1)
        if len(report.preview) < 20:
            report.preview.append({**row, "status": status, "kommun": kommuners_get(kommuner, row["code"])})
    if not dry_run:
        with transaction.atomic(), cache.retiring(Topic.FACTS):
            if new:
                bulk_create_with_history(new, KommunFact, batch_size=500)
            if changed:
                bulk_update_with_history(changed, KommunFact, ["value", "source"], batch_size=500)
        report.stored = True
    return report


def kommuners_get(kommuner: dict, code: str):
    """The kommun of a fact row; None for the country."""
    return kommuner[code] if code else None
