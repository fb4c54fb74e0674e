"""The benchmark's data set: the region today and ten years on, generated with the apps' own models.

Sizes (issue 8):
- today: 290 kommuner with the SBA roster (~56 members), ~600 contacts, 2 users per member kommun
  and 10 staff, profiles and 0–5 sites per member, 10 years × 8 areas of NKI for all kommuner,
  500 inquiries with ~15 dispatches each (about two in three answered), 3,000 dialog entries with
  follow-ups, one maturity self-assessment per member, track and year;
- tenyears: ten times the inquiries, dispatches, answers and dialog entries, 20 years of NKI and
  maturity assessments.

Everything is written with bulk_create (no history rows: the benchmark reads, it does not audit).
Deterministic (seeded), so two runs measure the same data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

SEED = 8
TODAY = datetime.date(2026, 11, 27)
PASSWORD = "bench-password-not-secret"


@dataclass(frozen=True)
class Size:
    name: str
    inquiries: int
    dispatches_per_inquiry: int
    dialog_entries: int
    nki_years: int
    maturity_years: int


SIZES = {
    "today": Size(
        "today", inquiries=500, dispatches_per_inquiry=15, dialog_entries=3_000, nki_years=10, maturity_years=2
    ),
    "tenyears": Size(
        "tenyears", inquiries=5_000, dispatches_per_inquiry=15, dialog_entries=30_000, nki_years=20, maturity_years=20
    ),
}

NKI_AREAS = [
    "Totalt",
    "Bygglov",
    "Miljö- och hälsoskydd",
    "Livsmedelskontroll",
    "Serveringstillstånd",
    "Brandskydd",
    "Markupplåtelse",
    "Upphandling",
]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def generate(size: Size) -> dict[str, int]:
    """Fill an empty, migrated database. Returns the row counts written."""
    from members.models import Contact, Kommun, KommunProfile, Sector, Site, User, role_flags
    from members.services import kommuner_load

    rng = random.Random(SEED)
    counts: dict[str, int] = {}
    kommuner_load()
    members = list(Kommun.objects.members().order_by("code"))
    all_kommuner = list(Kommun.objects.order_by("code"))
    sectors = list(Sector.objects.filter(is_active=True))

    with transaction.atomic():
        # Users: 10 staff, two per member kommun. One shared, properly hashed password.
        hasher_user = User(email="x@bench.example")
        hasher_user.set_password(PASSWORD)
        hashed = hasher_user.password
        staff = [
            User(
                email=f"staff{n}@bench.example",
                role=User.Role.STAFF,
                password=hashed,
                first_name="Staff",
                last_name=str(n),
            )
            for n in range(10)
        ]
        kommun_users = [
            User(
                email=f"u{n}-{k.code}@bench.example",
                role=User.Role.KOMMUN,
                kommun=k,
                password=hashed,
                first_name="Näringslivschef",
                last_name=k.name,
            )
            for k in members
            for n in range(2)
        ]
        User.objects.bulk_create(staff + kommun_users)
        staff = list(User.objects.filter(role=User.Role.STAFF, email__endswith="@bench.example").order_by("pk"))
        counts["users"] = len(staff) + len(kommun_users)

        # ~600 contacts: about 11 per member kommun, one primary per role.
        roles = [r for r, _ in Contact.Role.choices]
        contacts = []
        for k in members:
            for i, role in enumerate(roles):
                contacts.append(
                    Contact(
                        kommun=k,
                        role=role,
                        **role_flags(role),
                        is_primary=True,
                        name=f"{role.title()} {k.name}",
                        email=f"{role}-{k.code}@bench.example",
                        title=role,
                    )
                )
                if i < 3:
                    contacts.append(
                        Contact(
                            kommun=k,
                            role=role,
                            **role_flags(role),
                            is_primary=False,
                            name=f"{role.title()} 2 {k.name}",
                            email=f"{role}2-{k.code}@bench.example",
                        )
                    )
        Contact.objects.bulk_create(contacts, batch_size=1000)
        counts["contacts"] = len(contacts)
        contacts_by_kommun: dict[int, list[int]] = {}
        for c_pk, k_pk in Contact.objects.values_list("pk", "kommun_id"):
            contacts_by_kommun.setdefault(k_pk, []).append(c_pk)

        # Profiles and sites for members.
        profiles = [KommunProfile(kommun=k, appetite=rng.choice(["all", "near", "matching"])) for k in members]
        KommunProfile.objects.bulk_create(profiles)
        profiles = list(KommunProfile.objects.filter(kommun__in=members))
        through_w, through_s = KommunProfile.wanted_sectors.through, KommunProfile.strong_sectors.through
        through_w.objects.bulk_create(
            [through_w(kommunprofile_id=p.pk, sector_id=s.pk) for p in profiles for s in rng.sample(sectors, 3)]
        )
        through_s.objects.bulk_create(
            [through_s(kommunprofile_id=p.pk, sector_id=s.pk) for p in profiles for s in rng.sample(sectors, 2)]
        )
        sites = []
        for k in members:
            for i in range(rng.randint(0, 5)):
                sites.append(
                    Site(
                        kommun=k,
                        name=f"{k.name} verksamhetsområde {i + 1}",
                        area_ha=Decimal(rng.randint(1, 80)) if rng.random() > 0.1 else None,
                        ownership=rng.choice(["municipal", "private", "mixed", ""]),
                        zoning=rng.choice(["in_force", "in_progress", "none", ""]),
                        available_from=TODAY + datetime.timedelta(days=rng.randint(-100, 800)),
                        power_mw=Decimal(rng.randint(1, 100)) if rng.random() > 0.2 else None,
                        km_motorway=Decimal(rng.randint(0, 30)),
                        km_rail=Decimal(rng.randint(0, 50)) if rng.random() > 0.2 else None,
                        km_port=Decimal(rng.randint(1, 150)),
                        km_airport=Decimal(rng.randint(5, 150)),
                        last_confirmed=TODAY - datetime.timedelta(days=rng.randint(0, 400)),
                    )
                )
        Site.objects.bulk_create(sites)
        counts["sites"] = len(sites)

    counts.update(_inquiries(size, rng, members, staff, sectors, contacts_by_kommun))
    counts.update(_dialog(size, rng, members, staff, contacts_by_kommun))
    counts.update(_maturity(size, rng, members))
    counts.update(_nki(size, rng, all_kommuner))
    return counts


def _inquiries(size, rng, members, staff, sectors, contacts_by_kommun) -> dict[str, int]:
    from inquiries.models import Answer, Dispatch, Inquiry, Outcome

    days = 365 * (1 if size.name == "today" else 10) + 200
    inquiries = []
    for n in range(size.inquiries):
        created = TODAY - datetime.timedelta(days=int(days * n / size.inquiries))
        age = (TODAY - created).days
        # Recent inquiries are out for answers; a few months on they are with the investor; older
        # ones are decided or closed (as the outcome follow-up makes them).
        if n == 0:  # the newest is out for answers: the benchmark's inquiry page
            status = Inquiry.Status.SENT
        elif age < 40:
            status = rng.choice([Inquiry.Status.SENT, Inquiry.Status.SENT, Inquiry.Status.DRAFT])
        elif age < 150:
            status = rng.choice([Inquiry.Status.ANSWERS_CLOSED, Inquiry.Status.WITH_INVESTOR])
        else:
            status = rng.choice([Inquiry.Status.DECIDED, Inquiry.Status.CLOSED])
        inquiries.append(
            Inquiry(
                reference=f"SBA-{created.year}-{n:05d}",
                code_name=f"Projekt {n}",
                investor_name=f"Investor {n} AB",
                sector=rng.choice(sectors),
                description=f"Etablering nummer {n}: lager och produktion. " * 4,
                req_area_ha=Decimal(rng.randint(2, 60)),
                req_municipal_land=rng.random() < 0.3,
                req_zoning_ready=rng.random() < 0.4,
                req_power_mw=Decimal(rng.randint(1, 60)) if rng.random() > 0.3 else None,
                req_km_motorway=Decimal(rng.randint(2, 20)),
                req_km_port=Decimal(rng.randint(20, 150)) if rng.random() > 0.5 else None,
                planned_jobs=rng.randint(10, 800),
                needed_by=created + datetime.timedelta(days=rng.randint(200, 900)),
                answer_deadline=created + datetime.timedelta(days=21),
                responsible=rng.choice(staff),
                status=status,
                sent_at=None if status == Inquiry.Status.DRAFT else _aware(created + datetime.timedelta(days=1)),
            )
        )
    Inquiry.objects.bulk_create(inquiries, batch_size=1000)
    inquiries = list(Inquiry.objects.order_by("pk").only("pk", "status", "sent_at", "answer_deadline"))

    dispatches, outcomes = [], []
    for inquiry in inquiries:
        if inquiry.status == Inquiry.Status.DRAFT:
            continue
        for k in rng.sample(members, size.dispatches_per_inquiry):
            dispatches.append(
                Dispatch(
                    inquiry_id=inquiry.pk,
                    kommun_id=k.pk,
                    deadline=inquiry.answer_deadline,
                    match_class=rng.choice(["match", "near", "no"]),
                    match_snapshot={"class": "match", "reasons": ["Bench"]},
                    sent_at=inquiry.sent_at,
                    sent_by_id=staff[0].pk,
                    first_viewed_at=inquiry.sent_at + datetime.timedelta(hours=rng.randint(1, 90))
                    if rng.random() < 0.8
                    else None,
                    shortlisted=rng.random() < 0.1,
                    feedback="Tack för svaret." if rng.random() < 0.2 else "",
                )
            )
        if inquiry.status == Inquiry.Status.DECIDED:
            outcomes.append(
                Outcome(
                    inquiry_id=inquiry.pk,
                    decision=rng.choice([Outcome.Decision.LOST_REGION, Outcome.Decision.WITHDRAWN]),
                    decided_on=inquiry.answer_deadline + datetime.timedelta(days=60),
                )
            )
    Dispatch.objects.bulk_create(dispatches, batch_size=2000)
    Outcome.objects.bulk_create(outcomes, batch_size=2000)

    answers = []
    for d_pk, k_pk, sent_at in Dispatch.objects.values_list("pk", "kommun_id", "sent_at").iterator():
        if rng.random() < 0.67:
            interested = rng.random() < 0.5
            answers.append(
                Answer(
                    dispatch_id=d_pk,
                    decision=Answer.Decision.INTERESTED if interested else Answer.Decision.DECLINED,
                    offer="Vi har mark och el." if interested else "",
                    contact_id=contacts_by_kommun[k_pk][0] if interested else None,
                    decline_reason="" if interested else rng.choice(["no_land", "no_power", "timeline"]),
                    answered_at=sent_at + datetime.timedelta(days=rng.randint(1, 20)),
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)
    return {"inquiries": len(inquiries), "dispatches": len(dispatches), "answers": len(answers)}


def _dialog(size, rng, members, staff, contacts_by_kommun) -> dict[str, int]:
    from overview.models import DialogEntry, DialogKind, FollowUp

    days = 365 * (1 if size.name == "today" else 10)
    kinds = [k for k, _ in DialogKind.choices]
    entries = [
        DialogEntry(
            kind=rng.choice(kinds),
            date=TODAY - datetime.timedelta(days=int(days * n / size.dialog_entries)),
            title=f"Möte {n}",
            notes="Vi gick igenom läget för etableringar. " * 3,
            internal_notes="Intern anteckning." if rng.random() < 0.3 else "",
            created_by=rng.choice(staff),
        )
        for n in range(size.dialog_entries)
    ]
    DialogEntry.objects.bulk_create(entries, batch_size=2000)
    t_k, t_c, t_s = DialogEntry.kommuner.through, DialogEntry.contacts.through, DialogEntry.staff.through
    links_k, links_c, links_s, follow_ups = [], [], [], []
    for e_pk, day in DialogEntry.objects.values_list("pk", "date").iterator():
        for k in rng.sample(members, 1 if rng.random() < 0.8 else 3):
            links_k.append(t_k(dialogentry_id=e_pk, kommun_id=k.pk))
            links_c.append(t_c(dialogentry_id=e_pk, contact_id=rng.choice(contacts_by_kommun[k.pk])))
        links_s.append(t_s(dialogentry_id=e_pk, user_id=rng.choice(staff).pk))
        if rng.random() < 0.3:
            done = day < TODAY - datetime.timedelta(days=60)
            follow_ups.append(
                FollowUp(
                    entry_id=e_pk,
                    text="Skicka underlag",
                    owner=rng.choice(staff),
                    due_on=day + datetime.timedelta(days=14),
                    done_at=_aware(day + datetime.timedelta(days=10)) if done else None,
                )
            )
    t_k.objects.bulk_create(links_k, batch_size=5000)
    t_c.objects.bulk_create(links_c, batch_size=5000)
    t_s.objects.bulk_create(links_s, batch_size=5000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
    return {"dialog_entries": len(entries), "follow_ups": len(follow_ups)}


def _maturity(size, rng, members) -> dict[str, int]:
    from overview.models import Answer as MAnswer
    from overview.models import MaturityAnswer, MaturityAssessment, MaturityCriterion, Track

    criteria = {t: list(MaturityCriterion.objects.filter(track=t, is_active=True)) for t in Track.values}
    assessments = []
    for year_back in range(size.maturity_years):
        for k in members:
            for track in Track.values:
                day = TODAY - datetime.timedelta(days=365 * year_back + rng.randint(0, 300))
                assessments.append(
                    MaturityAssessment(
                        kommun=k,
                        track=track,
                        level=rng.choice(["neutral", "aktiv", "proaktiv"]),
                        submitted_at=_aware(day),
                        confirmed_at=_aware(day + datetime.timedelta(days=7)),
                    )
                )
    MaturityAssessment.objects.bulk_create(assessments, batch_size=2000)
    answers = [
        MaturityAnswer(assessment_id=a_pk, criterion=c, answer=rng.choice(MAnswer.values))
        for a_pk, track in MaturityAssessment.objects.values_list("pk", "track").iterator()
        for c in criteria[track]
    ]
    MaturityAnswer.objects.bulk_create(answers, batch_size=5000)
    return {"maturity_assessments": len(assessments), "maturity_answers": len(answers)}


def nki_rows(kommuner, years: list[int], seed: int) -> list[list]:
    """Rows as the Insikt file has them (used for the bulk load and for the import timing)."""
    rng = random.Random(seed)
    out = []
    for kommun in kommuner:
        for year in years:
            for area in NKI_AREAS:
                nki = round(rng.uniform(55, 88), 1)
                factors = [round(min(100, max(0, nki + rng.uniform(-6, 6))), 1) for _ in range(6)]
                out.append([kommun, year, area, nki, rng.randint(3, 400), factors])
    return out


def _nki(size, rng, kommuner) -> dict[str, int]:
    try:
        from nki.models import NkiResult, ServiceArea
        from nki.services import coverage_refresh
    except ImportError:  # before the NKI app has landed
        return {"nki_results": 0}
    areas = {}
    for area in ServiceArea.objects.all():
        names = [area.name_sv, *[a.strip() for a in (area.aliases or "").splitlines() if a.strip()]]
        for name in names:
            areas[name.lower()] = area
    years = list(range(TODAY.year - size.nki_years, TODAY.year))
    results = []
    for kommun, year, area_name, nki, answers, factors in nki_rows(kommuner, years, SEED):
        area = areas.get(area_name.lower())
        if area is None:
            continue
        results.append(
            NkiResult(
                kommun=kommun,
                year=year,
                area=area,
                nki=Decimal(str(nki)),
                answers=answers,
                ci_low=Decimal(str(max(0, round(nki - 3, 1)))),
                ci_high=Decimal(str(min(100, round(nki + 3, 1)))),
                information=Decimal(str(factors[0])),
                tillganglighet=Decimal(str(factors[1])),
                bemotande=Decimal(str(factors[2])),
                kompetens=Decimal(str(factors[3])),
                rattssakerhet=Decimal(str(factors[4])),
                effektivitet=Decimal(str(factors[5])),
            )
        )
    NkiResult.objects.bulk_create(results, batch_size=5000)
    coverage_refresh(years=years)  # bulk_create sends no signals
    return {"nki_results": len(results)}
