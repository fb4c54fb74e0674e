"""History pages read as names and labels, never as ids or stored codes ("Kommun: 39"), and cost
a fixed number of queries however long the history is."""

import datetime
import re

import pytest
from django.urls import reverse

from members.models import AgreementPeriod, Contact, Membership

from .conftest import client_for
from .factories import ContactFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") :]))


def _history_page(staff, kommun):
    return text_of(client_for(staff).get(reverse("members:kommun_history", args=[kommun.code])))


def test_foreign_keys_choices_and_booleans_read_as_names_and_labels(staff, kommun_a):
    period = AgreementPeriod.objects.order_by("-starts_on").first()
    membership = Membership.objects.create(
        kommun=kommun_a, period=period, starts_on=datetime.date(2040, 1, 1), note="history test"
    )
    contact = ContactFactory(kommun=kommun_a, name="Eva Ek", role=Contact.Role.NARINGSLIVSCHEF, holds_nki=False)
    contact.holds_nki = True
    contact.save()

    page = _history_page(staff, kommun_a)
    assert f"Kommun: {kommun_a.name}" in page  # the foreign key as the kommun's name …
    assert f"Kommun: {kommun_a.pk} " not in page  # … never its id
    assert f"Avtalsperiod: {period.name}" in page
    assert f"Avtalsperiod: {period.pk} " not in page
    assert "Roll: Näringslivschef" in page  # the choice's label, not "naringslivschef"
    assert "Ansvarig för NKI: Nej → Ja" in page
    assert membership.note in page


def test_a_deleted_related_object_reads_as_a_dash(staff, kommun_a):
    period = AgreementPeriod.objects.create(
        name="2090–2093", starts_on=datetime.date(2090, 1, 1), ends_on=datetime.date(2093, 12, 31)
    )
    Membership.objects.create(kommun=kommun_a, period=period, starts_on=datetime.date(2090, 1, 1))
    period.delete()  # the membership's period is set to NULL; its first record still names the old id
    page = _history_page(staff, kommun_a)
    assert "Avtalsperiod: —" in page and f"Avtalsperiod: {period.name}" not in page


def test_history_page_queries_do_not_grow_with_its_length(staff, kommun_a, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("members:kommun_history", args=[kommun_a.code])

    def grow(n):
        for i in range(n):
            contact = ContactFactory(kommun=kommun_a, name=f"Person {i}")
            contact.holds_bygglov = not contact.holds_bygglov
            contact.save()
            Membership.objects.create(kommun=kommun_a, starts_on=datetime.date(2050 + i, 1, 1))

    grow(1)
    # session + user, four history sources (kommun, memberships, contacts, populations) with their
    # users, related names (kommun, agreement period) and the page's own few (menus, messages)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    grow(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
