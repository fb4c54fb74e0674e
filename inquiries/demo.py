"""Demo data for inquiries: profiles and sites for the member kommuner, and inquiries in every
status with dispatches, answers (interested and declined), outcomes and feedback, so the demo
users (staff, flen@sba.example, varmdo@sba.example) see the whole flow. Idempotent.

Rows are written directly (not through the services) so loading the demo sends no e-mail.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Contact, Kommun, KommunProfile, Responsibility, Sector, Site, User

from . import matching, selectors
from .models import Answer, Dispatch, Inquiry, Outcome
from .services import reference_allocate

FLEN, VARMDO = "0482", "0120"

# Sectors for the two demo kommuner (wanted, strong); the others get a random choice.
DEMO_SECTORS = {
    FLEN: (["logistics", "advanced-manufacturing", "food"], ["logistics", "food"]),
    VARMDO: (["life-science", "ict", "hospitality"], ["hospitality"]),
}

SITE_NAMES = ["Industriområde Norr", "Logistikparken", "Verksamhetsområde Syd", "Hamnområdet", "Tomt vid E-vägen"]

# Hand-made sites for the two demo kommuner, so their ratings tell a story.
DEMO_SITES = {
    FLEN: [
        # name, ha, ownership, zoning, MW, motorway, rail, port, airport, months since confirmed
        ("Skjortfabriken industriområde", "32", "municipal", "in_force", "25", "3", "1", "95", "110", 2),
        ("Flen Logistikcentrum", "14", "private", "in_progress", "8", "1", "0.5", "90", "105", 15),
    ],
    VARMDO: [
        ("Mölnvik verksamhetsområde", "9", "private", "in_force", "6", "1", "45", "18", "55", 3),
        ("Gustavsberg hamnområde", "4", "mixed", "none", None, "12", "50", "1", "60", 20),
    ],
}

INQUIRIES = [
    # code name, investor, sector code, status, requirements, days to deadline, demo kommuner's fate
    (
        "Project Aurora",
        "Nordlys Battery AS",
        "energy-cleantech",
        Inquiry.Status.DRAFT,
        {"req_area_ha": 40, "req_power_mw": 60, "req_km_rail": 5},
        21,
        None,
    ),
    (
        "Project Heron",
        "Heron Foods GmbH",
        "food",
        Inquiry.Status.SENT,
        {"req_area_ha": 10, "req_km_motorway": 5, "needed_by_days": 365},
        10,
        "new",
    ),
    (
        "Project Orbit",
        "Orbit Data Centers Inc.",
        "data-centres",
        Inquiry.Status.SENT,
        {"req_area_ha": 15, "req_power_mw": 20, "req_zoning_ready": True},
        5,
        "viewed",
    ),
    (
        "Project Lumen",
        "Lumen Therapeutics plc",
        "life-science",
        Inquiry.Status.SENT,
        {"req_area_ha": 3, "req_km_airport": 60},
        7,
        "answered",
    ),
    (
        "Project Cargo",
        "Cargo Nordic BV",
        "logistics",
        Inquiry.Status.ANSWERS_CLOSED,
        {"req_area_ha": 12, "req_km_motorway": 3, "req_km_rail": 2},
        -5,
        "answered",
    ),
    (
        "Project Forge",
        "Forge Components KK",
        "advanced-manufacturing",
        Inquiry.Status.WITH_INVESTOR,
        {"req_area_ha": 20, "req_municipal_land": True, "req_power_mw": 15},
        -20,
        "forwarded",
    ),
    (
        "Project Tundra",
        "Tundra Foods Oy",
        "food",
        Inquiry.Status.DECIDED,
        {"req_area_ha": 8, "req_km_motorway": 10},
        -60,
        "decided",
    ),
    (
        "Project Pixel",
        "Pixel Games Studio Ltd",
        "creative",
        Inquiry.Status.CLOSED,
        {"req_area_ha": None, "req_km_airport": 40},
        -120,
        "closed",
    ),
]


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _profiles_and_sites(rng: random.Random, sectors: list[Sector], today: datetime.date) -> None:
    with_profile = set(KommunProfile.objects.values_list("kommun_id", flat=True))
    with_sites = set(Site.objects.values_list("kommun_id", flat=True))
    for kommun in Kommun.objects.members().order_by("code"):
        if kommun.pk not in with_profile:
            profile = KommunProfile.objects.create(
                kommun=kommun,
                appetite=rng.choice(["all", "near", "near", "matching"]),
                notes="",
            )
            if kommun.code in DEMO_SECTORS:
                wanted, strong = DEMO_SECTORS[kommun.code]
                profile.wanted_sectors.add(*[s for s in sectors if s.code in wanted])
                profile.strong_sectors.add(*[s for s in sectors if s.code in strong])
            else:
                profile.wanted_sectors.add(*rng.sample(sectors, 3))
                profile.strong_sectors.add(*rng.sample(sectors, 2))
        if kommun.pk in with_sites:
            continue
        if kommun.code in DEMO_SITES:
            for name, ha, own, zoning, mw, km_m, km_r, km_p, km_a, months in DEMO_SITES[kommun.code]:
                Site.objects.create(
                    kommun=kommun,
                    name=name,
                    area_ha=_dec(ha),
                    ownership=own,
                    zoning=zoning,
                    available_from=today + datetime.timedelta(days=rng.randint(0, 200)),
                    power_mw=_dec(mw),
                    km_motorway=_dec(km_m),
                    km_rail=_dec(km_r),
                    km_port=_dec(km_p),
                    km_airport=_dec(km_a),
                    last_confirmed=today - datetime.timedelta(days=30 * months),
                )
            continue
        for i in range(rng.randint(0, 3)):
            known = rng.random() > 0.2  # some data left out on purpose: matching shows "unknown"
            Site.objects.create(
                kommun=kommun,
                name=SITE_NAMES[i],
                area_ha=Decimal(rng.randint(2, 60)),
                ownership=rng.choice(["municipal", "municipal", "private", "mixed"]),
                zoning=rng.choice(["in_force", "in_progress", "none"]) if known else "",
                available_from=today + datetime.timedelta(days=rng.randint(-100, 700)),
                power_mw=Decimal(rng.randint(1, 80)) if known else None,
                km_motorway=Decimal(rng.randint(0, 25)),
                km_rail=Decimal(rng.randint(0, 40)) if known else None,
                km_port=Decimal(rng.randint(1, 120)),
                km_airport=Decimal(rng.randint(5, 120)),
                last_confirmed=today - datetime.timedelta(days=rng.randint(0, 500)),
            )


def _answer(dispatch: Dispatch, decision: str, rng: random.Random, user: User | None) -> Answer:
    answered_at = dispatch.sent_at + datetime.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
    if decision == Answer.Decision.INTERESTED:
        answer = Answer.objects.create(
            dispatch=dispatch,
            decision=decision,
            offer=(
                f"{dispatch.kommun.name} erbjuder detaljplanelagd mark nära väg och järnväg, "
                "snabb bygglovshantering och ett etableringsteam med kontaktperson."
            ),
            contact=Contact.objects.active().filter(kommun=dispatch.kommun).holding(Responsibility.INVESTMENT).first(),
            answered_at=answered_at,
            answered_by=user,
        )
        answer.proposed_sites.add(*Site.objects.filter(kommun=dispatch.kommun)[:1])  # a fresh answer: add, no read
    else:
        answer = Answer.objects.create(
            dispatch=dispatch,
            decision=decision,
            decline_reason=rng.choice([c for c, _ in Answer.DeclineReason.choices]),
            decline_text="Vi saknar i dag mark som passar kraven.",
            answered_at=answered_at,
            answered_by=user,
        )
    return answer


@transaction.atomic
def load() -> None:
    rng = random.Random(3)
    today = timezone.localdate()
    sectors = list(Sector.objects.filter(is_active=True))
    if not sectors:
        return
    _profiles_and_sites(rng, sectors, today)
    staff = User.objects.filter(email="staff@sba.example").first()
    kommun_users = {u.kommun_id: u for u in User.objects.filter(role=User.Role.KOMMUN)}
    demo_ids = set(Kommun.objects.filter(code__in=[FLEN, VARMDO]).values_list("pk", flat=True))
    profiles = selectors.member_profiles()
    kommuner = Kommun.objects.in_bulk([p.kommun_id for p in profiles])  # one query, not one per dispatch
    by_code = {s.code: s for s in sectors}
    for code_name, investor, sector, status, req, days, fate in INQUIRIES:
        if Inquiry.objects.filter(code_name=code_name).exists():
            continue
        deadline = today + datetime.timedelta(days=days)
        needed_by_days = req.get("needed_by_days")
        inquiry = Inquiry(
            reference=reference_allocate(year=today.year),
            code_name=code_name,
            investor_name=investor,
            investor_contact=f"Head of expansion, expansion@{investor.split()[0].lower()}.example",
            source=rng.choice([c for c, _ in Inquiry.Source.choices]),
            sector=by_code.get(sector),
            description=(
                f"{code_name}: an international company plans an establishment in the Nordics "
                "and is comparing sites in the Stockholm region."
            ),
            req_area_ha=_dec(req.get("req_area_ha")),
            req_power_mw=_dec(req.get("req_power_mw")),
            req_municipal_land=req.get("req_municipal_land", False),
            req_zoning_ready=req.get("req_zoning_ready", False),
            req_km_motorway=_dec(req.get("req_km_motorway")),
            req_km_rail=_dec(req.get("req_km_rail")),
            req_km_airport=_dec(req.get("req_km_airport")),
            planned_jobs=rng.choice([40, 80, 150, 300]),
            needed_by=today + datetime.timedelta(days=needed_by_days) if needed_by_days else None,
            answer_deadline=deadline,
            responsible=staff,
            status=status,
        )
        inquiry.save()
        if status == Inquiry.Status.DRAFT:
            continue
        sent_at = timezone.now() - datetime.timedelta(days=max(14 - days, 3))
        inquiry.sent_at = sent_at
        inquiry.save(update_fields=["sent_at"])
        ratings = matching.rate_all(selectors.requirements_of(inquiry), profiles)
        chosen = [r for r in ratings if r.selected_by_default][:8]
        chosen += [r for r in ratings if r.kommun_id in demo_ids and r not in chosen]
        for rating in chosen:
            dispatch = Dispatch.objects.create(
                inquiry=inquiry,
                kommun=kommuner[rating.kommun_id],
                deadline=deadline,
                match_class=rating.match_class,
                match_snapshot=rating.as_json(),
                sent_at=sent_at,
                sent_by=staff,
            )
            is_demo = rating.kommun_id in demo_ids
            user = kommun_users.get(rating.kommun_id)
            if is_demo and fate == "new":
                continue
            dispatch.first_viewed_at = sent_at + datetime.timedelta(hours=rng.randint(2, 48))
            if is_demo and fate == "viewed":
                dispatch.save()
                continue
            if not is_demo and rng.random() < 0.25:
                dispatch.save()
                continue  # some kommuner never answer
            decision = (
                Answer.Decision.INTERESTED
                if (is_demo or rating.match_class != matching.NO_MATCH) and rng.random() < 0.75
                else Answer.Decision.DECLINED
            )
            answer = _answer(dispatch, decision, rng, user)
            interested = answer.decision == Answer.Decision.INTERESTED
            if fate in ("forwarded", "decided", "closed") and interested:
                dispatch.forwarded_at = answer.answered_at + datetime.timedelta(days=3)
                dispatch.shortlisted = is_demo or rng.random() < 0.3
                dispatch.investor_released_at = dispatch.forwarded_at if dispatch.shortlisted else None
            if fate in ("decided", "closed"):
                dispatch.feedback = (
                    "Tack för ett genomarbetat svar. Investeraren valde en plats närmare sin kundbas; "
                    "ert erbjudande låg bland de tre bästa."
                    if interested
                    else "Tack för ert svar. Berätta gärna när ny mark blir planlagd."
                )
                dispatch.feedback_at = timezone.now() - datetime.timedelta(days=5)
            dispatch.save()
        if fate == "decided":
            flen = Kommun.objects.get(code=FLEN)
            Outcome.objects.create(
                inquiry=inquiry,
                decision=Outcome.Decision.ESTABLISHED,
                kommun=flen,
                jobs=85,
                investment_msek=Decimal("420"),
                decided_on=today - datetime.timedelta(days=10),
            )
        elif fate == "closed":
            Outcome.objects.create(
                inquiry=inquiry,
                decision=Outcome.Decision.LOST_COUNTRY,
                lost_to="Finland",
                decided_on=today - datetime.timedelta(days=40),
            )
