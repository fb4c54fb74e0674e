"""Demo data for the overview: self-assessments over several quarters, a dialog history, KPI targets.

Loaded by `manage.py load_demo` after the members demo; never in production. Idempotent: each part
is created only when its table is empty (the KPI targets are upserted by key).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members import cache
from members.cache import Topic
from members.models import AgreementPeriod, Contact, Kommun, User

from .maturity import services
from .models import (
    Activity,
    ActivityKind,
    Answer,
    DialogEntry,
    DialogKind,
    FollowUp,
    KpiTarget,
    MaturityAssessment,
    MaturityCriterion,
    Track,
)

KPI_TARGETS_2025_2028 = [
    # key, Swedish label, English label, target, unit, higher is better
    ("activities", "SBA-aktiviteter (mässor, kampanjer, delegationer, seminarier)", "SBA activities", 40, "st", True),
    ("members", "Antal medlemskommuner", "Member kommuner", 56, "st", True),
    (
        "share_aktiv_nki",
        "Andel medlemmar minst AKTIV i NKI-arbetet",
        "Members at least AKTIV in NKI work",
        60,
        "%",
        True,
    ),
    (
        "share_aktiv_investment",
        "Andel medlemmar minst AKTIV i investeringsfrämjande",
        "Members at least AKTIV in investment promotion",
        50,
        "%",
        True,
    ),
    (
        "members_met",
        "Andel medlemmar som haft kontakt med Invest Stockholm",
        "Members in contact with Invest Stockholm",
        100,
        "%",
        True,
    ),
    ("meetings", "Möten, samtal och nätverksträffar", "Meetings, calls and network meetings", 400, "st", True),
    ("visits", "Besök i medlemskommunerna", "Visits in the member kommuner", 112, "st", True),
    ("inquiries_sent", "Förfrågningar skickade till kommunerna", "Inquiries sent to the kommuner", 200, "st", True),
    ("answer_rate", "Svarsfrekvens på förfrågningar", "Answer rate on inquiries", 80, "%", True),
    ("establishments", "Etableringar i SBA-området", "Establishments in the SBA area", 40, "st", True),
    ("jobs", "Planerade arbetstillfällen i etableringarna", "Planned jobs in the establishments", 2000, "st", True),
    ("nki_sba", "NKI totalt för SBA", "NKI total for SBA", 76, "", True),
    (
        "member_value",
        "Medlemmarnas värdering av medlemskapet (medlemsenkäten, 1–10)",
        "Members' rating of the membership (member survey, 1–10)",
        7.5,
        "",
        True,
    ),
]

# A member's path over the quarters: its "ambition" decides how far it gets.
QUARTERS_BACK = 7


def _answers(rng: random.Random, criteria: list[MaturityCriterion], reach: int) -> dict[int, tuple[str, str]]:
    """Answers that reach level index `reach` (0 NEUTRAL, 1 AKTIV, 2 PROAKTIV), with some 'partly'."""
    result = {}
    for c in criteria:
        if not c.is_asked:
            continue
        needed = {"aktiv": 1, "proaktiv": 2}[c.level] <= reach
        if needed:
            result[c.pk] = (Answer.YES, "")
        else:
            result[c.pk] = (
                rng.choice([Answer.NO, Answer.PARTLY, Answer.PARTLY]),
                rng.choice(["", "", "Pågår under året."]),
            )
    # A kommun below PROAKTIV that is not yet AKTIV misses at least one AKTIV criterion.
    if reach == 0:
        aktiv = [c for c in criteria if c.level == "aktiv"]
        result[rng.choice(aktiv).pk] = (Answer.NO, "")
    return result


# The kommun whose answer and data disagree (so the demo shows it): Flen answers "nej" to comparing
# its NKI over time, while the portal holds years of Flen's NKI results that staff imported. The
# kommun's answer counts (NKI track NEUTRAL) until Invest Stockholm decides.
DISAGREEING_KOMMUN = "0482"
DISAGREEING_COMMENT = "Vi har inte börjat jämföra oss över tid än; resultaten ligger hos Invest Stockholm."


def _disagree(criteria: list[MaturityCriterion], answers: dict[int, tuple[str, str]]) -> None:
    criterion = next(c for c in criteria if c.evidence_key == "nki_years")
    answers[criterion.pk] = (Answer.NO, DISAGREEING_COMMENT)


def _load_assessments(rng: random.Random, staff: User) -> None:
    if MaturityAssessment.objects.exists():
        return
    criteria = {t: list(MaturityCriterion.objects.filter(track=t, is_active=True)) for t in Track.values}
    members = list(Kommun.objects.members().order_by("code"))
    kommun_users = {u.kommun_id: u for u in User.objects.filter(role=User.Role.KOMMUN)}
    today = timezone.localdate()
    for index, kommun in enumerate(members):
        if index % 5 == 4 and kommun.code not in ("0482", "0120"):
            continue  # some members have not assessed themselves yet
        submitter = kommun_users.get(kommun.pk, staff)
        for track in Track.values:
            ambition = (
                rng.choice([0, 1, 1, 2]) if kommun.code not in ("0482", "0120") else {"0482": 1, "0120": 2}[kommun.code]
            )
            steps = sorted(rng.sample(range(QUARTERS_BACK), k=rng.randint(1, 3)), reverse=True)
            for n, back in enumerate(steps):
                reach = min(ambition, n)
                answers = _answers(rng, criteria[track], reach)
                disagrees = kommun.code == DISAGREEING_KOMMUN and track == Track.NKI and n == len(steps) - 1
                if disagrees:
                    _disagree(criteria[track], answers)
                assessment = services.assessment_submit(kommun=kommun, track=track, answers=answers, user=submitter)
                when = timezone.now() - datetime.timedelta(days=91 * back + rng.randint(0, 40))
                confirmed = rng.random() < 0.6 and not disagrees  # confirming waits for the decision
                with cache.retiring(Topic.MATURITY):  # update() sends no signals
                    MaturityAssessment.objects.filter(pk=assessment.pk).update(
                        submitted_at=when,
                        confirmed_at=when + datetime.timedelta(days=7) if confirmed and when.date() < today else None,
                        confirmed_by=staff if confirmed else None,
                    )


def _load_dialog(rng: random.Random, staff: list[User]) -> None:
    if DialogEntry.objects.exists():
        return
    members = list(Kommun.objects.members().order_by("code"))
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(kommun__in=members):
        contacts.setdefault(contact.kommun_id, []).append(contact)
    today = timezone.localdate()
    subjects = {
        DialogKind.MEETING: "Avstämning om förfrågningar och erbjudande",
        DialogKind.VISIT: "Besök i kommunen: mark och lokaler",
        DialogKind.CALL: "Samtal om NKI-resultatet",
        DialogKind.WORKSHOP: "Workshop: etableringsprocessen",
    }
    for kommun in members:
        if rng.random() < 0.15 and kommun.code not in ("0482", "0120"):
            continue  # nobody has met these members: they show up on the overview
        demo_kommun = kommun.code in ("0482", "0120")
        for n in range(rng.randint(3, 5) if demo_kommun else rng.randint(1, 4)):
            # The demo kommuner get a visit, so their value report shows one.
            kind = DialogKind.VISIT if demo_kommun and n == 0 else rng.choice(list(subjects))
            entry = DialogEntry.objects.create(
                kind=kind,
                date=today - datetime.timedelta(days=rng.randint(5, 600)),
                title=subjects[kind],
                notes="Vi gick igenom kommunens erbjudande och nästa steg.",
                internal_notes="Intern anteckning: kommunen vill ha fler förfrågningar inom logistik.",
                created_by=staff[0],
            )
            entry.kommuner.add(kommun)
            entry.contacts.add(*rng.sample(contacts.get(kommun.pk, []), k=min(2, len(contacts.get(kommun.pk, [])))))
            entry.staff.add(*rng.sample(staff, k=1))
            if rng.random() < 0.4:
                FollowUp.objects.create(
                    entry=entry,
                    text="Skicka underlag om etableringsprocessen",
                    owner=rng.choice(staff),
                    due_on=today + datetime.timedelta(days=rng.randint(-10, 30)),
                    done_at=timezone.now() if rng.random() < 0.3 else None,
                )
    for kind, title, back in [
        (DialogKind.KSO_MEETING, "KSO-träff våren", 200),
        (DialogKind.BUSINESS_CHIEFS, "Näringslivschefsnätverket: NKI och förfrågningar", 60),
        (DialogKind.STEERING_GROUP, "Styrgruppsmöte", 30),
    ]:
        entry = DialogEntry.objects.create(
            kind=kind,
            date=today - datetime.timedelta(days=back),
            title=title,
            notes="Gemensam genomgång av SBA:s verksamhetsplan.",
            internal_notes="Intern: följ upp kommuner som inte kom.",
            created_by=staff[0],
        )
        entry.kommuner.add(*rng.sample(members, k=min(20, len(members))) + [k for k in members if k.code == "0482"])
        entry.staff.add(*staff)


def _load_kpis() -> None:
    period = AgreementPeriod.objects.filter(name="2025–2028").first()
    if period is None:
        return
    for order, (key, label_sv, label_en, target, unit, higher) in enumerate(KPI_TARGETS_2025_2028, start=1):
        KpiTarget.objects.update_or_create(
            period=period,
            key=key,
            defaults={
                "label_sv": label_sv,
                "label_en": label_en,
                "target_value": Decimal(target),
                "unit": unit,
                "higher_is_better": higher,
                "order": order * 10,
            },
        )


# Good examples: (kommun code, title, what, result, NKI area codes, theme, published)
GOOD_EXAMPLES = [
    (
        "0120",
        "Bygglovslots för företag",
        "En namngiven handläggare följer varje företags ärende från första kontakt till beslut.",
        "NKI för bygglov steg från 62 till 71 på två år; färre kompletteringar.",
        ["bygglov"],
        "Företagslots",
        True,
    ),
    (
        "0482",
        "Frukostmöten med miljöenheten",
        "Miljöenheten bjuder in företagare till frukost varje kvartal för att gå igenom nya regler.",
        "Bättre betyg på bemötande och information i NKI för miljö- och hälsoskydd.",
        ["miljo-och-halsoskydd"],
        "Dialog med näringslivet",
        True,
    ),
    (
        "0180",
        "NKI-resultatet i kommunstyrelsens mål",
        "Kommunstyrelsen har NKI som mål i budgeten och följer upp det varje halvår.",
        "Alla myndighetsområden har en handlingsplan; NKI totalt +4.",
        ["bygglov", "miljo-och-halsoskydd", "livsmedelskontroll"],
        "Ledning och styrning",
        True,
    ),
    (
        "0123",
        "Gemensam e-tjänst för serveringstillstånd",
        "Ansökan, remisser och besked i en e-tjänst tillsammans med grannkommunerna.",
        "Handläggningstiden halverad; utvärderas i nästa NKI.",
        ["serveringstillstand"],
        "Digitalisering",
        False,
    ),
]


def _load_good_examples(staff: User) -> None:
    from nki.models import ServiceArea

    from .knowledge.models import GoodExample

    if GoodExample.objects.exists():
        return
    kommuner = {k.code: k for k in Kommun.objects.filter(code__in=[e[0] for e in GOOD_EXAMPLES])}
    areas = {a.code: a for a in ServiceArea.objects.all()}
    criteria = list(MaturityCriterion.objects.filter(track=Track.NKI, is_active=True).exclude(level="neutral"))
    area_links, criterion_links = [], []
    for n, (code, title, what, result, area_codes, theme, published) in enumerate(GOOD_EXAMPLES):
        if code not in kommuner:
            continue
        kommun = kommuner[code]
        example = GoodExample.objects.create(
            kommun=kommun,
            title=title,
            what=what,
            result=result,
            theme=theme,
            contact=Contact.objects.active().filter(kommun=kommun).order_by("role").first(),
            status=GoodExample.Status.PUBLISHED if published else GoodExample.Status.SUBMITTED,
            created_by=staff,
            reviewed_by=staff if published else None,
            reviewed_at=timezone.now() if published else None,
        )
        area_links += [
            GoodExample.areas.through(goodexample=example, servicearea=areas[c]) for c in area_codes if c in areas
        ]
        if criteria:
            criterion_links.append(
                GoodExample.criteria.through(goodexample=example, maturitycriterion=criteria[n % len(criteria)])
            )
    with cache.retiring(Topic.DIALOG):
        GoodExample.areas.through.objects.bulk_create(area_links)
        GoodExample.criteria.through.objects.bulk_create(criterion_links)
    _load_groups(staff)


def _load_groups(staff: User) -> None:
    """Two groups of members, each with a meeting in the dialog log of its kommuner."""
    from .knowledge.models import ExchangeGroup

    if ExchangeGroup.objects.exists():
        return
    members = list(Kommun.objects.members().select_related("lan").order_by("code"))
    sormland = [k for k in members if k.lan.code == "04"]
    group_links, entry_links = [], []
    for name, kind, kommuner, title in (
        (
            "Lokal NKI-grupp Sörmland",
            ExchangeGroup.Kind.LOCAL_NKI,
            sormland,
            "NKI-gruppen: genomgång av årets resultat",
        ),
        (
            "Stor och liten: bygglov",
            ExchangeGroup.Kind.EXCHANGE,
            members[:2] + members[-2:],
            "Utbyte om bygglovslotsar",
        ),
    ):
        if not kommuner:
            continue
        group = ExchangeGroup.objects.create(name=name, kind=kind)
        entry = DialogEntry.objects.create(
            kind=DialogKind.MEETING, date=datetime.date(2026, 10, 8), title=title, group=group, created_by=staff
        )
        group_links += [ExchangeGroup.kommuner.through(exchangegroup=group, kommun=k) for k in kommuner]
        entry_links += [DialogEntry.kommuner.through(dialogentry=entry, kommun=k) for k in kommuner]
    with cache.retiring(Topic.DIALOG):
        ExchangeGroup.kommuner.through.objects.bulk_create(group_links)
        DialogEntry.kommuner.through.objects.bulk_create(entry_links)


@transaction.atomic
def load() -> None:
    rng = random.Random(2026_6)
    staff = list(User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("email"))
    if not staff:
        return
    _load_assessments(rng, staff[0])
    _load_dialog(rng, staff)
    _load_kpis()
    _load_good_examples(staff[0])
    _load_activities(rng, staff[0])


# A year of SBA's own activities: the past ten months and what is coming up. Made up for the demo.
DEMO_ACTIVITIES = [
    (ActivityKind.FAIR, "MIPIM Cannes", "Cannes", -270, 12, 3),
    (ActivityKind.DELEGATION, "Delegation från Baden-Württemberg", "Stockholm", -220, 6, 1),
    (ActivityKind.SEMINAR, "Seminarium: Mark och lokaler för logistik", "Stockholm", -180, 4, 0),
    (ActivityKind.CAMPAIGN, "Kampanj: Life science i Stockholmsregionen", "", -150, 9, 2),
    (ActivityKind.FAIR, "Expo Real München", "München", -60, 15, 2),
    (ActivityKind.DELEGATION, "Delegation från Sydkorea: batterier", "Stockholm", -30, 5, 1),
    (ActivityKind.SEMINAR, "Seminarium: Datacenter och effekt", "Uppsala", 20, 0, 0),
    (ActivityKind.FAIR, "MIPIM Cannes", "Cannes", 95, 0, 0),
]


def _load_activities(rng: random.Random, staff: User) -> None:
    from inquiries.models import Inquiry

    if Activity.objects.exists():
        return
    members = list(Kommun.objects.members().order_by("code"))
    inquiries = list(Inquiry.objects.order_by("pk")[:10])
    today = timezone.localdate()
    for kind, title, place, days, leads, inquiry_count in DEMO_ACTIVITIES:
        activity = Activity.objects.create(
            kind=kind,
            title=title,
            place=place,
            starts_on=today + datetime.timedelta(days=days),
            ends_on=today + datetime.timedelta(days=days + 3) if kind == ActivityKind.FAIR else None,
            leads=leads,
            description="Påhittad demoaktivitet.",
            created_by=staff,
        )
        taking_part = rng.sample(members, k=min(len(members), rng.randint(4, 12)))
        activity.kommuner.add(*taking_part, *[k for k in members if k.code in ("0482", "0120")])
        if inquiries and inquiry_count:
            activity.inquiries.add(*rng.sample(inquiries, k=min(inquiry_count, len(inquiries))))
