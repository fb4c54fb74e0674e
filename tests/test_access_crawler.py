"""The access crawler: every URL pattern of the project, as every persona.

It walks the URL resolver (so a new page is covered without anyone remembering), fills each
pattern's parameters with objects that belong to kommun A (Flen) and to staff, and requests it as
anonymous, kommun B's user, a non-member kommun's user, kommun A's user, staff and admin. For each
it asserts the answer in RULES (sign-in redirect, 404, 200 …) and that none of kommun A's
confidential marker strings appear in what a non-entitled persona receives. Kommun A's own user
must not see the investor's name (not released) nor staff-internal dialog notes.

A URL pattern without a rule fails the test: add the rule when you add the page. VARIANTS adds
requests with other parameters or query strings (an export's kinds and formats) to a pattern.
The apps' own access tests keep what this cannot see: content, redirects' targets, refused writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from inquiries import services as inquiry_services
from inquiries.models import Answer, Attachment, Dispatch
from members.models import Contact, FactSheetLink, KommunFact, Membership, Population, Premises, User
from nki.models import NkiResult, ServiceArea
from outbox.models import Message
from outbox.services import unsubscribe_token
from overview.models import (
    Activity,
    ActivityKind,
    ExchangeGroup,
    GoodExample,
    Level,
    MaturityAnswer,
    MaturityAssessment,
    MaturityCriterion,
    Track,
)
from surveys import services as survey_services
from surveys.models import Invitation, Question, Survey

from .conftest import client_for
from .factories import ContactFactory, DialogEntryFactory, FollowUpFactory, InquiryFactory, SiteFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "user_b", "user_outside", "user_a", "staff", "admin")
A_ENTITLED = {"user_a", "staff", "admin"}
STAFF = {"staff", "admin"}
PORTAL = {"user_a", "user_b", "user_outside", "staff", "admin"}
SIGNED_IN = PORTAL

# Kommun A's confidential strings. None may reach anonymous, kommun B or the non-member kommun.
MARKERS = {
    "investor": "MARKER-INVESTOR-Nordlys-Hemlig",
    "description": "MARKER-BRIEF-batterifabrik",
    "offer": "MARKER-OFFER-Flen-erbjudande",
    "attachment": "MARKER-ATTACHMENT-flen-anbud.pdf",
    "contact_email": "marker-contact@flen.example",
    "feedback": "MARKER-FEEDBACK-till-Flen",
    "site": "MARKER-SITE-Flen-Stortomten",
    "internal": "MARKER-INTERNAL-dialog-note",
}
# What kommun A's own user must not see either: the investor (not released) and staff-only notes.
HIDDEN_FROM_A = {MARKERS["investor"], MARKERS["internal"]}


@dataclass
class World:
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass(frozen=True)
class Rule:
    """What each persona gets from one URL pattern.

    ok: personas that are entitled; they get `ok_status`. Everyone else signed in gets 404; the
    anonymous visitor is sent to sign in (or gets `anonymous` if the page is public).
    """

    ok: set[str] | frozenset[str]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "GET"
    data: Callable[[World], dict] = lambda w: {}
    ok_status: tuple[int, ...] = (200,)
    anonymous: str | int = "login"
    others: int = 404
    per_persona: dict = field(default_factory=dict)  # persona → status, overriding the above
    # A public page reached through a secret (token) may show its own subject; skip marker checks.
    secret_link: bool = False
    query: str = ""  # a query string (e.g. "export=csv"): for VARIANTS

    def url(self, name: str, w: World) -> str:
        return reverse(name, kwargs=self.kwargs(w)) + (f"?{self.query}" if self.query else "")


def code_a(w: World) -> dict:
    return {"code": w.kommun_a.code}


RULES: dict[str, Rule] = {
    # --- Public and account pages
    "home": Rule(ok=SIGNED_IN, ok_status=(302,)),
    "healthz": Rule(ok=set(PERSONAS), anonymous=200),
    "healthz_live": Rule(ok=set(PERSONAS), anonymous=200),
    "healthz_ready": Rule(ok=set(PERSONAS), anonymous=200),
    "set_language": Rule(
        ok=set(PERSONAS), method="POST", data=lambda w: {"language": "en"}, ok_status=(302,), anonymous=302
    ),
    "login": Rule(ok=set(PERSONAS), anonymous=200),
    "logout": Rule(ok=set(PERSONAS), method="POST", ok_status=(302,), anonymous=302),
    "password_reset": Rule(ok=set(PERSONAS), anonymous=200),
    "password_reset_done": Rule(ok=set(PERSONAS), anonymous=200),
    "password_reset_confirm": Rule(ok=set(PERSONAS), kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}, anonymous=200),
    "password_reset_complete": Rule(ok=set(PERSONAS), anonymous=200),
    "password_change": Rule(ok=SIGNED_IN),
    "password_change_done": Rule(ok=SIGNED_IN),
    "accept_invitation": Rule(ok=set(), kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}, anonymous=404),
    # --- members
    "members:kommun_list": Rule(ok=STAFF),
    "members:my_kommun": Rule(ok=PORTAL, per_persona={"staff": 302, "admin": 302}),
    "members:kommun_detail": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:kommun_history": Rule(ok=STAFF, kwargs=code_a),
    "members:contact_create": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:contact_edit": Rule(ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.contact.pk}),
    "members:contact_delete": Rule(ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.contact.pk}),
    "members:contact_reactivate": Rule(
        ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.contact.pk}, method="POST", ok_status=(302,)
    ),
    "members:membership_create": Rule(ok=STAFF, kwargs=code_a),
    "members:membership_edit": Rule(ok=STAFF, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.membership.pk}),
    "members:membership_delete": Rule(ok=STAFF, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.membership.pk}),
    "members:population_create": Rule(ok=STAFF, kwargs=code_a),
    "members:population_edit": Rule(ok=STAFF, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.population.pk}),
    "members:population_import": Rule(ok=STAFF),
    "members:period_list": Rule(ok=STAFF),
    "members:period_create": Rule(ok=STAFF),
    "members:period_edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.membership.period_id}),
    "members:user_list": Rule(ok=STAFF),
    "members:user_invite": Rule(ok=STAFF),
    "members:user_reinvite": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.invited.pk}, method="POST", ok_status=(302,)),
    "members:user_set_active": Rule(
        ok=STAFF, kwargs=lambda w: {"pk": w.invited.pk}, method="POST", data=lambda w: {"active": "1"}, ok_status=(302,)
    ),
    "members:account": Rule(ok=SIGNED_IN),
    "members:two_factor_setup": Rule(ok=SIGNED_IN),
    "members:two_factor_disable": Rule(ok=SIGNED_IN, method="POST", ok_status=(302,)),
    "members:profile_edit": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:premises_create": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:premises_edit": Rule(ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.premises.pk}),
    "members:premises_delete": Rule(ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.premises.pk}),
    "members:premises_confirm": Rule(
        ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.premises.pk}, method="POST", ok_status=(302,)
    ),
    "members:fact_sheet": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:fact_sheet_pdf": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:fact_create": Rule(ok=STAFF, kwargs=code_a),
    "members:fact_edit": Rule(ok=STAFF, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.fact.pk}),
    "members:region_sheet": Rule(ok=PORTAL),
    "members:region_sheet_pdf": Rule(ok=PORTAL),
    "members:fact_import": Rule(ok=STAFF),
    "members:fact_share_create": Rule(
        ok=A_ENTITLED, method="POST", data=lambda w: {"kommun": w.kommun_a.code}, ok_status=(302,)
    ),
    # Kommun A's user revokes the link first; for staff after it, it is gone (404).
    "members:fact_share_revoke": Rule(
        ok=A_ENTITLED,
        kwargs=lambda w: {"pk": w.fact_link.pk},
        method="POST",
        ok_status=(302,),
        per_persona={"staff": 404, "admin": 404},
    ),
    "members:fact_shared": Rule(
        ok=set(PERSONAS), kwargs=lambda w: {"token": w.open_link.token}, anonymous=200, secret_link=True
    ),
    "members:site_create": Rule(ok=A_ENTITLED, kwargs=code_a),
    "members:site_edit": Rule(ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.site.pk}),
    "members:site_delete": Rule(ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.site.pk}),
    "members:site_confirm": Rule(
        ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "pk": w.site.pk}, method="POST", ok_status=(302,)
    ),
    # --- inquiries
    "inquiries:index": Rule(ok=PORTAL),
    "inquiries:create": Rule(ok=STAFF),
    "inquiries:detail": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.inquiry.pk}),
    "inquiries:edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.inquiry.pk}),
    "inquiries:status": Rule(
        ok=STAFF,
        kwargs=lambda w: {"pk": w.inquiry.pk},
        method="POST",
        data=lambda w: {"status": "sent"},
        ok_status=(302,),
    ),
    "inquiries:outcome": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.inquiry.pk}),
    "inquiries:dispatch": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.dispatch.pk}),
    "inquiries:dispatch_action": Rule(
        ok=STAFF, kwargs=lambda w: {"pk": w.dispatch.pk, "action": "shortlist"}, method="POST", ok_status=(302,)
    ),
    "inquiries:attachment": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.attachment.pk}),
    # Only the answering kommun removes its own attachments; staff get 404 too.
    "inquiries:attachment_delete": Rule(
        ok={"user_a"}, kwargs=lambda w: {"pk": w.attachment.pk}, method="POST", ok_status=(302,)
    ),
    "inquiries:insight": Rule(ok=PORTAL),
    "inquiries:export": Rule(ok=PORTAL, kwargs=lambda w: {"kind": "answers", "fmt": "csv"}),
    # --- nki (public to every signed-in portal user)
    "nki:index": Rule(ok=PORTAL),
    "nki:import": Rule(ok=STAFF),
    "nki:kommun": Rule(ok=PORTAL, kwargs=code_a),
    "nki:area": Rule(ok=PORTAL, kwargs=lambda w: {"code": "bygglov"}),
    # --- overview
    "overview:index": Rule(ok=STAFF),
    # A kommun user is sent on to their own kommun's page.
    "overview:maturity:region": Rule(ok=STAFF, per_persona=dict.fromkeys(("user_a", "user_b", "user_outside"), 302)),
    "overview:maturity:assessment": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.assessment.pk}),
    "overview:maturity:assessment_confirm": Rule(
        ok=STAFF, kwargs=lambda w: {"pk": w.assessment.pk}, method="POST", ok_status=(302,)
    ),
    "overview:maturity:answer_decide": Rule(
        ok=STAFF,
        kwargs=lambda w: {"pk": w.maturity_answer.pk},
        method="POST",
        data=lambda w: {"decision": "answer"},
        ok_status=(302,),
    ),
    "overview:maturity:kommun": Rule(ok=A_ENTITLED, kwargs=code_a),
    "overview:maturity:assessment_create": Rule(
        ok=A_ENTITLED, kwargs=lambda w: {"code": w.kommun_a.code, "track": Track.NKI}
    ),
    "overview:dialog:list": Rule(ok=PORTAL),
    "overview:dialog:create": Rule(ok=STAFF),
    "overview:dialog:contacts": Rule(ok=STAFF),
    "overview:dialog:follow_ups": Rule(ok=STAFF),
    "overview:dialog:follow_up_done": Rule(
        ok=STAFF, kwargs=lambda w: {"pk": w.follow_up.pk}, method="POST", ok_status=(302,)
    ),
    "overview:dialog:detail": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.entry.pk}),
    "overview:dialog:edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.entry.pk}),
    "overview:dialog:follow_up_add": Rule(
        ok=STAFF, kwargs=lambda w: {"pk": w.entry.pk}, method="POST", ok_status=(200, 302)
    ),
    "overview:activities:list": Rule(ok=PORTAL),
    "overview:activities:create": Rule(ok=STAFF),
    "overview:activities:detail": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.activity.pk}),
    "overview:activities:edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.activity.pk}),
    "overview:reports:index": Rule(ok=STAFF, per_persona=dict.fromkeys(("user_a", "user_b", "user_outside"), 302)),
    "overview:reports:region": Rule(ok=PORTAL),
    "overview:reports:kommun": Rule(ok=A_ENTITLED, kwargs=code_a),
    "overview:reports:region_pdf": Rule(ok=PORTAL),
    "overview:reports:kommun_pdf": Rule(ok=A_ENTITLED, kwargs=code_a),
    # --- good examples (an unpublished one of kommun A: its own users and staff only)
    "overview:knowledge:list": Rule(ok=PORTAL),
    "overview:knowledge:create": Rule(ok=PORTAL),
    "overview:knowledge:detail": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.example.pk}),
    "overview:knowledge:edit": Rule(ok=A_ENTITLED, kwargs=lambda w: {"pk": w.example.pk}),
    "overview:knowledge:review": Rule(
        ok=STAFF,
        kwargs=lambda w: {"pk": w.example.pk},
        method="POST",
        data=lambda w: {"decision": "return"},
        ok_status=(302,),
    ),
    "overview:knowledge:group_list": Rule(ok=PORTAL),
    "overview:knowledge:group_create": Rule(ok=STAFF),
    "overview:knowledge:group_detail": Rule(ok=PORTAL, kwargs=lambda w: {"pk": w.group.pk}),
    "overview:knowledge:group_edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.group.pk}),
    "overview:knowledge:group_meeting_add": Rule(
        ok=STAFF,
        kwargs=lambda w: {"pk": w.group.pk},
        method="POST",
        data=lambda w: {"date": "2026-10-08", "title": "Möte"},
        ok_status=(302,),
    ),
    # --- surveys (kommun users read the region's results of a closed survey; the answer page is
    # reached through the single-use link, without signing in)
    "surveys:list": Rule(ok=PORTAL),
    "surveys:create": Rule(ok=STAFF),
    "surveys:detail": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk}),
    "surveys:edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk}),
    "surveys:question_create": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk}),
    "surveys:question_edit": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk, "question_pk": w.question.pk}),
    "surveys:action": Rule(
        ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk, "action": "invite"}, method="POST", ok_status=(302,)
    ),
    "surveys:results": Rule(ok=PORTAL, kwargs=lambda w: {"pk": w.closed_survey.pk}),
    "surveys:answer": Rule(
        ok=set(PERSONAS), kwargs=lambda w: {"token": w.survey_token}, anonymous=200, secret_link=True
    ),
    "surveys:done": Rule(ok=set(PERSONAS), anonymous=200),
    # --- outbox
    "outbox:log": Rule(ok=STAFF),
    "outbox:resend": Rule(ok=STAFF, kwargs=lambda w: {"pk": w.failed_message.pk}, method="POST", ok_status=(302,)),
    "outbox:settings": Rule(ok=SIGNED_IN),
    # --- privacy: the register and one person's data for staff; acting on it for administrators
    "privacy:register": Rule(ok=STAFF),
    "privacy:people": Rule(ok=STAFF),
    "privacy:person": Rule(ok=STAFF),
    "privacy:erase": Rule(
        ok={"admin"}, method="POST", data=lambda w: {"q": "nobody@nowhere.example", "confirm": "on"}, ok_status=(302,)
    ),
    "privacy:correct": Rule(
        ok={"admin"}, method="POST", data=lambda w: {"q": "nobody@nowhere.example", "phone": "1"}, ok_status=(302,)
    ),
    "privacy:retention": Rule(ok={"admin"}),
    "privacy:retention_run": Rule(ok={"admin"}, method="POST", ok_status=(302,)),
    "privacy:audit": Rule(ok={"admin"}),
    "outbox:unsubscribe": Rule(
        ok=set(PERSONAS), kwargs=lambda w: {"token": w.unsubscribe_token}, anonymous=200, secret_link=True
    ),
}


# More requests to a pattern than its rule's one: other parameter values and query strings that run
# other code or answer other personas (an export's kinds and formats, the NKI pages' exports,
# another kommun's public NKI page). They were the per-app access tables (issue 12).
VARIANTS: dict[str, tuple[Rule, ...]] = {
    "inquiries:export": (
        Rule(ok=PORTAL, kwargs=lambda w: {"kind": "answers", "fmt": "xlsx"}),
        Rule(ok=STAFF, kwargs=lambda w: {"kind": "inquiries", "fmt": "csv"}),
        Rule(ok=STAFF, kwargs=lambda w: {"kind": "inquiries", "fmt": "xlsx"}),
    ),
    "nki:index": (Rule(ok=PORTAL, query="export=csv"),),
    "nki:kommun": (
        Rule(ok=PORTAL, kwargs=lambda w: {"code": w.kommun_b.code}),
        Rule(ok=PORTAL, kwargs=lambda w: {"code": w.kommun_b.code}, query="export=xlsx"),
    ),
    "nki:area": (
        Rule(ok=PORTAL, kwargs=lambda w: {"code": "bygglov"}, query="export=csv"),
        Rule(ok=PORTAL, kwargs=lambda w: {"code": "bygglov"}, query="scope=all"),
    ),
    "privacy:register": (Rule(ok=STAFF, query="export=csv"), Rule(ok=STAFF, query="export=xlsx")),
    "privacy:people": (Rule(ok=STAFF, query="q=flen"),),
    "privacy:person": (
        # Upper case: the 404 page may echo the address, and the markers are looked for as written.
        Rule(ok=STAFF, query="q=MARKER-CONTACT@FLEN.EXAMPLE"),
        Rule(ok=STAFF, query="q=MARKER-CONTACT@FLEN.EXAMPLE&export=json"),
        Rule(ok=STAFF, query="q=MARKER-CONTACT@FLEN.EXAMPLE&export=csv"),
    ),
    "surveys:results": (
        Rule(ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk}),  # still open: staff only
        Rule(ok=PORTAL, kwargs=lambda w: {"pk": w.closed_survey.pk}, query="export=csv"),
        Rule(ok=PORTAL, kwargs=lambda w: {"pk": w.closed_survey.pk}, query="export=xlsx"),
        Rule(ok=STAFF, kwargs=lambda w: {"pk": w.survey.pk}, query="export=csv"),
    ),
    "surveys:answer": (Rule(ok=set(), kwargs=lambda w: {"token": "guessed-token"}, anonymous=404),),
}


def url_patterns(patterns=None, namespace: str | None = None, prefix: str = ""):
    """(qualified name, route, URLPattern) for every pattern of the project."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(x for x in (namespace, pattern.namespace) if x) or None
            yield from url_patterns(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def project_patterns() -> list[tuple[str | None, str]]:
    seen, result = set(), []
    for name, route, _pattern in url_patterns():
        if route.startswith("admin/"):
            continue  # Django admin: test_admin_urls_are_for_admins_only
        if (name, route) not in seen:
            seen.add((name, route))
            result.append((name, route))
    return result


def crawl() -> list[tuple[str, Rule]]:
    """(URL name, rule) for every pattern's rule and its VARIANTS."""
    return [(name, rule) for name, _route in project_patterns() for rule in (RULES[name], *VARIANTS.get(name, ()))]


@pytest.fixture
def world(kommun_a, kommun_b, staff) -> World:
    w = World()
    w.objects.update(kommun_a=kommun_a, kommun_b=kommun_b)
    contact = ContactFactory(
        kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF, email=MARKERS["contact_email"], is_primary=True
    )
    ContactFactory(kommun=kommun_a, role=Contact.Role.INVESTMENT, email="invest@flen.example")
    site = SiteFactory(kommun=kommun_a, name=MARKERS["site"])
    inquiry = InquiryFactory(investor_name=MARKERS["investor"], description=MARKERS["description"], responsible=staff)
    [dispatch] = inquiry_services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun_a.pk], user=staff)
    answer = Answer.objects.create(dispatch=dispatch, decision=Answer.Decision.INTERESTED, offer=MARKERS["offer"])
    answer.proposed_sites.add(site)
    attachment = Attachment.objects.create(
        answer=answer,
        file=ContentFile(b"%PDF-1.4 marker", name="a.pdf"),
        original_name=MARKERS["attachment"],
        content_type="application/pdf",
        size=15,
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(feedback=MARKERS["feedback"])
    entry = DialogEntryFactory(kommuner=[kommun_a], internal_notes=MARKERS["internal"], title="Möte i Flen")
    follow_up = FollowUpFactory(entry=entry, owner=staff)
    assessment = MaturityAssessment.objects.create(kommun=kommun_a, track=Track.NKI, level=Level.NEUTRAL)
    # Flen says it has an NKI contact; the portal has none: a disagreement for staff to decide.
    maturity_answer = MaturityAnswer.objects.create(
        assessment=assessment,
        criterion=MaturityCriterion.objects.get(evidence_key="contact_nki"),
        answer="yes",
        evidence_met=False,
        evidence_text="Ingen NKI-kontakt.",
    )
    activity = Activity.objects.create(kind=ActivityKind.FAIR, title="MIPIM", starts_on=timezone.localdate())
    activity.kommuner.add(kommun_a)
    activity.inquiries.add(inquiry)
    invited = User.objects.create_user("invited@flen.example", None, kommun=kommun_a, invited_at=timezone.now())
    failed = Message.objects.create(
        key="test:failed:1",
        kind="test",
        to=MARKERS["contact_email"],
        subject="Flen",
        body_text=MARKERS["offer"],
        status=Message.Status.FAILED,
        attempts=5,
    )
    today = timezone.localdate()
    survey = Survey.objects.create(
        title="Medlemsenkät", year=today.year, opens_on=today, closes_on=today + timezone.timedelta(days=14)
    )
    question = Question.objects.create(survey=survey, key="value", text="Värdet av medlemskapet?")
    closed_survey = Survey.objects.create(
        title="Medlemsenkät förra året",
        year=today.year - 1,
        opens_on=today.replace(year=today.year - 1),
        closes_on=today.replace(year=today.year - 1),
        closed_at=timezone.now(),
    )
    survey_token, hashed = survey_services.new_token()
    Invitation.objects.create(survey=survey, contact=contact, token_hash=hashed)
    example = GoodExample.objects.create(
        kommun=kommun_a, title="Flens exempel", what=MARKERS["description"], result="Bättre NKI", contact=contact
    )
    group = ExchangeGroup.objects.create(name="NKI-gruppen")
    group.kommuner.add(kommun_a)
    w.objects.update(
        group=group,
        example=example,
        survey=survey,
        question=question,
        closed_survey=closed_survey,
        survey_token=survey_token,
        contact=contact,
        site=site,
        inquiry=inquiry,
        dispatch=dispatch,
        attachment=attachment,
        entry=entry,
        follow_up=follow_up,
        assessment=assessment,
        maturity_answer=maturity_answer,
        invited=invited,
        failed_message=failed,
        membership=Membership.objects.filter(kommun=kommun_a).first(),
        population=Population.objects.create(kommun=kommun_a, year=2024, population=16543),
        premises=Premises.objects.create(kommun=kommun_a, name="Flens lager", kind=Premises.Kind.WAREHOUSE),
        fact=KommunFact.objects.create(kommun=kommun_a, key="pop_20_64", year=2024, value=9000, source="SCB"),
        fact_link=FactSheetLink.objects.create(kommun=kommun_a, token="revoke-me", created_by=staff),
        open_link=FactSheetLink.objects.create(kommun=kommun_a, token="open-link", created_by=staff),
        activity=activity,
        unsubscribe_token=unsubscribe_token(email=MARKERS["contact_email"], kind="kommun_weekly"),
    )
    return w


@pytest.fixture
def nki_results(kommun_a, kommun_b, kommun_outside) -> None:
    """Public NKI results of A, B and the non-member, so the NKI pages and their exports have rows."""
    totalt, bygglov = ServiceArea.objects.get(code="totalt"), ServiceArea.objects.get(code="bygglov")
    for kommun, nki in ((kommun_a, "74.0"), (kommun_b, "71.0"), (kommun_outside, "80.0")):
        for year in (2022, 2023):
            NkiResult.objects.create(kommun=kommun, year=year, area=totalt, nki=Decimal(nki), answers=120)
        NkiResult.objects.create(kommun=kommun, year=2023, area=bygglov, nki=Decimal(nki) - 10, answers=30)


def expected_status(rule: Rule, persona: str) -> int | str:
    if persona in rule.per_persona:
        return rule.per_persona[persona]
    if persona == "anonymous":
        return rule.anonymous
    return "ok" if persona in rule.ok else rule.others


def request(client: Client, rule: Rule, url: str, w: World):
    if rule.method == "POST":
        return client.post(url, rule.data(w))
    return client.get(url)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_every_url_pattern_has_a_rule():
    missing = [f"{name or '(unnamed)'}  {route}" for name, route in project_patterns() if name not in RULES]
    assert missing == [], "URL patterns without an access rule in tests/test_access_crawler.py"
    stale = (set(RULES) | set(VARIANTS)) - {name for name, _route in project_patterns()}
    assert stale == set(), "rules for URL names that no longer exist"


def test_a_new_pattern_without_a_rule_is_caught(settings):
    """Demonstration: a throwaway URL pattern makes the coverage check fail."""
    import sys
    import types

    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("crawler_throwaway_urls")
    module.urlpatterns = [
        path("throwaway/", lambda request: None, name="throwaway"),
        path("", include("sba_portal.urls")),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
    try:
        with pytest.raises(AssertionError, match="throwaway"):
            test_every_url_pattern_has_a_rule()
    finally:
        del sys.modules[module.__name__]
        clear_url_caches()


def test_crawl_every_url_as_every_persona(world, personas, nki_results):
    clients = {persona: client_for(personas[persona]) for persona in PERSONAS}
    failures = []
    seen_by_staff: set[str] = set()
    for name, rule in crawl():
        url = rule.url(name, world)
        label = name if rule is RULES[name] else f"{name} {url}"
        for persona in PERSONAS:
            client = clients[persona] if rule.method == "GET" or persona != "anonymous" else Client()
            if name == "logout":
                client = client_for(personas[persona])  # signing out must not end the crawl's sessions
            response = request(client, rule, url, world)
            expected = expected_status(rule, persona)
            status = response.status_code
            if expected == "login":
                good = status == 302 and response["Location"].startswith(reverse("login"))
            elif expected == "ok":
                good = status in rule.ok_status
            else:
                good = status == expected
            if not good:
                failures.append(f"{label} as {persona}: got {status}, expected {expected}")
                continue
            body = body_of(response)
            if persona == "staff":
                seen_by_staff |= {key for key, marker in MARKERS.items() if marker in body}
            if persona not in A_ENTITLED and not rule.secret_link:
                leaked = [key for key, marker in MARKERS.items() if marker in body]
                if leaked:
                    failures.append(f"{label} as {persona}: leaks {leaked}")
            if persona == "user_a":
                leaked = [marker for marker in HIDDEN_FROM_A if marker in body]
                if leaked:
                    failures.append(f"{label} as user_a: shows {leaked}")
    assert failures == [], "\n".join(failures)
    # The markers are planted where pages really show them: staff saw every one somewhere.
    assert seen_by_staff == set(MARKERS)


def test_admin_urls_are_for_admins_only(world, personas):
    from django.contrib import admin

    clients = {persona: client_for(personas[persona]) for persona in PERSONAS}
    model_of = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    failures = []
    for name, route, pattern in url_patterns():
        parameters = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        if not (name and name.startswith("admin:")) or parameters - {"object_id"} or "([^/]+)" in route:
            continue  # not admin, or a pattern with other parameters (e.g. an app's index, a history version)
        if name in ("admin:login", "admin:logout", "admin:autocomplete", "admin:jsi18n"):
            continue  # the admin's own sign-in pages and helpers, open by design
        kwargs = {}
        if "object_id" in route:
            model = model_of.get(name.split(":", 1)[1].rsplit("_", 1)[0])
            obj = model.objects.first() if model is not None else None
            if obj is None:
                continue
            kwargs["object_id"] = obj.pk
        url = reverse(name, kwargs=kwargs)
        for persona in PERSONAS:
            response = clients[persona].get(url)
            if persona == "admin":
                # 403: the admin deliberately offers no "add" for read-only models (outbox, axes).
                if response.status_code >= 400 and response.status_code != 403:
                    failures.append(f"{name} as admin: {response.status_code}")
            elif not (response.status_code == 302 and "/admin/login/" in response["Location"]):
                failures.append(f"{name} as {persona}: {response.status_code}")
    assert failures == [], "\n".join(failures)
