"""Inquiries access beyond the crawler (tests/test_access_crawler.py, every URL as every persona): with
A and B both sent the inquiry, the investor's name appears in no kommun response until staff release
it to that kommun; refused writes; exports' rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inquiries import services
from inquiries.models import Answer, Attachment, Dispatch, Inquiry

from ..conftest import client_for
from ..factories import InquiryFactory
from .conftest import INVESTOR
from .helpers import PDF

pytestmark = pytest.mark.django_db

KOMMUN_USERS = ("user_a", "user_b", "user_outside")


@pytest.fixture
def answered(sent, user_a, contacts):
    """A has answered with an attachment; B has not answered."""
    answer = services.answer_save(
        dispatch=sent["a"],
        user=user_a,
        decision="interested",
        offer="Offer from A",
        contact=contacts["a_nlc"],
        files=[SimpleUploadedFile("a.pdf", PDF)],
    )
    return {**sent, "answer": answer, "attachment": answer.attachments.get()}


def kommun_urls(data):
    inquiry, a, attachment = data["inquiry"], data["a"], data["attachment"]
    return {
        # name: (url, the kommun users who get 200; the others get 404)
        "index": (reverse("inquiries:index"), KOMMUN_USERS),
        "insight": (reverse("inquiries:insight"), KOMMUN_USERS),
        "create": (reverse("inquiries:create"), set()),
        "detail": (inquiry.get_absolute_url(), set()),
        "edit": (reverse("inquiries:edit", args=[inquiry.pk]), set()),
        "outcome": (reverse("inquiries:outcome", args=[inquiry.pk]), set()),
        "dispatch_a": (a.get_absolute_url(), {"user_a"}),
        "attachment_a": (attachment.get_absolute_url(), {"user_a"}),
        "export_inquiries_csv": (reverse("inquiries:export", args=["inquiries", "csv"]), set()),
        "export_inquiries_xlsx": (reverse("inquiries:export", args=["inquiries", "xlsx"]), set()),
        "export_answers_csv": (reverse("inquiries:export", args=["answers", "csv"]), KOMMUN_USERS),
        "export_answers_xlsx": (reverse("inquiries:export", args=["answers", "xlsx"]), KOMMUN_USERS),
    }


def test_kommun_users_when_a_and_b_both_received_the_inquiry(personas, answered):
    """Every persona on every inquiries URL is in tests/test_access_crawler.py, whose world sends the
    inquiry to A only. Here B received it too: B still gets 404 on A's dispatch and attachment, and
    no kommun response names the investor (not released) or, but to A, shows A's offer."""
    for name, (url, allowed) in kommun_urls(answered).items():
        for persona in KOMMUN_USERS:
            response = client_for(personas[persona]).get(url)
            expected = 200 if persona in allowed else 404
            assert response.status_code == expected, (name, persona, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            # Confidential until released; and never another kommun's answer.
            assert INVESTOR.encode() not in body, (name, persona)
            if persona != "user_a":
                assert b"Offer from A" not in body, (name, persona)


def test_post_actions_refused_for_everyone_but_staff(personas, answered):
    a = answered["a"]
    inquiry = answered["inquiry"]
    posts = [
        (reverse("inquiries:dispatch_action", args=[a.pk, "release"]), {}),
        (reverse("inquiries:dispatch_action", args=[a.pk, "forward"]), {}),
        (reverse("inquiries:dispatch_action", args=[a.pk, "shortlist"]), {}),
        (reverse("inquiries:dispatch_action", args=[a.pk, "feedback"]), {"feedback": "hijack"}),
        (reverse("inquiries:dispatch_action", args=[a.pk, "reopen"]), {"until": "2099-01-01"}),
        (reverse("inquiries:status", args=[inquiry.pk]), {"status": "closed"}),
        (reverse("inquiries:outcome", args=[inquiry.pk]), {"decision": "withdrawn", "decided_on": "2026-01-01"}),
        (inquiry.get_absolute_url(), {"kommuner": [a.kommun_id], "confirm": "on"}),
    ]
    for persona in ("user_a", "user_b", "user_outside"):
        client = client_for(personas[persona])
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (persona, url)
    a.refresh_from_db()
    inquiry.refresh_from_db()
    assert not a.investor_released and not a.forwarded_at and not a.shortlisted and not a.feedback
    assert a.reopened_until is None
    assert inquiry.status == Inquiry.Status.SENT and not hasattr(inquiry, "outcome")


def test_b_cannot_answer_or_touch_as_dispatch_or_attachment(user_b, answered):
    client = client_for(user_b)
    a = answered["a"]
    response = client.post(a.get_absolute_url(), {"decision": "declined", "decline_reason": "other"})
    assert response.status_code == 404
    assert Answer.objects.get(dispatch=a).decision == "interested"
    response = client.post(reverse("inquiries:attachment_delete", args=[answered["attachment"].pk]))
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=answered["attachment"].pk).exists()


