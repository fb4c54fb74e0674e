"""Journeys through the portal in headless Chromium, in Swedish and English (issue 7).

Every page a journey visits is scanned with axe-core (no serious/critical WCAG 2.1 A/AA violation),
checked for Content-Security-Policy violations and photographed to artifacts/screenshots/
(see conftest.py). Each journey starts from the state the previous one leaves, built through the
services, so each can run (and fail) on its own.
"""

import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from inquiries import services as inquiry_services
from inquiries.models import Answer, Attachment, Dispatch, Inquiry, Outcome
from members.models import Contact, KommunProfile
from nki.models import NkiImport, NkiResult
from overview.models import Level, MaturityAssessment, Track

from ..factories import ContactFactory, InquiryFactory, SiteFactory
from ..inquiries.helpers import PDF
from ..nki.conftest import xlsx_bytes

LANGUAGES = ["sv", "en"]
INVESTOR = "Nordlys Battery Holdings AB"  # confidential: never on a kommun's page before release

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.parametrize("language", LANGUAGES),
]


@pytest.fixture
def contacts(kommun_a, kommun_b):
    return {
        "a_nlc": ContactFactory(
            kommun=kommun_a, name="Anna Flenberg", role=Contact.Role.NARINGSLIVSCHEF, email="nlc@flen.example"
        ),
        "b_nlc": ContactFactory(
            kommun=kommun_b, name="Bo Värmdö", role=Contact.Role.NARINGSLIVSCHEF, email="nlc@varmdo.example"
        ),
    }


@pytest.fixture
def sites(kommun_a, kommun_b):
    KommunProfile.objects.create(kommun=kommun_a, appetite="matching")
    KommunProfile.objects.create(kommun=kommun_b, appetite="all")
    return {
        "a": SiteFactory(kommun=kommun_a, name="Flen Stora Industriområde", area_ha=30),
        "b": SiteFactory(kommun=kommun_b, name="Värmdö Hamnområde", area_ha=12),
    }


@pytest.fixture
def sent_inquiry(staff, kommun_a, kommun_b, contacts, sites):
    """An inquiry staff sent to kommun A and kommun B (journey 1's result)."""
    inquiry = InquiryFactory(code_name="Project Nordlys", investor_name=INVESTOR, responsible=staff)
    dispatches = inquiry_services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun_a.pk, kommun_b.pk], user=staff)
    by_kommun = {d.kommun_id: d for d in dispatches}
    return {"inquiry": inquiry, "a": by_kommun[kommun_a.pk], "b": by_kommun[kommun_b.pk]}


def upload_file(name: str, content: bytes) -> Path:
    """A file on disk for the browser's file input (Chromium reads it from the path)."""
    path = Path(tempfile.mkdtemp(prefix="sba-upload-")) / name
    path.write_bytes(content)
    return path


# --- 1. Staff create, match and dispatch ------------------------------------------------------------


