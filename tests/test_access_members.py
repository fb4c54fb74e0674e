"""Ground-floor access beyond the crawler (tests/test_access_crawler.py, which has every URL as every
persona): another kommun's objects through one's own URL, refused writes, start pages, deactivation."""

import pytest
from django.urls import reverse

from members.models import Contact

from .conftest import client_for
from .factories import ContactFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"


@pytest.fixture
def contact_a(kommun_a):
    return ContactFactory(kommun=kommun_a, name="Hemlig Person", email="secret-contact@flen.example")


def test_contact_of_a_reached_through_b_is_404(user_b, kommun_a, kommun_b, contact_a):
    # B may edit its own kommun's contacts, but not A's contact through B's URL.
    client = client_for(user_b)
    assert client.get(reverse("members:contact_edit", args=[kommun_b.code, contact_a.pk])).status_code == 404
    response = client.post(
        reverse("members:contact_edit", args=[kommun_b.code, contact_a.pk]),
        {"name": "Hijacked", "role": "other"},
    )
    assert response.status_code == 404
    contact_a.refresh_from_db()
    assert contact_a.name == "Hemlig Person"


def test_b_cannot_delete_or_create_contacts_of_a(user_b, kommun_a, contact_a):
    client = client_for(user_b)
    assert client.post(reverse("members:contact_delete", args=[kommun_a.code, contact_a.pk])).status_code == 404
    assert (
        client.post(reverse("members:contact_create", args=[kommun_a.code]), {"name": "X", "role": "other"}).status_code
        == 404
    )
    assert Contact.objects.filter(kommun=kommun_a).count() == 1


def test_my_kommun_shows_own_kommun(user_a, kommun_a, contact_a):
    response = client_for(user_a).get(reverse("members:my_kommun"))
    assert response.status_code == 200
    assert response.context["kommun"] == kommun_a
    assert b"secret-contact@flen.example" in response.content


def test_home_sends_each_role_to_its_start_page(staff, user_a):
    assert client_for(staff).get("/")["Location"] == reverse("overview:index")
    assert client_for(user_a).get("/")["Location"] == reverse("members:my_kommun")
    assert client_for(None).get("/")["Location"].startswith(LOGIN)


def test_deactivated_user_sees_nothing(user_a, kommun_a):
    client = client_for(user_a)
    user_a.is_active = False
    user_a.save()
    response = client.get(reverse("members:kommun_detail", args=[kommun_a.code]))
    assert response.status_code == 302  # signed out: back to the sign-in page


def test_unknown_kommun_code_is_404(staff):
    assert client_for(staff).get(reverse("members:kommun_detail", args=["9999"])).status_code == 404
    assert client_for(staff).get("/kommuner/abc'--/").status_code == 404
