"""The kommun's investment profile and sites (members/): who may edit, stale sites, bad input."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.models import KommunProfile, Sector, Site

from ..conftest import client_for
from ..factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_a(kommun_a):
    return SiteFactory(kommun=kommun_a, name="Hemliga tomten")


def test_sectors_are_seeded():
    codes = set(Sector.objects.values_list("code", flat=True))
    assert {"life-science", "ict", "energy-cleantech", "data-centres", "logistics", "food"} <= codes


def test_site_of_a_through_bs_url_is_404(user_b, kommun_b, site_a):
    response = client_for(user_b).post(
        reverse("members:site_edit", args=[kommun_b.code, site_a.pk]), {"name": "Kapad", "last_confirmed": "2026-01-01"}
    )
    assert response.status_code == 404
    site_a.refresh_from_db()
    assert site_a.name == "Hemliga tomten"


def test_kommun_user_edits_profile_and_adds_site(user_a, kommun_a):
    client = client_for(user_a)
    sectors = list(Sector.objects.all()[:2])
    response = client.post(
        reverse("members:profile_edit", args=[kommun_a.code]),
        {"wanted_sectors": [s.pk for s in sectors], "strong_sectors": [sectors[0].pk], "appetite": "all"},
    )
    assert response.status_code == 302
    profile = KommunProfile.objects.get(kommun=kommun_a)
    assert profile.appetite == "all" and set(profile.wanted_sectors.all()) == set(sectors)
    assert profile.history.exists()  # one record per save and per sector change
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("members:site_create", args=[kommun_a.code]),
        {
            "name": "Nya tomten",
            "area_ha": "12,5",
            "ownership": "municipal",
            "zoning": "in_force",
            "last_confirmed": today,
        },
    )
    assert response.status_code == 302
    assert Site.objects.get(kommun=kommun_a).area_ha == 12.5


def test_bad_site_input_is_refused(user_a, kommun_a, site_a):
    client = client_for(user_a)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("members:site_edit", args=[kommun_a.code, site_a.pk]),
        {"name": "Ändrad", "area_ha": "-3", "last_confirmed": future},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "En tomt kan inte bekräftas framåt i tiden." in html
    assert "större än eller lika med 0" in html
    site_a.refresh_from_db()
    assert site_a.name == "Hemliga tomten"


def test_stale_site_is_marked_with_a_word_and_confirm_clears_it(settings, user_a, kommun_a):
    old = timezone.localdate() - datetime.timedelta(days=settings.SITE_STALE_AFTER_DAYS + 1)
    site = SiteFactory(kommun=kommun_a, last_confirmed=old)
    assert site.is_stale
    client = client_for(user_a)
    html = client.get(reverse("members:my_kommun")).content.decode()
    assert "⚠</span> Inaktuell" in html
    client.post(reverse("members:site_confirm", args=[kommun_a.code, site.pk]))
    site.refresh_from_db()
    assert not site.is_stale and site.last_confirmed == timezone.localdate()
    assert "Inaktuell" not in client.get(reverse("members:my_kommun")).content.decode()


def test_profile_section_in_english(user_a, kommun_a):
    SiteFactory(kommun=kommun_a, name="Port site")
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("members:my_kommun")).content.decode()
    assert "Investment profile" in html and "Port site" in html and "Still true" in html
