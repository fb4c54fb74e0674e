"""Swedish by default; an English switch that sticks; the user's saved language wins."""

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_swedish_is_the_default(client):
    response = client.get(reverse("login"))
    assert '<html lang="sv">' in response.content.decode()
    assert "Logga in" in response.content.decode()


def test_language_switch_to_english_and_back(staff):
    client = client_for(staff)
    assert "Kommuner" in client.get(reverse("members:kommun_list")).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("members:kommun_list")})
    assert response.status_code == 302
    page = client.get(reverse("members:kommun_list")).content.decode()
    assert '<html lang="en">' in page
    assert "Name or kommunkod" in page

    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert "Namn eller kommunkod" in client.get(reverse("members:kommun_list")).content.decode()


def test_saved_language_is_used_after_sign_in(user_a):
    user_a.language = "en"
    user_a.save()
    page = client_for(user_a).get(reverse("members:my_kommun")).content.decode()
    assert '<html lang="en">' in page and "Contacts" in page


def test_account_page_saves_language(user_a):
    client = client_for(user_a)
    client.post(reverse("members:account"), {"first_name": "Karin", "last_name": "Berg", "language": "en"})
    user_a.refresh_from_db()
    assert user_a.language == "en"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_swedish_number_and_date_formats(staff, kommun_a):
    from members.models import Membership, Population

    Population.objects.create(kommun=kommun_a, year=2024, population=16543)
    Membership.objects.filter(kommun=kommun_a).update(ends_on="2028-12-31")
    page = client_for(staff).get(kommun_a.get_absolute_url()).content.decode()
    assert "16\xa0543" in page
    assert "2028-12-31" in page
    assert ">2024<" in page  # a year is not written with a thousands separator


def test_the_words_users_use(client, staff):
    """One Swedish term for a site (tomt), 'försök' for the rate limit (a förfrågan is an inquiry
    here), a statistics page that is not SKR's Insikt, Matchar / Nära / Matchar inte, SBA-veckobrev."""
    from django.utils import translation

    from inquiries.matching import CLASS_LABELS

    with translation.override("sv"):
        from django.utils.translation import gettext as _

        assert [str(label) for label in CLASS_LABELS.values()] == ["Matchar", "Nära", "Matchar inte"]
        assert _("Sites") == "Tomter" and _("Add site") == "Lägg till tomt"
        assert _("Too many requests") == "För många försök"
        assert _("SBA weekly digest") == "SBA-veckobrev"
    from django.urls import reverse

    from .conftest import client_for

    page = client_for(staff).get(reverse("inquiries:insight")).content.decode()
    assert "Statistik över förfrågningar" in page and "Insikt om" not in page
