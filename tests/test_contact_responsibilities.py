"""Responsibilities are flags on a contact: one person may hold several, the role implies its own,
the migration carried today's roles over, and every "who holds X" lookup reads the flags."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from members import access
from members.models import Contact
from overview.maturity.evidence import EVIDENCE
from tests.conftest import client_for
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_one_contact_holds_several_responsibilities_through_the_form(user_a, kommun_a):
    response = client_for(user_a).post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {
            "name": "Greta Grön",
            "title": "Samhällsbyggnadschef",
            "role": "other",
            "responsibilities": ["nki", "bygglov", "miljo"],
            "email": "greta@flen.example",
        },
    )
    assert response.status_code == 302
    greta = Contact.objects.get(name="Greta Grön")
    assert (greta.holds_nki, greta.holds_bygglov, greta.holds_miljo, greta.holds_investment) == (
        True,
        True,
        True,
        False,
    )
    page = client_for(user_a).get(kommun_a.get_absolute_url()).content.decode()
    assert "Ansvarig för: NKI, Bygglov, Miljö" in page

    # Unticking one keeps the others; the edit form starts from what the contact holds.
    url = reverse("members:contact_edit", args=[kommun_a.code, greta.pk])
    form = client_for(user_a).get(url).context["form"]
    assert sorted(form.initial["responsibilities"]) == ["bygglov", "miljo", "nki"]
    client_for(user_a).post(
        url, {"name": "Greta Grön", "role": "other", "responsibilities": ["bygglov"], "email": "greta@flen.example"}
    )
    greta.refresh_from_db()
    assert greta.responsibilities == ["bygglov"]
    assert greta.history.first().holds_nki is False  # the change is in the history


def test_a_role_that_names_a_responsibility_holds_it_unticked(user_a, kommun_a):
    client_for(user_a).post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {"name": "Nils NKI", "role": "nki", "email": "nils@flen.example"},
    )
    assert Contact.objects.get(name="Nils NKI").responsibilities == ["nki"]


def test_unknown_responsibility_is_refused_and_nothing_stored(user_a, kommun_a):
    response = client_for(user_a).post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {"name": "Olle", "role": "other", "responsibilities": ["golf"]},
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Contact.objects.filter(name="Olle").exists()


def test_migration_sets_the_flag_from_the_role(kommun_a):
    # Four contacts as they stood before the flags: the role only.
    roles = ["nki", "investment", "bygglovschef", "miljochef", "kso"]
    contacts = {role: ContactFactory(kommun=kommun_a, role=role, name=role) for role in roles}
    Contact.objects.update(holds_nki=False, holds_investment=False, holds_bygglov=False, holds_miljo=False)
    migration = importlib.import_module("members.migrations.0008_contact_responsibilities")
    migration.flags_from_roles(apps, None)
    stored = Contact.objects.in_bulk([c.pk for c in contacts.values()])
    held = {role: stored[c.pk].responsibilities for role, c in contacts.items()}
    assert held == {
        "nki": ["nki"],
        "investment": ["investment"],
        "bygglovschef": ["bygglov"],
        "miljochef": ["miljo"],
        "kso": [],
    }


def test_nki_lookups_read_the_flag_not_the_role(kommun_a, user_b):
    # Karin is the näringslivschef and owns NKI; Olof had the NKI role but is deactivated.
    karin = ContactFactory(kommun=kommun_a, role="naringslivschef", holds_nki=True, name="Karin Berg")
    ContactFactory(kommun=kommun_a, role="nki", name="Olof Gammal", is_active=False)
    evidence = EVIDENCE["contact_nki"]([kommun_a.pk])[kommun_a.pk]
    assert evidence.met is True and "Karin Berg" in evidence.explanation
    assert "Olof" not in evidence.explanation
    assert [c.pk for c in access.public_nki_contacts([kommun_a.pk])] == [karin.pk]


def test_investment_responsibility_receives_the_inquiries(kommun_a):
    from inquiries.notifications import _kommun_recipients

    ContactFactory(kommun=kommun_a, role="other", holds_investment=True, email="etablering@flen.example")
    ContactFactory(kommun=kommun_a, role="kso", email="kso@flen.example")
    ContactFactory(kommun=kommun_a, role="naringslivschef", email="nlc@flen.example")
    addresses = sorted(address for address, _user in _kommun_recipients([kommun_a.pk])[kommun_a.pk])
    assert addresses == ["etablering@flen.example", "nlc@flen.example"]