def test_staff_creates_matches_and_dispatches_an_inquiry(
    browser_for, language, staff, kommun_a, kommun_b, contacts, sites
):
    b = browser_for(language)
    t = b.t
    b.login(staff.email)  # the real sign-in form; staff land on the overview
    assert b.path.startswith("/oversikt/")

    b.submit(b.link(t("Inquiries")), "inquiry-list")
    b.submit(b.link(t("New inquiry")), "inquiry-form")
    b.fill("#id_code_name", "Project Fjord")
    b.select("#id_source", value=Inquiry.Source.DIRECT)
    b.fill("#id_description", "A food plant for the Nordic market.")
    b.fill("#id_investor_name", INVESTOR)
    b.fill("#id_req_area_ha", "20")
    b.set_value("#id_answer_deadline", (timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    b.select("#id_responsible", value=str(staff.pk))
    b.submit(b.button(t("Save"), within=b.find("main form")), "inquiry-created")

    inquiry = Inquiry.objects.get(code_name="Project Fjord")
    assert b.path == inquiry.get_absolute_url()
    assert inquiry.status == Inquiry.Status.DRAFT and inquiry.investor_name == INVESTOR
    assert inquiry.reference in b.find("h1").text

    # The match table: Flen's 30 ha site matches, Värmdö's 12 ha does not (with the reason).
    table = b.find("#match-heading ~ form table")
    flen = table.find_element("xpath", f".//tr[th[normalize-space()='{kommun_a.name}']]")
    varmdo = table.find_element("xpath", f".//tr[th[normalize-space()='{kommun_b.name}']]")
    assert t("Match") in flen.text
    assert t("No match") in varmdo.text
    b.click(varmdo.find_element("css selector", "details summary"))  # the reasons: one click away
    assert t("Needs %(need)s ha — largest site %(have)s ha") % {"need": 20, "have": 12} in varmdo.text
    # Ticked at first: Flen (a match, wants matching ones) and Värmdö (wants all); the other members
    # have no profile data, so none of them is ticked (issue 14: it used to be ~50 boxes to untick).
    assert {x.get_attribute("value") for x in b.find_all("input[name=kommuner]:checked")} == {
        str(kommun_a.pk),
        str(kommun_b.pk),
    }

    # Forgetting the confirmation box: one confirmation, no browser pop-up; the portal says why.
    b.submit(b.button(t("Send to ticked kommuner")), "dispatch-unconfirmed")
    assert t("Tick the box to confirm the sending.") in b.find(".error-summary").text
    assert not Dispatch.objects.exists()

    # The second page kept our choice; confirm and send.
    assert {x.get_attribute("value") for x in b.find_all("input[name=kommuner]:checked")} == {
        str(kommun_a.pk),
        str(kommun_b.pk),
    }
    b.click(b.find("#confirm-send"))
    b.submit(b.button(t("Send to ticked kommuner")), "dispatched")
    assert set(Dispatch.objects.filter(inquiry=inquiry).values_list("kommun_id", flat=True)) == {
        kommun_a.pk,
        kommun_b.pk,
    }
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SENT
    answers = b.find("#answers-heading").find_element("xpath", "..").text
    assert kommun_a.name in answers and kommun_b.name in answers and t("Not answered yet") in answers


# --- 2. The näringslivschef answers; a kommun not chosen cannot reach it ------------------------------


def test_kommun_answers_with_a_site_and_an_attachment(
    browser_for, language, sent_inquiry, user_a, user_b, sites, contacts
):
    dispatch_a = sent_inquiry["a"]
    # Värmdö was not chosen for this one: only Flen got it.
    Dispatch.objects.filter(pk=sent_inquiry["b"].pk).delete()
    b = browser_for(language)
    t = b.t
    b.login(user_a.email)  # kommun users land on Min kommun
    assert b.path == "/min-kommun/"

    b.submit(b.link(t("Inquiries")), "inbox")
    new = b.find("#new-heading").find_element("xpath", "..")
    assert "Project Nordlys" in new.text
    assert INVESTOR not in b.text
    b.submit(new.find_element("partial link text", "Project Nordlys"), "dispatch")
    assert b.path == dispatch_a.get_absolute_url()
    assert INVESTOR not in b.text
    assert t("Confidential until Invest Stockholm releases it to you.") in b.main_text

    b.click(b.find("input[name=decision][value=interested]"))
    b.fill("#id_offer", "Vi erbjuder 30 ha planlagd mark nära E20.")
    b.click(b.find(f"input[name=proposed_sites][value='{sites['a'].pk}']"))
    b.select("#id_contact", value=str(contacts["a_nlc"].pk))
    b.find("input[type=file][name=files]").send_keys(str(upload_file("erbjudande-flen.pdf", PDF)))
    b.submit(b.button(t("Send answer")), "answered")

    assert b.path == dispatch_a.get_absolute_url()
    assert t("Your answer is saved. You can change it until the deadline.") in b.main_text
    answer = Answer.objects.get(dispatch=dispatch_a)
    assert answer.decision == Answer.Decision.INTERESTED and answer.answered_by == user_a
    assert list(answer.proposed_sites.all()) == [sites["a"]]
    attachment = Attachment.objects.get(answer=answer)
    assert attachment.original_name == "erbjudande-flen.pdf" and attachment.content_type == "application/pdf"
    card = b.find("#answer-heading").find_element("xpath", "..").text
    assert "Flen Stora Industriområde" in card and "erbjudande-flen.pdf" in card

    # Värmdö's näringslivschef: not in the inbox, and the address gives the 404 page.
    b.login_as(user_b)
    b.visit("/forfragningar/", "other-kommun-inbox")
    assert "Project Nordlys" not in b.text
    b.visit(dispatch_a.get_absolute_url(), "other-kommun-404")
    assert t("Page not found") in b.find("h1").text
    assert "Project Nordlys" not in b.text and "Vi erbjuder" not in b.text and INVESTOR not in b.text


# --- 3. Staff forward, record outcome and feedback; the kommun sees its fate ---------------------------


def test_staff_forwards_and_records_the_outcome_and_the_kommun_sees_it(
    browser_for, language, sent_inquiry, staff, user_a, kommun_a, contacts, sites
):
    inquiry, dispatch_a = sent_inquiry["inquiry"], sent_inquiry["a"]
    inquiry_services.answer_save(
        dispatch=dispatch_a,
        user=user_a,
        decision=Answer.Decision.INTERESTED,
        offer="Vi erbjuder 30 ha planlagd mark.",
        proposed_sites=[sites["a"]],
        contact=contacts["a_nlc"],
    )
    b = browser_for(language)
    t = b.t
    b.login_as(staff)
    b.visit(inquiry.get_absolute_url(), "inquiry-with-answers")

    card = lambda: b.find(f"#dispatch-{dispatch_a.pk}")  # noqa: E731 (the page reloads after each action)
    b.submit(b.button(t("Forward to investor"), within=card()), "forwarded")
    assert t("Forwarded") in card().text
    b.click(card().find_element("css selector", "details summary"))  # feedback: one click away
    b.fill(f"#feedback-{dispatch_a.pk}", "Ert erbjudande var bland de tre bästa.")
    b.submit(b.button(t("Save feedback"), within=card()), "feedback-saved")
    dispatch_a.refresh_from_db()
    assert dispatch_a.forwarded_at and dispatch_a.feedback == "Ert erbjudande var bland de tre bästa."

    b.submit(b.link(t("Record outcome")), "outcome-form")
    b.select("#id_decision", value=Outcome.Decision.ESTABLISHED)
    b.select("#id_kommun", value=str(kommun_a.pk))
    b.fill("#id_jobs", "120")
    b.fill("#id_investment_msek", "350,5" if language == "sv" else "350.5")
    b.set_value("#id_decided_on", timezone.localdate().isoformat())
    b.submit(b.button(t("Save outcome")), "outcome-recorded")
    outcome = Outcome.objects.get(inquiry=inquiry)
    assert outcome.kommun == kommun_a and outcome.jobs == 120 and outcome.investment_msek == Decimal("350.5")
    assert t("Outcome recorded. The kommuner that got the inquiry are told.") in b.main_text

    # The näringslivschef of Flen sees what became of the answer.
    b.login_as(user_a)
    b.visit(dispatch_a.get_absolute_url(), "kommun-sees-fate")
    fate = b.find("#fate-heading").find_element("xpath", "..").text
    assert t("Forwarded to the investor") in fate and t("yes") in fate
    assert t("Established in a member kommun") in fate
    assert kommun_a.name in fate and "Ert erbjudande var bland de tre bästa." in fate
    b.visit("/forfragningar/", "kommun-inbox-after")
    assert "Project Nordlys" in b.main_text


# --- 4. Staff import an NKI file; the kommun page shows the values ---------------------------------


def test_staff_imports_nki_and_the_kommun_page_shows_it(browser_for, language, staff, kommun_a):
    rows = [
        ["Kommun", "År", "Myndighetsområde", "Antal svar", "NKI", "Konfidensintervall"],
        ["Flen", 2023, "Bygglov", 25, 68.4, "65,1–71,7"],
        ["Flen", 2024, "Bygglov", 31, 74.6, "71,0–78,2"],
    ]
    b = browser_for(language)
    t = b.t
    b.login_as(staff)
    b.visit("/oversikt/", "overview")
    b.submit(b.link(t("NKI")), "nki-overview")
    b.submit(b.find("main nav").find_element("link text", t("Import")), "nki-import")
    b.find("input[type=file][name=file]").send_keys(str(upload_file("insikt-flen.xlsx", xlsx_bytes(rows))))
    b.submit(b.button(t("Preview"), within=b.find("#upload-heading").find_element("xpath", "..")), "nki-preview")

    preview = b.find("#preview-heading").find_element("xpath", "..").text
    decimal = "," if language == "sv" else "."
    assert "insikt-flen.xlsx" in preview and f"68{decimal}4" in preview and f"{kommun_a.name} (0482)" in preview
    assert not NkiResult.objects.exists()  # a preview stores nothing
    b.submit(b.button(t("Import these values")), "nki-imported")
    assert NkiResult.objects.filter(kommun=kommun_a).count() == 2
    assert NkiImport.objects.get().imported_by == staff
    assert "insikt-flen.xlsx" in b.find("#imports-heading").find_element("xpath", "..").text

    b.visit(f"/nki/kommun/{kommun_a.code}/", "nki-kommun")
    table = b.find("table.nki-table").text
    assert f"68{decimal}4" in table and f"74{decimal}6" in table and "2023" in table and "2024" in table
    assert f"+6{decimal}2" in table  # the change from 2023 to 2024


# --- 5. A kommun fills in a maturity self-assessment --------------------------------------------------


def test_kommun_fills_in_a_maturity_self_assessment(browser_for, language, user_a, kommun_a, contacts):
    # The AKTIV investment criterion "a named contact person" is checked against the portal's
    # contacts (Flen's näringslivschef is one): the data agrees with the kommun's "yes".
    b = browser_for(language)
    t = b.t
    b.login_as(user_a)
    b.visit("/min-kommun/", "my-kommun")
    b.submit(b.link(t("Maturity")), "maturity")
    assert b.path == f"/oversikt/mognad/{kommun_a.code}/"
    track = b.find(f"#track-{Track.INVESTMENT}").find_element("xpath", "../..")
    b.submit(track.find_element("partial link text", t("Fill in a self-assessment")), "assessment-form")

    # Yes to every NEUTRAL and AKTIV criterion, no to the PROAKTIV ones: the level is AKTIV.
    for group in b.find_all("main form > fieldset"):
        level = group.find_element("css selector", "legend").text.strip()
        value = "no" if level == Level.PROAKTIV.upper() else "yes"
        for radio in group.find_elements("css selector", f"input[type=radio][value={value}]"):
            b.click(radio)
    b.fill("#id_comment", "Vår första bedömning.")
    b.submit(b.button(t("Save the self-assessment")), "assessment-saved")

    assessment = MaturityAssessment.objects.get(kommun=kommun_a, track=Track.INVESTMENT)
    assert assessment.submitted_by == user_a and assessment.level == Level.AKTIV
    assert b.path == f"/oversikt/mognad/{kommun_a.code}/"
    assert "AKTIV" in b.find(".messages").text
    section = b.find(f"#track-{Track.INVESTMENT}").find_element("xpath", "../..").text
    assert "AKTIV" in section and t("Update the self-assessment") in section


# --- 6. A kommun re-confirms a stale site on its (cached) kommun page ------------------------------


def test_kommun_reconfirms_a_stale_site_from_the_cached_page(browser_for, language, user_a, kommun_a):
    # The sites table is a cached part of the page; its "Still true" buttons submit a form outside
    # it that carries this reader's CSRF token (a real browser, real CSRF checks).
    long_ago = timezone.localdate() - datetime.timedelta(days=500)
    site = SiteFactory(kommun=kommun_a, name="Flen Östra", last_confirmed=long_ago)
    b = browser_for(language)
    t = b.t
    b.login_as(user_a)
    b.visit(f"/kommuner/{kommun_a.code}/", "kommun-page")
    b.visit(f"/kommuner/{kommun_a.code}/", "kommun-page-cached")  # served from the cache now
    row = b.find("#sites-heading").find_element("xpath", "../..").find_element("xpath", ".//tr[th='Flen Östra']")
    assert t("Stale") in row.text
    b.submit(b.button(t("Still true"), within=row), "site-confirmed")
    site.refresh_from_db()
    assert site.last_confirmed == timezone.localdate()
    row = b.find("#sites-heading").find_element("xpath", "../..").find_element("xpath", ".//tr[th='Flen Östra']")
    assert t("Stale") not in row.text
