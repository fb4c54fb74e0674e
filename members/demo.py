"""Demo data for the ground floor: users for each persona, a membership history over three
agreement periods (joined later, left, rejoined), contacts and populations.

Loaded by `manage.py load_demo` (overview app), never in production. Idempotent.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from . import cache
from .cache import Topic
from .models import AgreementPeriod, Contact, Kommun, KommunFact, Membership, Population, Premises, User, role_flags

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

# Three agreement periods with changes between them, so figures for a year visibly use that year's
# members (members.roster). Invented for the demo, not SBA's real history: the other members of
# the roster count from 2017.
DEMO_SINCE = datetime.date(2017, 1, 1)
DEMO_JOINED_LATER = {"0580": datetime.date(2021, 1, 1)}  # Linköping joins in 2021–2024
DEMO_LEFT = {"0581": datetime.date(2020, 12, 31), "0428": datetime.date(2022, 6, 30)}  # Norrköping, Vingåker
DEMO_REJOINED = {"2180": (datetime.date(2020, 12, 31), datetime.date(2025, 1, 1))}  # Gävle: out 2021–2024
DEMO_NOTE = "Demo history, not SBA's real roster."

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


def _membership_history(kommuner: dict[str, Kommun]) -> None:
    """Give the seeded roster (all from 2025) a past over the three seeded periods, once."""
    if Membership.objects.filter(starts_on__lt=datetime.date(2025, 1, 1)).exists():
        return
    periods = list(AgreementPeriod.objects.order_by("starts_on"))
    if not periods:
        return
    first = periods[0]
    for membership in Membership.objects.filter(starts_on=datetime.date(2025, 1, 1)).select_related("kommun"):
        code = membership.kommun.code
        if code in DEMO_REJOINED:
            left, back = DEMO_REJOINED[code]
            Membership.objects.create(
                kommun=membership.kommun, period=first, starts_on=DEMO_SINCE, ends_on=left, note=DEMO_NOTE
            )
            membership.starts_on = back
        else:
            membership.starts_on = DEMO_JOINED_LATER.get(code, DEMO_SINCE)
            membership.period = AgreementPeriod.current(membership.starts_on) or first
        membership.note = DEMO_NOTE
        membership.save()
    for code, ends_on in DEMO_LEFT.items():
        if code in kommuner and not Membership.objects.filter(kommun=kommuner[code]).exists():
            Membership.objects.create(
                kommun=kommuner[code], period=first, starts_on=DEMO_SINCE, ends_on=ends_on, note=DEMO_NOTE
            )
    for period in periods:
        if not period.roster_recorded:
            period.roster_recorded = True
            period.save(update_fields=["roster_recorded"])


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create demo users, contacts for every member kommun and populations; return the logins."""
    rng = random.Random(2026)
    kommuner = {k.code: k for k in Kommun.objects.all()}
    _membership_history(kommuner)
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
    _load_facts()
    _load_premises(kommuner)
    return logins


DEMO_FACTS_FILE = "demo_facts_scb.csv"  # made-up values in SCB's shape (members/data/SOURCES.md)
DEMO_FACTS_SOURCE = "Påhittade demovärden i SCB:s format"


def _load_facts() -> None:
    """Facts for every member from the shipped SCB-shaped demo file, through the real import, once."""
    if KommunFact.objects.exists():
        return
    from . import services
    from .fact_import import parse

    path = services.DATA_DIR / DEMO_FACTS_FILE
    parsed = parse(path.read_bytes(), path.name, source=DEMO_FACTS_SOURCE)
    report = services.facts_import(parsed=parsed, file_name=path.name)
    if not report.ok:  # the shipped file is checked by a test; say so loudly if it breaks
        raise RuntimeError(f"demo facts did not import: {report.problems[:3]}")


# (kommun code, name, kind, m², ceiling height m, loading docks, MW, year available, owner)
DEMO_PREMISES = [
    ("0482", "Flens logistikhall", Premises.Kind.WAREHOUSE, 12_000, "10.5", 8, "2.0", 2026, Premises.Owner.PRIVATE),
    ("0482", "Kontorshuset Stationen", Premises.Kind.OFFICE, 1_800, "3.0", 0, "0.3", 2025, Premises.Owner.MUNICIPAL),
    ("0120", "Gustavsbergs verkstäder", Premises.Kind.PRODUCTION, 6_500, "8.0", 3, "4.0", 2027, Premises.Owner.PRIVATE),
    ("0180", "Kista labbplan", Premises.Kind.LABORATORY, 2_400, "4.2", 1, "1.5", 2026, Premises.Owner.PRIVATE),
    ("0581", "Händelö lager 3", Premises.Kind.WAREHOUSE, 25_000, "12.0", 20, "5.0", 2026, Premises.Owner.MUNICIPAL),
]


def _load_premises(kommuner: dict[str, Kommun]) -> None:
    if Premises.objects.exists():
        return
    for code, name, kind, area, height, docks, power, year, owner in DEMO_PREMISES:
        if code in kommuner:
            Premises.objects.create(
                kommun=kommuner[code],
                name=name,
                kind=kind,
                floor_area_m2=area,
                ceiling_height_m=Decimal(height),
                loading_docks=docks,
                power_mw=Decimal(power),
                year_available=year,
                owner=owner,
                notes=DEMO_NOTE,
            )
