"""Premises (lokaler) are places an inquiry is rated against, beside sites: floor area and type of
premises are two criteria in CRITERIA, with met / near / not met / unknown and reasons in both
languages; 'needed by' compares the premises' year available."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from inquiries import matching, selectors
from inquiries.matching import MET, NEAR, NOT_MET, UNKNOWN, ProfileData, Requirements, SiteData
from members.models import Premises
from tests.conftest import client_for
from tests.factories import InquiryFactory, SiteFactory


def rated(req, *places):
    result = matching.rate(req, ProfileData(1, "Alfa", sites=places))
    return {r.key: r for r in result.ratings}, result


def test_floor_area_met_near_not_met_and_unknown_in_both_languages():
    req = Requirements(premises_m2=5000)
    ratings, _ = rated(req, SiteData("Lagret", floor_area_m2=6000, kind="lager"))
    area = ratings["premises_area"]
    assert area.status == MET
    with translation.override("en"):
        assert area.reason == "Needs premises of 5000 m² — Lagret has 6000 m²"
    with translation.override("sv"):
        assert area.reason.replace("\xa0", " ") == "Behöver lokal på 5000 m² – Lagret har 6000 m²"
    assert rated(req, SiteData("Lagret", floor_area_m2=4200))[0]["premises_area"].status == NEAR
    assert rated(req, SiteData("Lagret", floor_area_m2=2000))[0]["premises_area"].status == NOT_MET
    unknown = rated(req, SiteData("Tomten", area_ha=D("10")))[0]["premises_area"]
    assert unknown.status == UNKNOWN
    with translation.override("sv"):
        assert unknown.reason.replace("\xa0", " ") == "Behöver lokal på 5000 m² – ingen golvyta angiven för Tomten"
    with translation.override("en"):
        assert unknown.reason == "Needs premises of 5000 m² — no premises floor area given for Tomten"


def test_type_of_premises_met_near_not_met_and_unknown_in_both_languages():
    req = Requirements(premises_kind="lager")
    met = rated(req, SiteData("Hallen", kind="lager"))[0]["premises_kind"]
    near = rated(req, SiteData("Verkstan", kind="produktion"))[0]["premises_kind"]
    not_met = rated(req, SiteData("Huset", kind="kontor"))[0]["premises_kind"]
    unknown = rated(req, SiteData("Tomten", area_ha=D("3")))[0]["premises_kind"]
    assert (met.status, near.status, not_met.status, unknown.status) == (MET, NEAR, NOT_MET, UNKNOWN)
    with translation.override("sv"):
        assert near.reason == "Lokal för lager krävs – Verkstan är produktion, som kan fungera"
        assert not_met.reason == "Lokal för lager krävs – Huset är kontor"
        assert unknown.reason == "Lokal för lager krävs – ingen lokaltyp angiven för Tomten"
    with translation.override("en"):
        assert met.reason == "Premises for warehouse required — Hallen is warehouse"
        assert near.reason == "Premises for warehouse required — Verkstan is production, which may serve"


def test_the_best_place_is_the_premises_that_fit():
    req = Requirements(premises_m2=3000, premises_kind="kontor")
    ratings, result = rated(
        req,
        SiteData("Tomten", area_ha=D("20")),
        SiteData("Kontorshuset", floor_area_m2=3200, kind="kontor"),
    )
    assert result.best_site == "Kontorshuset" and result.match_class == matching.MATCH
    assert ratings["premises_area"].status == ratings["premises_kind"].status == MET


@pytest.mark.django_db
def test_premises_in_the_inventory_are_matched_and_shown(staff, kommun_a, django_assert_max_num_queries):
    SiteFactory(kommun=kommun_a, name="Flen Norra")
    Premises.objects.create(
        kommun=kommun_a,
        name="Flens logistikhall",
        kind=Premises.Kind.WAREHOUSE,
        floor_area_m2=12000,
        year_available=datetime.date.today().year,
    )
    inquiry = InquiryFactory(req_area_ha=None, req_premises_m2=10000, req_premises_kind="lager", responsible=staff)
    with django_assert_max_num_queries(5):  # kommuner + profile, sites, premises, two sector links
        profiles = selectors.member_profiles(kommun_ids=[kommun_a.pk])
    flen = matching.rate(selectors.requirements_of(inquiry), profiles[0])
    ratings = {r.key: r.status for r in flen.ratings}
    assert flen.best_site == "Flens logistikhall"
    assert ratings["premises_area"] == ratings["premises_kind"] == MET
    body = client_for(staff).get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    assert "Lokalens golvyta" in body and "10000 m²" in body and ">lager<" in body


@pytest.mark.django_db
def test_premises_are_edited_by_the_kommun_and_refused_to_others(user_a, user_b, kommun_a):
    url = reverse("members:premises_create", args=[kommun_a.code])
    data = {
        "name": "Kontoret",
        "kind": "kontor",
        "floor_area_m2": "1200",
        "ceiling_height_m": "3,2",
        "loading_docks": "",
        "power_mw": "",
        "year_available": "2026",
        "owner": "municipal",
        "notes": "",
        "last_confirmed": datetime.date.today().isoformat(),
    }
    assert client_for(user_b).post(url, data).status_code == 404
    assert not Premises.objects.exists()
    assert client_for(user_a).post(url, data).status_code == 302
    premises = Premises.objects.get()
    assert (premises.floor_area_m2, premises.ceiling_height_m, premises.kind) == (1200, D("3.2"), "kontor")
    bad = client_for(user_a).post(url, {**data, "year_available": "1200"})
    assert "Ange ett år mellan 1900 och 2100." in bad.content.decode() and Premises.objects.count() == 1
    page = client_for(user_a).get(kommun_a.get_absolute_url()).content.decode()
    assert "Kontoret" in page and "Lokaler" in page
    assert premises.history.count() == 1
