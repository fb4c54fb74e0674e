"""Demo data for the ground floor: users for each persona, contacts and populations.

Loaded by `manage.py load_demo` (overview app), never in production. Idempotent.
"""

from __future__ import annotations

import random

from django.db import transaction

from . import cache
from .cache import Topic
from .models import Contact, Kommun, Population, User, role_flags

DEMO_PASSWORD = "sba-demo-2026"  # noqa: S105 - printed by make run, demo only
# The two demo kommuner are SBA members; the third user is of a kommun outside SBA.
KOMMUN_A, KOMMUN_B, NON_MEMBER = "0482", "0120", "2584"  # Flen, Värmdö, Kiruna

DEMO_USERS = [
    # email, role, kommun code, first name, last name, title, superuser
    ("admin@sba.example", User.Role.STAFF, None, "Ada", "Admin", "Systemförvaltare", True),
    ("staff@sba.example", User.Role.STAFF, None, "Sara", "Lind", "Investeringsrådgivare", False),
    ("flen@sba.example", User.Role.KOMMUN, KOMMUN_A, "Karin", "Berg", "Näringslivschef", False),
    ("varmdo@sba.example", User.Role.KOMMUN, KOMMUN_B, "Johan", "Ek", "Näringslivschef", False),
    ("kiruna@sba.example", User.Role.KOMMUN, NON_MEMBER, "Lars", "Nilsson", "Näringslivschef", False),
]

FIRST = ["Anna", "Erik", "Maria", "Per", "Eva", "Lars", "Karin", "Anders", "Sofia", "Johan", "Lena", "Mats"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"]
ROLE_TITLES = {
    Contact.Role.KSO: "Kommunstyrelsens ordförande",
    Contact.Role.KOMMUNDIREKTOR: "Kommundirektör",
    Contact.Role.NARINGSLIVSCHEF: "Näringslivschef",
    Contact.Role.INVESTMENT: "Etableringsansvarig",
    Contact.Role.NKI: "Utvecklingsstrateg",
}


def _slug(text: str) -> str:
    table = str.maketrans("åäöéÅÄÖÉ ", "aaoeaaoe-")
    return text.lower().translate(table)


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create demo users, contacts for every member kommun and populations; return the logins."""
    rng = random.Random(2026)
    kommuner = {k.code: k for k in Kommun.objects.all()}
    logins = []
    for email, role, code, first, last, title, superuser in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
        user.role, user.kommun = role, kommuner.get(code) if code else None
        user.first_name, user.last_name, user.title = first, last, title
        user.is_staff = user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        who = "admin" if superuser else ("staff" if role == User.Role.STAFF else kommuner[code].name)
        logins.append((who, email, DEMO_PASSWORD))

    with_contacts = set(Contact.objects.values_list("kommun_id", flat=True).distinct())
    for kommun in Kommun.objects.members():
        if kommun.pk in with_contacts:
            continue
        domain = f"{_slug(kommun.name)}.se"
        for role, title in ROLE_TITLES.items():
            first, last = rng.choice(FIRST), rng.choice(LAST)
            Contact.objects.create(
                kommun=kommun,
                name=f"{first} {last}",
                title=title,
                role=role,
                email=f"{_slug(first)}.{_slug(last)}@{domain}",
                phone=f"0{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
                is_primary=True,
                **role_flags(role),
            )

    if not Population.objects.exists():
        # Plausible sizes for demonstration only; real figures come from SCB (see README).
        with cache.retiring(Topic.REGISTER):  # bulk_create sends no signals
            Population.objects.bulk_create(
                Population(
                    kommun=kommun,
                    year=2025,
                    population=int(rng.lognormvariate(10.0, 0.9)) + 2500,
                    source="Demo data, not SCB",
                )
                for kommun in kommuner.values()
            )
    return logins
