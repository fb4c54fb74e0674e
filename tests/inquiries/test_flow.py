"""The whole flow through the real views: create, match, dispatch, answer, outcome, feedback."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Answer, Attachment, Dispatch, Inquiry, Outcome
from members.models import KommunProfile
from outbox.models import Message

from ..conftest import client_for
from .conftest import INVESTOR
from .helpers import PDF

pytestmark = pytest.mark.django_db


def test_staff_creates_an_inquiry_with_a_reference(staff):
    data = {
        "code_name": "Project Fjord",
        "investor_name": "Fjord Foods AS",
        "source": "direct",
        "description": "Food plant",
        "req_area_ha": "15",
        "answer_deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "responsible": staff.pk,
    }
    response = client_for(staff).post(reverse("inquiries:create"), data)
    inquiry = Inquiry.objects.get(code_name="Project Fjord")
    assert response.status_code == 302 and response["Location"] == inquiry.get_absolute_url()
    year = timezone.localdate().year
    assert inquiry.reference == f"SBA-{year}-0001"
    assert inquiry.status == Inquiry.Status.DRAFT
    client_for(staff).post(reverse("inquiries:create"), {**data, "code_name": "Project Two"})
    assert Inquiry.objects.get(code_name="Project Two").reference == f"SBA-{year}-0002"
    assert inquiry.history.count() == 1


def test_create_refuses_a_deadline_in_the_past(staff):
    data = {
        "code_name": "Late",
        "investor_name": "X",
        "source": "direct",
        "description": "x",
        "answer_deadline": "2000-01-01",
    }
    response = client_for(staff).post(reverse("inquiries:create"), data)
    assert response.status_code == 200
    assert "Svarsfristen kan inte ligga bakåt i tiden." in response.content.decode()
    assert not Inquiry.objects.exists()


def test_match_table_shows_reasons_and_default_selection_by_appetite(staff, inquiry, kommun_a, kommun_b, sites):
    # A: 30 ha site (match), wants only matching; B: 12 ha site (needs 20 → no match), wants all.
    KommunProfile.objects.create(kommun=kommun_a, appetite="matching")
    KommunProfile.objects.create(kommun=kommun_b, appetite="all")
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(inquiry.get_absolute_url())
    assert response.status_code == 200
    rows = {row["rating"].kommun_id: row for row in response.context["rows"]}
    assert rows[kommun_a.pk]["rating"].match_class == "match" and rows[kommun_a.pk]["checked"]
    assert rows[kommun_b.pk]["rating"].match_class == "no_match" and rows[kommun_b.pk]["checked"]
    html = response.content.decode()
    assert "Needs 20 ha — largest site 12 ha" in html
    # A member without profile data (a near-miss on unknown data alone) is not ticked: it is shown
    # as an unknown profile (tests/inquiries/test_inquiry_page.py has the rest).
    others = [r for r in response.context["rows"] if r["rating"].kommun_id not in (kommun_a.pk, kommun_b.pk)]
    assert others and all(r["row_class"] == "unknown_profile" and not r["checked"] for r in others)


def test_dispatch_needs_confirmation(staff, inquiry, kommun_a, contacts):
    response = client_for(staff).post(inquiry.get_absolute_url(), {"kommuner": [kommun_a.pk]})
    assert response.status_code == 200
    assert "Kryssa i rutan för att bekräfta utskicket." in response.content.decode()
    assert not Dispatch.objects.exists()
    assert not Message.objects.exists()


def test_dispatch_creates_dispatches_and_notifications(staff, inquiry, kommun_a, kommun_b, contacts, sites):
    response = client_for(staff).post(
        inquiry.get_absolute_url(), {"kommuner": [kommun_a.pk, kommun_b.pk], "confirm": "on"}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SENT and inquiry.sent_at
    dispatches = {d.kommun_id: d for d in Dispatch.objects.filter(inquiry=inquiry)}
    assert set(dispatches) == {kommun_a.pk, kommun_b.pk}
    assert dispatches[kommun_a.pk].deadline == inquiry.answer_deadline
    assert dispatches[kommun_a.pk].match_class == "match"
    assert dispatches[kommun_b.pk].match_class == "no_match"
    assert dispatches[kommun_a.pk].history.count() == 1
    # Näringslivschef and investment contact of each kommun; not the KSO.
    sent_to = set(Message.objects.filter(kind="inquiry_dispatched").values_list("to", flat=True))
    assert sent_to == {"nlc@flen.example", "invest@flen.example", "nlc@varmdo.example"}
    assert not Message.objects.filter(body_text__contains=INVESTOR).exists()
    # Sending again to the same kommun adds nothing.
    client_for(staff).post(inquiry.get_absolute_url(), {"kommuner": [kommun_a.pk], "confirm": "on"})
    assert Dispatch.objects.filter(inquiry=inquiry).count() == 2
    assert Message.objects.filter(kind="inquiry_dispatched").count() == 3


def test_non_member_cannot_receive(staff, inquiry, kommun_outside):
    client_for(staff).post(inquiry.get_absolute_url(), {"kommuner": [kommun_outside.pk], "confirm": "on"})
    assert not Dispatch.objects.exists()


def test_kommun_answers_before_deadline_and_staff_is_told(user_a, staff, sent, contacts, sites):
    dispatch = sent["a"]
    client = client_for(user_a)
    response = client.get(dispatch.get_absolute_url())
    assert response.status_code == 200
    dispatch.refresh_from_db()
    first_view = dispatch.first_viewed_at
    assert first_view is not None
    client.get(dispatch.get_absolute_url())
    dispatch.refresh_from_db()
    assert dispatch.first_viewed_at == first_view  # first view is kept
    response = client.post(
        dispatch.get_absolute_url(),
        {
            "decision": "interested",
            "offer": "Vi erbjuder 30 ha planlagd mark.",
            "proposed_sites": [sites["a"].pk],
            "contact": contacts["a_inv"].pk,
            "files": SimpleUploadedFile("erbjudande.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get(dispatch=dispatch)
    assert answer.decision == "interested" and answer.answered_at and answer.answered_by == user_a
    assert list(answer.proposed_sites.all()) == [sites["a"]]
    attachment = Attachment.objects.get(answer=answer)
    assert attachment.content_type == "application/pdf" and attachment.original_name == "erbjudande.pdf"
    assert "erbjudande" not in attachment.file.name  # random name on disk
    assert Message.objects.filter(kind="inquiry_answer", to=staff.email).count() == 1
    # Change it before the deadline: allowed, history kept.
    response = client.post(
        dispatch.get_absolute_url(),
        {"decision": "declined", "decline_reason": "capacity", "decline_text": "Inte nu."},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.decision == "declined" and answer.decline_reason == "capacity"
    assert answer.history.count() >= 2


def test_declined_needs_a_reason(user_a, sent):
    dispatch = sent["a"]
    response = client_for(user_a).post(dispatch.get_absolute_url(), {"decision": "declined"})
    assert response.status_code == 200
    assert "Välj ett skäl till att ni tackar nej." in response.content.decode()
    assert not Answer.objects.exists()


def test_interested_needs_offer_and_contact(user_a, sent):
    response = client_for(user_a).post(sent["a"].get_absolute_url(), {"decision": "interested"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beskriv ert erbjudande." in html and "Välj kontaktperson för investeraren." in html
    assert not Answer.objects.exists()


def test_cannot_answer_after_deadline_until_reopened(user_a, staff, sent):
    dispatch = sent["a"]
    Dispatch.objects.filter(pk=dispatch.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for(user_a)
    response = client.post(
        dispatch.get_absolute_url(), {"decision": "declined", "decline_reason": "no_land"}, follow=True
    )
    assert "Svarsfristen har gått ut; svaret kan inte längre ändras." in response.content.decode()
    assert not Answer.objects.exists()
    assert "form" not in response.context or response.context["form"] is None
    # Staff reopen it: the kommun can answer again, and is told by e-mail.
    until = timezone.localdate() + datetime.timedelta(days=3)
    client_for(staff).post(
        reverse("inquiries:dispatch_action", args=[dispatch.pk, "reopen"]), {"until": until.isoformat()}
    )
    dispatch.refresh_from_db()
    assert dispatch.reopened_until == until
    assert Message.objects.filter(kind="inquiry_reopened").exists()
    response = client.post(dispatch.get_absolute_url(), {"decision": "declined", "decline_reason": "no_land"})
    assert response.status_code == 302
    assert Answer.objects.get(dispatch=dispatch).get_decline_reason_display() == "Ingen lämplig mark"


def test_reopen_refuses_a_past_day(staff, sent):
    dispatch = sent["a"]
    response = client_for(staff).post(
        reverse("inquiries:dispatch_action", args=[dispatch.pk, "reopen"]), {"until": "2000-01-01"}, follow=True
    )
    assert "Välj i dag eller en senare dag." in response.content.decode()
    dispatch.refresh_from_db()
    assert dispatch.reopened_until is None


def _answer(user, dispatch, contact):
    client_for(user).post(
        dispatch.get_absolute_url(), {"decision": "interested", "offer": "Erbjudande", "contact": contact.pk}
    )


def test_outcome_feedback_and_the_kommun_sees_its_fate(staff, user_a, user_b, sent, contacts, kommun_a):
    a, b = sent["a"], sent["b"]
    _answer(user_a, a, contacts["a_nlc"])
    client_for(user_b).post(b.get_absolute_url(), {"decision": "declined", "decline_reason": "no_land"})
    staff_client = client_for(staff)
    action = lambda d, name, **data: staff_client.post(  # noqa: E731
        reverse("inquiries:dispatch_action", args=[d.pk, name]), data
    )
    action(a, "forward")
    action(a, "shortlist")
    action(a, "feedback", feedback="Ert erbjudande var bland de tre bästa.")
    action(b, "feedback", feedback="Tack, ny mark behövs.")
    # Forwarding an unanswered offer is refused.
    a.refresh_from_db()
    assert a.forwarded_at and a.shortlisted and a.feedback_at
    inquiry = sent["inquiry"]
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.WITH_INVESTOR
    response = staff_client.post(
        reverse("inquiries:outcome", args=[inquiry.pk]),
        {
            "decision": "established",
            "kommun": kommun_a.pk,
            "jobs": 120,
            "investment_msek": "350",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.DECIDED
    assert Outcome.objects.get(inquiry=inquiry).jobs == 120
    assert Message.objects.filter(kind="inquiry_outcome").count() == 3  # every contact of A and B
    assert Message.objects.filter(kind="inquiry_feedback", to="nlc@varmdo.example").exists()
    html_a = client_for(user_a).get(a.get_absolute_url()).content.decode()
    assert "Ert erbjudande var bland de tre bästa." in html_a
    assert "Etablerad i en medlemskommun" in html_a and "Flen" in html_a
    assert "Vidarebefordrad till investeraren" in html_a
    html_b = client_for(user_b).get(b.get_absolute_url()).content.decode()
    assert "Tack, ny mark behövs." in html_b
    assert "Ert erbjudande var bland de tre bästa." not in html_b  # never another kommun's feedback


def test_outcome_established_needs_a_kommun(staff, sent):
    inquiry = sent["inquiry"]
    response = client_for(staff).post(
        reverse("inquiries:outcome", args=[inquiry.pk]), {"decision": "established", "decided_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Välj kommunen där investeraren etablerade sig." in response.content.decode()
    assert not Outcome.objects.exists()


def test_forward_needs_an_answer(staff, sent):
    response = client_for(staff).post(reverse("inquiries:dispatch_action", args=[sent["a"].pk, "forward"]), follow=True)
    assert "Bara ett besvarat erbjudande kan vidarebefordras." in response.content.decode()
    sent["a"].refresh_from_db()
    assert sent["a"].forwarded_at is None


def test_investor_released_only_to_that_kommun(staff, user_a, user_b, sent):
    a, b = sent["a"], sent["b"]
    assert INVESTOR not in client_for(user_a).get(a.get_absolute_url()).content.decode()
    client_for(staff).post(reverse("inquiries:dispatch_action", args=[a.pk, "release"]))
    assert INVESTOR in client_for(user_a).get(a.get_absolute_url()).content.decode()
    assert INVESTOR not in client_for(user_b).get(b.get_absolute_url()).content.decode()
    client_for(staff).post(reverse("inquiries:dispatch_action", args=[a.pk, "unrelease"]))
    assert INVESTOR not in client_for(user_a).get(a.get_absolute_url()).content.decode()


def test_inbox_groups_and_days_left(user_a, sent, contacts):
    # Read from the HTML, not the context: the inbox is a cached part, and each step below is a
    # write that must retire it (dispatch viewed, answer given, inquiry closed).
    client = client_for(user_a)
    reference = sent["inquiry"].reference

    def section(heading: str) -> str:
        html = client.get(reverse("inquiries:index")).content.decode()
        return re.search(rf'id="{heading}-heading".*?</section>', html, re.S).group(0)

    assert reference in section("new") and "14 dagar kvar" in section("new")
    client.get(sent["a"].get_absolute_url())
    assert reference in section("awaiting") and reference not in section("new")
    _answer(user_a, sent["a"], contacts["a_nlc"])
    assert reference in section("answered") and reference not in section("awaiting")
    inquiry = sent["inquiry"]
    inquiry.status = Inquiry.Status.CLOSED
    inquiry.save()
    assert reference in section("closed") and reference not in section("answered")


def test_inbox_in_english(user_a, sent):
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("inquiries:index")).content.decode()
    assert "Awaiting your answer" in html and "14 days left" in html


def test_panel_on_kommun_page_shows_open_dispatches_first(user_a, sent):
    html = client_for(user_a).get(reverse("members:my_kommun")).content.decode()
    assert "Förfrågningar som väntar på svar" in html
    assert sent["inquiry"].reference in html
    assert html.index("Förfrågningar som väntar på svar") < html.index("Kontakter")
    assert INVESTOR not in html


def test_status_cannot_go_back_to_draft(staff, sent):
    inquiry = sent["inquiry"]
    response = client_for(staff).post(reverse("inquiries:status", args=[inquiry.pk]), {"status": "draft"}, follow=True)
    assert "En skickad förfrågan kan inte bli utkast igen." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SENT


def test_moving_the_deadline_moves_the_dispatches(staff, sent):
    inquiry = sent["inquiry"]
    new = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "code_name": inquiry.code_name,
        "investor_name": inquiry.investor_name,
        "source": inquiry.source,
        "description": inquiry.description,
        "req_area_ha": "20",
        "answer_deadline": new.isoformat(),
        "responsible": staff.pk,
    }
    response = client_for(staff).post(reverse("inquiries:edit", args=[inquiry.pk]), data)
    assert response.status_code == 302
    assert set(Dispatch.objects.filter(inquiry=inquiry).values_list("deadline", flat=True)) == {new}
