"""Kommun list and page: filters, editing contacts and memberships, history, query budgets."""

import datetime

import pytest
from django.urls import reverse

from members import cache
from members.cache import Topic
from members.models import Contact, Kommun, Membership, Population

from .conftest import client_for
from .factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_list_filters_by_search_lan_and_membership(staff):
    client = client_for(staff)
    page = client.get(reverse("members:kommun_list"), {"q": "flen"})
    assert [k.code for k in page.context["page"].object_list] == ["0482"]
    page = client.get(reverse("members:kommun_list"), {"q": "0120"})
    assert [k.name for k in page.context["page"].object_list] == ["Värmdö"]
    page = client.get(reverse("members:kommun_list"), {"lan": "04", "membership": "member"})
    names = {k.name for k in page.context["page"].object_list}
    assert "Flen" in names and all(k.lan.code == "04" and k.is_member for k in page.context["page"].object_list)
    page = client.get(reverse("members:kommun_list"), {"membership": "non_member", "q": "Kiruna"})
    assert [k.code for k in page.context["page"].object_list] == ["2584"]
    assert page.context["page"].paginator.count == 1


def test_list_sorts_and_survives_bad_parameters(staff):
    client = client_for(staff)
    page = client.get(reverse("members:kommun_list"), {"sort": "-code"})
    assert page.context["page"].object_list[0].code == "2584"
    for bad in ({"lan": "99"}, {"membership": "maybe"}, {"sort": "password"}, {"page": "abc"}, {"q": "'\"<x>"}):
        assert client.get(reverse("members:kommun_list"), bad).status_code == 200


def test_kommun_list_query_count_does_not_grow(staff, django_assert_max_num_queries):
    client = client_for(staff)
    # session, user, the län for the filter, count for the paginator, the page of kommuner (län
    # joined, membership and contact count annotated) = 5; whatever the number of contacts.
    client.get(reverse("members:kommun_list"))  # the first request renews the session
    with django_assert_max_num_queries(5):
        client.get(reverse("members:kommun_list"))
    for kommun in Kommun.objects.all()[:60]:
        ContactFactory.create_batch(3, kommun=kommun)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("members:kommun_list"))
    assert response.context["page"].paginator.count == 290


def test_kommun_page_query_count_does_not_grow(staff, kommun_a, django_assert_max_num_queries):
    client = client_for(staff)
    url = kommun_a.get_absolute_url()
    # session + user, kommun (län, membership), memberships, contacts, populations = 6 (+ panels).
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.retire_all()  # measured cold: every cached part built again, as after a write
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ContactFactory.create_batch(25, kommun=kommun_a)
    with cache.retiring(Topic.REGISTER):  # bulk_create sends no signals
        Population.objects.bulk_create(
            Population(kommun=kommun_a, year=y, population=16000 + y) for y in range(1990, 2025)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/folkmangd/") >= 35  # every population row, each with its edit link
    # Warm: contacts, memberships and populations come from the cache (three queries fewer).
    with django_assert_max_num_queries(len(few.captured_queries) - 3):
        client.get(url)


def test_contact_create_edit_with_history(user_a, kommun_a):
    client = client_for(user_a)
    response = client.post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {"name": "Eva Ek", "title": "KSO", "role": "kso", "email": "eva@flen.example", "is_primary": "on"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(kommun=kommun_a, name="Eva Ek")
    client.post(
        reverse("members:contact_edit", args=[kommun_a.code, contact.pk]),
        {"name": "Eva Ek", "title": "KSO", "role": "kso", "email": "eva.ek@flen.example", "is_primary": "on"},
    )
    contact.refresh_from_db()
    assert contact.email == "eva.ek@flen.example"
    records = list(contact.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert all(r.history_user_id == user_a.pk for r in records)

    staff_view = client_for(_staff()).get(reverse("members:kommun_history", args=[kommun_a.code]))
    body = staff_view.content.decode()
    assert "eva@flen.example" in body and "eva.ek@flen.example" in body
    assert "Ändrad" in body


def _staff():
    from .factories import UserFactory

    return UserFactory(email="history-reader@investstockholm.example")


def test_second_primary_contact_for_a_role_is_refused(user_a, kommun_a):
    ContactFactory(kommun=kommun_a, role="kso", is_primary=True, name="Första")
    response = client_for(user_a).post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {"name": "Andra", "role": "kso", "is_primary": "on"},
    )
    assert response.status_code == 200
    assert "Första är redan primär kontakt för den här rollen." in response.content.decode()
    assert not Contact.objects.filter(name="Andra").exists()


def test_contact_bad_input_changes_nothing(user_a, kommun_a):
    response = client_for(user_a).post(
        reverse("members:contact_create", args=[kommun_a.code]),
        {"name": "", "role": "emperor", "email": "not-an-email"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "role", "email"}
    assert not Contact.objects.filter(kommun=kommun_a).exists()


def test_staff_edits_membership_and_the_count_follows(staff, kommun_a):
    client = client_for(staff)
    members_before = Kommun.objects.members().count()
    membership = Membership.objects.get(kommun=kommun_a)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    response = client.post(
        reverse("members:membership_edit", args=[kommun_a.code, membership.pk]),
        {
            "period": membership.period_id,
            "starts_on": membership.starts_on.isoformat(),
            "ends_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Kommun.objects.members().count() == members_before - 1
    assert membership.history.first().history_user == staff


def test_membership_validation(staff, kommun_a):
    client = client_for(staff)
    url = reverse("members:membership_create", args=[kommun_a.code])
    response = client.post(url, {"starts_on": "2026-01-01", "ends_on": "2025-01-01"})
    assert "Medlemskapet kan inte sluta innan det börjar." in response.content.decode()
    response = client.post(url, {"starts_on": "2026-03-01"})  # overlaps the seeded open membership
    assert "överlappar" in response.content.decode()
    response = client.post(url, {"starts_on": "not a date"})
    assert response.status_code == 200
    assert Membership.objects.filter(kommun=kommun_a).count() == 1


def test_population_entry_and_validation(staff, kommun_a):
    client = client_for(staff)
    url = reverse("members:population_create", args=[kommun_a.code])
    assert client.post(url, {"year": 2024, "population": 16543, "source": "SCB"}).status_code == 302
    response = client.post(url, {"year": 2024, "population": 17000})
    assert "Det finns redan en folkmängd för 2024" in response.content.decode()
    response = client.post(url, {"year": 1800, "population": -5})
    assert response.status_code == 200
    assert list(Population.objects.filter(kommun=kommun_a).values_list("population", flat=True)) == [16543]


def test_a_non_member_kommun_page_says_what_membership_brings_and_whom_to_contact(
    user_outside, user_a, staff, settings
):
    settings.INVEST_STOCKHOLM_CONTACT_EMAIL = "medlemskap@investstockholm.example"
    own = client_for(user_outside).get(reverse("members:my_kommun")).content.decode()
    assert "Kiruna är inte medlem i Stockholm Business Alliance" in own
    assert 'href="mailto:medlemskap@investstockholm.example"' in own
    assert "investeringsförfrågningar" in own
    staff_view = client_for(staff).get(reverse("members:kommun_detail", args=["2584"])).content.decode()
    assert "Kiruna är inte medlem" in staff_view
    member = client_for(user_a).get(reverse("members:my_kommun")).content.decode()
    assert "inte medlem i Stockholm Business Alliance" not in member and "mailto:medlemskap@" not in member
