"""Who gets each digest, and through whose eyes it is built.

A recipient with a login reads their digest with their own access (`viewer` is the user). A
contact without a login (KSO, kommundirektör, a näringslivschef not yet invited) reads it as a kommun
user of their own kommun would: `viewer` is an unsaved stand-in user tied to that kommun, so the
access module scopes everything to it exactly as for a real kommun user.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from members.models import Contact, Kommun, Responsibility, User

from .periods import Period


@dataclass
class Recipient:
    email: str
    name: str
    language: str
    viewer: User
    user: User | None = None  # the login, if the recipient has one
    kommun: Kommun | None = None
    # The NKI service areas (codes) this recipient reads about; None: every area.
    nki_areas: frozenset[str] | None = None

    @property
    def key_suffix(self) -> str:
        # One digest per recipient and kommun: a person who is the contact of two kommuner gets both.
        return f":{self.kommun.code}" if self.kommun is not None else ""


def kommun_reader(kommun: Kommun) -> User:
    """A stand-in kommun user of `kommun` for contacts without a login (never saved)."""
    return User(role=User.Role.KOMMUN, kommun=kommun, is_active=True, language=settings.LANGUAGE_CODE)


def _from_user(user: User) -> Recipient:
    return Recipient(
        email=user.email,
        name=user.get_full_name() or user.email,
        language=user.language or settings.LANGUAGE_CODE,
        viewer=user,
        user=user,
        kommun=user.kommun if user.role == User.Role.KOMMUN else None,
    )


def _from_contacts(contacts, users_by_email: dict[str, User]) -> list[Recipient]:
    found = []
    for contact in contacts:
        user = users_by_email.get(contact.email.lower())
        if user is not None and user.kommun_id == contact.kommun_id:
            found.append(_from_user(user))
            continue
        # Someone without a login (or with a login elsewhere): Swedish, read as this kommun.
        found.append(
            Recipient(
                email=contact.email,
                name=contact.name,
                language=user.language if user is not None else settings.LANGUAGE_CODE,
                viewer=kommun_reader(contact.kommun),
                kommun=contact.kommun,
            )
        )
    return found


def _dedupe(recipients: list[Recipient]) -> list[Recipient]:
    seen, unique = set(), []
    for r in recipients:
        marker = (r.email.lower(), r.kommun.pk if r.kommun else None)
        if marker not in seen:
            seen.add(marker)
            unique.append(r)
    return unique


def _users_by_email(contacts: list[Contact]) -> dict[str, User]:
    emails = {c.email.lower() for c in contacts}
    return {u.email: u for u in User.objects.filter(email__in=emails, is_active=True).select_related("kommun")}


def kommun_recipients(period: Period) -> list[Recipient]:
    """Member kommuner's active users, and each member's primary näringslivschef and primary
    holders of the investment responsibility (they receive the kommun's inquiries, login or not).
    Three queries."""
    members = Kommun.objects.members(period.end)
    users = list(
        User.objects.filter(role=User.Role.KOMMUN, is_active=True, kommun__in=members)
        .select_related("kommun")
        .order_by("kommun__name", "email")
    )
    contacts = list(
        Contact.objects.active()
        .filter(kommun__in=members, is_primary=True)
        .receiving_inquiries()
        .exclude(email="")
        .select_related("kommun")
        .order_by("kommun__name", "role")
    )
    return _dedupe([_from_user(u) for u in users] + _from_contacts(contacts, _users_by_email(contacts)))


def inquiry_contact_recipients(period: Period) -> list[Recipient]:
    """Each member kommun's näringslivschef and holders of the investment responsibility with an
    e-mail address (every one of them, as the inquiries' own e-mails go to them), as their user where they have a
    login in that kommun. Two queries."""
    contacts = list(
        Contact.objects.active()
        .filter(kommun__in=Kommun.objects.members(period.end))
        .receiving_inquiries()
        .exclude(email="")
        .select_related("kommun")
        .order_by("kommun__name", "role", "-is_primary", "name")
    )
    return _dedupe(_from_contacts(contacts, _users_by_email(contacts)))


# Who receives the NKI news of their kommun: whoever holds NKI, and the bygglov and miljö chiefs
# (the report asks for them to be involved, not only the näringslivschef).
NKI_NEWS_RESPONSIBILITIES = (Responsibility.NKI, Responsibility.BYGGLOV, Responsibility.MILJO)
# The NKI service area each chief's news is about; whoever holds NKI reads every area.
AREA_OF_RESPONSIBILITY = {"holds_bygglov": "bygglov", "holds_miljo": "miljo-och-halsoskydd"}


def _nki_areas(contact: Contact) -> frozenset[str] | None:
    if contact.holds_nki:
        return None
    return frozenset(area for flag, area in AREA_OF_RESPONSIBILITY.items() if getattr(contact, flag))


def nki_news_recipients(period: Period) -> list[Recipient]:
    """Each member kommun's contacts with an e-mail address who hold the NKI, bygglov or miljö
    responsibility, as their user where they have a login in that kommun; not those who already
    get the NKI news in the kommun's weekly digest. Five queries."""
    contacts = list(
        Contact.objects.active()
        .filter(kommun__in=Kommun.objects.members(period.end))
        .holding(*NKI_NEWS_RESPONSIBILITIES)
        .exclude(email="")
        .select_related("kommun")
        .order_by("kommun__name", "-is_primary", "name")
    )
    weekly = {(r.email.lower(), r.kommun.pk) for r in kommun_recipients(period) if r.kommun is not None}
    # One person may be several contacts of the kommun: they read the union of their areas.
    areas: dict[tuple[str, int], frozenset[str] | None] = {}
    for contact in contacts:
        key, mine = (contact.email.lower(), contact.kommun_id), _nki_areas(contact)
        earlier = areas.get(key, frozenset())
        areas[key] = None if mine is None or (key in areas and earlier is None) else earlier | mine
    return [
        dataclasses.replace(r, nki_areas=areas[(r.email.lower(), r.kommun.pk)])
        for r in _dedupe(_from_contacts(contacts, _users_by_email(contacts)))
        if (r.email.lower(), r.kommun.pk if r.kommun else None) not in weekly
    ]


def staff_recipients(period: Period) -> list[Recipient]:
    """Active Invest Stockholm staff. One query."""
    staff = User.objects.filter(is_active=True).filter(Q(role=User.Role.STAFF) | Q(is_superuser=True))
    return [_from_user(u) for u in staff.order_by("email")]


def member_leadership_recipients(period: Period) -> list[Recipient]:
    """Each member kommun's KSO and kommundirektör with an e-mail address (the primary one where a
    primary is marked, else every one of the role). Two queries."""
    contacts = list(
        Contact.objects.active()
        .filter(
            kommun__in=Kommun.objects.members(period.end),
            role__in=[Contact.Role.KSO, Contact.Role.KOMMUNDIREKTOR],
        )
        .exclude(email="")
        .select_related("kommun")
        .order_by("kommun__name", "role", "-is_primary", "name")
    )
    with_primary = {(c.kommun_id, c.role) for c in contacts if c.is_primary}
    chosen = [c for c in contacts if c.is_primary or (c.kommun_id, c.role) not in with_primary]
    return _dedupe(_from_contacts(chosen, _users_by_email(chosen)))