def test_inquiry_never_sent_to_b_is_404_for_b(staff, user_b, kommun_a, contacts, sites):
    only_a = InquiryFactory(investor_name="Secret Investor Two")
    [dispatch] = services.inquiry_dispatch(inquiry=only_a, kommun_ids=[kommun_a.pk], user=staff)
    client = client_for(user_b)
    assert client.get(dispatch.get_absolute_url()).status_code == 404
    assert client.get(only_a.get_absolute_url()).status_code == 404
    inbox = client.get(reverse("inquiries:index")).content.decode()
    assert only_a.reference not in inbox
    export = client.get(reverse("inquiries:export", args=["answers", "csv"])).content.decode()
    assert only_a.reference not in export


def test_kommun_export_contains_only_own_rows_and_investor_after_release(staff, user_a, user_b, answered):
    csv_a = client_for(user_a).get(reverse("inquiries:export", args=["answers", "csv"])).content.decode("utf-8-sig")
    assert "Flen" in csv_a and "Värmdö" not in csv_a
    assert INVESTOR not in csv_a
    client_for(staff).post(reverse("inquiries:dispatch_action", args=[answered["a"].pk, "release"]))
    csv_a = client_for(user_a).get(reverse("inquiries:export", args=["answers", "csv"])).content.decode("utf-8-sig")
    assert INVESTOR in csv_a
    csv_b = client_for(user_b).get(reverse("inquiries:export", args=["answers", "csv"])).content.decode("utf-8-sig")
    assert INVESTOR not in csv_b and "Offer from A" not in csv_b and "Värmdö" in csv_b


def test_staff_exports_everything_in_both_formats(staff, answered):
    import io

    from openpyxl import load_workbook

    client = client_for(staff)
    response = client.get(reverse("inquiries:export", args=["inquiries", "csv"]))
    assert response["Content-Disposition"].startswith('attachment; filename="forfragningar-')
    text = response.content.decode("utf-8-sig")
    assert INVESTOR in text and answered["inquiry"].reference in text
    response = client.get(reverse("inquiries:export", args=["answers", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    kommuner = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kommuner == {"Flen", "Värmdö"}
    assert client.get(reverse("inquiries:export", args=["answers", "pdf"])).status_code == 404
    assert client.get(reverse("inquiries:export", args=["secrets", "csv"])).status_code == 404


def test_csv_cells_that_look_like_formulas_are_neutralised(staff, sent):
    Inquiry.objects.filter(pk=sent["inquiry"].pk).update(code_name='=HYPERLINK("http://evil")')
    text = client_for(staff).get(reverse("inquiries:export", args=["inquiries", "csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_attachment_is_served_as_download(user_a, answered):
    response = client_for(user_a).get(answered["attachment"].get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_deadline_passed_dispatch_still_visible_read_only(user_a, answered):
    Dispatch.objects.filter(pk=answered["a"].pk).update(deadline=datetime.date(2000, 1, 1))
    response = client_for(user_a).get(answered["a"].get_absolute_url())
    assert response.status_code == 200 and response.context["form"] is None
