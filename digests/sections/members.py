"""Sections built from the ground floor: contacts, membership, portal use. One or two queries each."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from members import access
from members.models import Contact, Membership, User

from ..constants import (
    LIST_LIMIT,
    MEMBERSHIP_ENDING_WITHIN_DAYS,
    REQUIRED_CONTACT_ROLES,
)
from ..periods import Period
from ..recipients import Recipient


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _role_labels(roles) -> list:
    return [label for value, label in Contact.Role.choices if value in roles]


def contacts_missing(recipient: Recipient, period: Period) -> dict | None:
    """Roles the kommun has nobody with an e-mail address for (Invest Stockholm cannot reach them);
    an NKI or investment contact is whoever holds that responsibility."""
    if recipient.kommun is None:
        return None
    reachable = list(
        access.contacts_visible_to(recipient.viewer)
        .active()
        .filter(kommun=recipient.kommun)
        .filling(REQUIRED_CONTACT_ROLES)
        .exclude(email="")
    )
    missing = [role for role in REQUIRED_CONTACT_ROLES if not any(c.fills(role) for c in reachable)]
    if not missing:
        return None
    return {
        "kommun": recipient.kommun,
        "roles": _role_labels(missing),
        "url": _url("members:kommun_detail", recipient.kommun.code),
    }


def _ending(memberships: list[Membership], today: datetime.date) -> Membership | None:
    """The membership covering today if it ends soon and no later one follows it."""
    current = next((m for m in memberships if m.is_active(today)), None)
    if current is None or current.ends_on is None:
        return None
    if current.ends_on > today + datetime.timedelta(days=MEMBERSHIP_ENDING_WITHIN_DAYS):
        return None
    if any(m.starts_on > current.ends_on for m in memberships):
        return None
    return current


def membership_ending(recipient: Recipient, period: Period) -> dict | None:
    if recipient.kommun is None:
        return None
    memberships = list(access.scope_to_kommun(recipient.viewer, Membership.objects.filter(kommun=recipient.kommun)))
    ending = _ending(memberships, timezone.localdate())
    if ending is None:
        return None
    return {"kommun": recipient.kommun, "ends_on": ending.ends_on}


# --- Staff ---------------------------------------------------------------------------------------


def members_never_signed_in(recipient: Recipient, period: Period) -> dict | None:
    """Member kommuner where no active user has ever signed in: nobody there uses the portal."""
    signed_in = User.objects.filter(kommun=OuterRef("pk"), is_active=True, last_login__isnull=False)
    kommuner = list(
        access.kommuner_visible_to(recipient.viewer)
        .members(period.end)
        .annotate(signed_in=Exists(signed_in))
        .filter(signed_in=False)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if not kommuner:
        return None
    return {"count": len(kommuner), "names": kommuner[:LIST_LIMIT], "more": max(len(kommuner) - LIST_LIMIT, 0)}


def invitations_pending(recipient: Recipient, period: Period) -> dict | None:
    """Invited users who have not yet set a password, oldest invitation first."""
    pending = list(
        access.scope_to_kommun(
            recipient.viewer,
            User.objects.filter(
                is_active=True, invited_at__isnull=False, password__startswith=UNUSABLE_PASSWORD_PREFIX
            ),
        )
        .select_related("kommun")
        .order_by("invited_at")[: LIST_LIMIT + 1]
    )
    if not pending:
        return None
    today = timezone.localdate()
    rows = [
        {"email": u.email, "kommun": u.kommun, "days": (today - timezone.localdate(u.invited_at)).days}
        for u in pending[:LIST_LIMIT]
    ]
    return {"rows": rows, "more": len(pending) > LIST_LIMIT, "url": _url("members:user_list")}


def region_memberships_ending(recipient: Recipient, period: Period) -> dict | None:
    """Member kommuner whose membership ends soon without a following one."""
    today = timezone.localdate()
    later = Membership.objects.filter(kommun=OuterRef("kommun"), starts_on__gt=OuterRef("ends_on"))
    ending = list(
        access.scope_to_kommun(recipient.viewer, Membership.objects.all())
        .filter(
            starts_on__lte=today,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=MEMBERSHIP_ENDING_WITHIN_DAYS),
        )
        .exclude(Exists(later))
        .select_related("kommun")
        .order_by("ends_on", "kommun__name")
    )
    if not ending:
        return None
    return {"rows": [{"kommun": m.kommun, "ends_on": m.ends_on} for m in ending]}


def region_contacts_missing(recipient: Recipient, period: Period) -> dict | None:
    """Member kommuner with no näringslivschef to send inquiries to."""
    reachable = (
        Contact.objects.active().filter(kommun=OuterRef("pk"), role=Contact.Role.NARINGSLIVSCHEF).exclude(email="")
    )
    kommuner = list(
        access.kommuner_visible_to(recipient.viewer)
        .members(period.end)
        .exclude(Exists(reachable))
        .order_by("name")
        .values_list("name", flat=True)
    )
    if not kommuner:
        return None
    return {"count": len(kommuner), "names": kommuner[:LIST_LIMIT], "more": max(len(kommuner) - LIST_LIMIT, 0)}


# --- Quarterly member report ---------------------------------------------------------------------


def membership_facts(recipient: Recipient, period: Period) -> dict | None:
    """The kommun's membership and how much its people used the portal in the quarter."""
    if recipient.kommun is None:
        return None
    memberships = list(
        access.scope_to_kommun(
            recipient.viewer, Membership.objects.filter(kommun=recipient.kommun).select_related("period")
        ).order_by("starts_on")
    )
    current = next((m for m in memberships if m.is_active(period.end)), None)
    if current is None:
        return None
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime.combine(period.end, datetime.time.max, tzinfo=timezone.get_current_timezone())
    use = access.scope_to_kommun(recipient.viewer, User.objects.filter(is_active=True)).aggregate(
        users=Count("pk"), signed_in=Count("pk", filter=Q(last_login__range=(start, end)))
    )
    return {
        "kommun": recipient.kommun,
        "member_since": memberships[0].starts_on if memberships else None,
        "current": current,
        "users": use["users"],
        "signed_in": use["signed_in"],
    }


def contact_facts(recipient: Recipient, period: Period) -> dict | None:
    """Who Invest Stockholm turns to in the kommun, by role, and which roles have nobody."""
    if recipient.kommun is None:
        return None
    contacts = list(
        access.contacts_visible_to(recipient.viewer)
        .active()
        .filter(kommun=recipient.kommun)
        .filling(REQUIRED_CONTACT_ROLES)
        .order_by("-is_primary", "name")
    )

    def first_for(role: str) -> Contact | None:
        # Someone with the role itself before someone who holds its responsibility, primary first.
        filling = [c for c in contacts if c.fills(role)]
        return min(filling, key=lambda c: (c.role != role, not c.is_primary, c.name), default=None)

    rows = [
        {"role": label, "contact": first_for(value)}
        for value, label in Contact.Role.choices
        if value in REQUIRED_CONTACT_ROLES
    ]
    return {"kommun": recipient.kommun, "rows": rows}
