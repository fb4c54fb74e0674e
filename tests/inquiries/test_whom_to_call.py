"""Whom to call: the kommun's inquiry page and its e-mails name the responsible staff member
(name, e-mail, phone), or Invest Stockholm's general address when nobody is responsible."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inquiries import services
from members.models import User
from outbox.models import Message

from ..conftest import client_for
from ..factories import InquiryFactory, UserFactory

pytestmark = pytest.mark.django_db

GENERAL = "forfragningar@investstockholm.example"


@pytest.fixture(autouse=True)
def _general_address(settings):
    settings.INVEST_STOCKHOLM_CONTACT_EMAIL = GENERAL


@pytest.fixture
def anna(db):
    return UserFactory(
        email="anna.berg@investstockholm.example", first_name="Anna", last_name="Berg", phone="08-508 280 00"
    )


def _send(inquiry, staff, kommun):
    [dispatch] = services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun.pk], user=staff)
    return dispatch


def test_the_page_and_the_mail_name_the_responsible(anna, staff, user_a, user_b, user_outside, kommun_a, contacts):
    dispatch = _send(InquiryFactory(responsible=anna), staff, kommun_a)
    html = client_for(user_a).get(dispatch.get_absolute_url()).content.decode()
    assert "Er kontakt på Invest Stockholm" in html
    assert "<strong>Anna Berg</strong>, ansvarig för förfrågan" in html
    assert '<a href="mailto:anna.berg@investstockholm.example">anna.berg@investstockholm.example</a>' in html
    assert '<a href="tel:0850828000">08-508 280 00</a>' in html
    assert GENERAL not in html
    mail = Message.objects.get(kind="inquiry_dispatched", to="nlc@flen.example")
    assert "Er kontakt på Invest Stockholm för förfrågan: Anna Berg" in mail.body_text
    assert "E-post: anna.berg@investstockholm.example" in mail.body_text
    assert "Telefon: 08-508 280 00" in mail.body_text
    assert 'href="mailto:anna.berg@investstockholm.example"' in mail.body_html
    # Another kommun, and a kommun outside SBA, still get 404 on Flen's dispatch.
    assert client_for(user_b).get(dispatch.get_absolute_url()).status_code == 404
    assert client_for(user_outside).get(dispatch.get_absolute_url()).status_code == 404


def test_every_mail_to_the_kommun_names_the_responsible(anna, staff, kommun_a, contacts):
    inquiry = InquiryFactory(responsible=anna)
    dispatch = _send(inquiry, staff, kommun_a)
    client = client_for(staff)
    client.post(reverse("inquiries:dispatch_action", args=[dispatch.pk, "feedback"]), {"feedback": "Tack!"})
    client.post(
        reverse("inquiries:outcome", args=[inquiry.pk]),
        {"decision": "withdrawn", "decided_on": dispatch.sent_at.date().isoformat()},
    )
    kinds = {"inquiry_dispatched", "inquiry_feedback", "inquiry_outcome"}
    mails = list(Message.objects.filter(kind__in=kinds, to="nlc@flen.example"))
    assert {m.kind for m in mails} == kinds
    assert all("Anna Berg" in m.body_text and "08-508 280 00" in m.body_text for m in mails)


@pytest.mark.parametrize("who", ["nobody", "left"])
def test_without_a_responsible_the_general_address(anna, staff, user_a, kommun_a, contacts, who):
    if who == "left":  # the responsible no longer works at Invest Stockholm
        User.objects.filter(pk=anna.pk).update(is_active=False)
    inquiry = InquiryFactory(responsible=None if who == "nobody" else anna)
    dispatch = _send(inquiry, staff, kommun_a)
    html = client_for(user_a).get(dispatch.get_absolute_url()).content.decode()
    assert f'<a href="mailto:{GENERAL}">{GENERAL}</a>' in html
    assert "Anna Berg" not in html
    mail = Message.objects.get(kind="inquiry_dispatched", to="nlc@flen.example")
    assert f"Frågor om förfrågan: Invest Stockholm, {GENERAL}" in mail.body_text
    assert "Anna Berg" not in mail.body_text


def test_the_page_in_english(anna, staff, user_a, kommun_a):
    dispatch = _send(InquiryFactory(responsible=anna), staff, kommun_a)
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(dispatch.get_absolute_url()).content.decode()
    assert "Your contact at Invest Stockholm" in html and "responsible for this inquiry" in html


def test_staff_set_their_own_phone_on_their_account_page(staff):
    client = client_for(staff)
    data = {"first_name": "Anna", "last_name": "Berg", "title": "", "language": "sv"}
    response = client.post(reverse("members:account"), {**data, "phone": "070-123 45 67"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.phone == "070-123 45 67"
    # Too long for a phone number: refused with Django's message, nothing stored.
    response = client.post(reverse("members:account"), {**data, "phone": "0" * 41})
    assert response.status_code == 200
    assert "Säkerställ att detta värde har som mest 40 tecken (den har 41)." in response.content.decode()
    staff.refresh_from_db()
    assert staff.phone == "070-123 45 67"


def test_admin_edits_a_users_phone(admin_user, anna):
    response = client_for(admin_user).get(reverse("admin:members_user_change", args=[anna.pk]))
    assert response.status_code == 200
    assert 'name="phone"' in response.content.decode() and 'value="08-508 280 00"' in response.content.decode()


def test_the_dispatch_page_adds_no_query_for_the_contact(anna, staff, user_a, kommun_a):
    """The responsible comes with the dispatch (select_related): the same queries with or without one."""
    with_person = _send(InquiryFactory(responsible=anna), staff, kommun_a)
    nobody = _send(InquiryFactory(responsible=None), staff, kommun_a)
    client = client_for(user_a)
    client.get(with_person.get_absolute_url())
    client.get(nobody.get_absolute_url())
    counts = []
    for dispatch in (with_person, nobody):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dispatch.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
