"""Two people edit the same record: the second, stale save is refused with what changed, and
nothing the first saved is lost (members/concurrency.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Answer, Inquiry
from members.models import Contact

from .conftest import client_for
from .factories import ContactFactory, InquiryFactory, SiteFactory, UserFactory
from .overview.inquiry_data import dispatch

pytestmark = pytest.mark.django_db


def _fields(form) -> dict:
    """What the browser would post back: the form as shown, hidden version included."""
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        data[field.html_name] = [str(getattr(v, "pk", v)) for v in value] if isinstance(value, list) else value
    return data


def test_a_stale_contact_edit_is_refused_and_the_first_save_kept(user_a, kommun_a):
    contact = ContactFactory(kommun=kommun_a, name="Sara Berg", phone="08-111", title="Chef")
    url = reverse("members:contact_edit", args=[kommun_a.code, contact.pk])
    colleague = client_for(UserFactory(kommun=kommun_a, role=user_a.role))
    mine, theirs = client_for(user_a), colleague
    my_form = _fields(mine.get(url).context["form"])
    their_form = _fields(theirs.get(url).context["form"])

    their_form["phone"] = "08-999"
    assert theirs.post(url, their_form).status_code == 302
    my_form["title"] = "Näringslivschef"
    response = mine.post(url, my_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Någon annan sparade" in page and "08-999" in page
    contact.refresh_from_db()
    assert (contact.phone, contact.title) == ("08-999", "Chef")  # nothing lost, nothing overwritten

    # Saving again after looking keeps my version on purpose (the form now carries the new state).
    again = _fields(response.context["form"])
    again["phone"] = "08-999"
    assert mine.post(url, again).status_code == 302
    contact.refresh_from_db()
    assert (contact.phone, contact.title) == ("08-999", "Näringslivschef")


def test_a_fresh_edit_saves_as_before(user_a, kommun_a):
    contact = ContactFactory(kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF)
    url = reverse("members:contact_edit", args=[kommun_a.code, contact.pk])
    client = client_for(user_a)
    form = _fields(client.get(url).context["form"])
    form["name"] = "Nytt Namn"
    assert client.post(url, form).status_code == 302
    assert Contact.objects.get(pk=contact.pk).name == "Nytt Namn"


def test_a_stale_answer_form_does_not_erase_the_offer(user_a, kommun_a):
    today = timezone.localdate()
    inquiry = InquiryFactory(status=Inquiry.Status.SENT, answer_deadline=today + datetime.timedelta(days=9))
    made = dispatch(kommun_a, sent=today, inquiry=inquiry, deadline=today + datetime.timedelta(days=9))
    contact = ContactFactory(kommun=kommun_a)
    SiteFactory(kommun=kommun_a)
    url = made.get_absolute_url()
    first, second = client_for(user_a), client_for(UserFactory(kommun=kommun_a, role=user_a.role))
    stale = _fields(second.get(url).context["form"])  # opened before any answer
    fresh = _fields(first.get(url).context["form"])
    fresh.update(decision="interested", offer="Vi har 30 ha mark vid E20.", contact=str(contact.pk))
    assert first.post(url, fresh).status_code == 302
    second.get(url)  # (reading changes nothing)
    stale.update(decision="declined", decline_reason=Answer.DeclineReason.NO_LAND)
    response = second.post(url, stale)
    assert response.status_code == 200 and "Någon annan sparade" in response.content.decode()
    answer = Answer.objects.get(dispatch=made)
    assert answer.decision == "interested" and answer.offer == "Vi har 30 ha mark vid E20."
