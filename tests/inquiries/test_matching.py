"""The matching function, on crafted profiles: classes, reasons with numbers, tolerance edges,
unknown data, ranking and the default selection by appetite. Pure: no database."""

import datetime
from decimal import Decimal as D

from django.utils import translation

from inquiries import constants, matching
from inquiries.matching import (
    MATCH,
    MET,
    NEAR,
    NEAR_MISS,
    NO_MATCH,
    NOT_MET,
    UNKNOWN,
    ProfileData,
    Requirements,
    SiteData,
)


def profile(*sites, kommun_id=1, name="Alfa", wanted=(), strong=(), appetite="near"):
    return ProfileData(
        kommun_id=kommun_id,
        name=name,
        sites=tuple(sites),
        wanted_sectors=frozenset(wanted),
        strong_sectors=frozenset(strong),
        appetite=appetite,
        has_profile=True,
    )


def by_key(rating):
    return {r.key: r for r in rating.ratings}


def test_area_met_near_and_not_met_at_the_tolerance_edge():
    req = Requirements(area_ha=D("20"))
    assert by_key(matching.rate(req, profile(SiteData("A", area_ha=D("20")))))["area"].status == MET
    # 20 % smaller is exactly the edge: still near.
    edge = D("20") * (1 - constants.AREA_TOLERANCE)
    assert by_key(matching.rate(req, profile(SiteData("A", area_ha=edge))))["area"].status == NEAR
    below = edge - D("0.1")
    rated = matching.rate(req, profile(SiteData("A", area_ha=below)))
    assert by_key(rated)["area"].status == NOT_MET
    assert rated.match_class == NO_MATCH


def test_reason_names_the_numbers():
    req = Requirements(area_ha=D("20"))
    rated = matching.rate(req, profile(SiteData("Norr", area_ha=D("12")), SiteData("Syd", area_ha=D("8"))))
    with translation.override("en"):
        assert by_key(rated)["area"].reason == "Needs 20 ha — largest site 12 ha"
    with translation.override("sv"):
        assert by_key(rated)["area"].reason == "Behöver 20 ha – största tomten 12 ha"


def test_decimal_comma_in_swedish_reason():
    req = Requirements(power_mw=D("12.5"))
    rated = matching.rate(req, profile(SiteData("Norr", power_mw=D("10.5"))))
    with translation.override("sv"):
        assert by_key(rated)["power"].reason == "Behöver 12,5 MW – Norr har 10,5 MW"
    with translation.override("en"):
        assert by_key(rated)["power"].reason == "Needs 12.5 MW — Norr has 10.5 MW"


def test_municipal_land_only_private_listed():
    req = Requirements(municipal_land=True)
    rated = matching.rate(req, profile(SiteData("A", ownership="private"), SiteData("B", ownership="private")))
    assert rated.match_class == NO_MATCH
    with translation.override("en"):
        assert by_key(rated)["municipal_land"].reason == "Municipal land required — only private land listed"
    mixed = matching.rate(req, profile(SiteData("A", ownership="mixed")))
    assert by_key(mixed)["municipal_land"].status == NEAR


def test_unknown_data_never_excludes():
    req = Requirements(area_ha=D("20"), power_mw=D("10"), km_rail=D("5"), zoning_ready=True)
    rated = matching.rate(req, profile(SiteData("Okänd")))
    assert {r.status for r in rated.ratings} == {UNKNOWN}
    assert rated.match_class == NEAR_MISS  # not "no match"
    with translation.override("en"):
        assert by_key(rated)["power"].reason == "Needs 10 MW — no grid power given for Okänd"
    no_sites = matching.rate(req, ProfileData(kommun_id=2, name="Tom"))
    assert no_sites.match_class == NEAR_MISS
    assert [r.key for r in no_sites.ratings] == ["sites"]


def test_distance_tolerance_uses_percent_or_minimum_km():
    # 4 km limit: 50 % is 2 km, the minimum slack is 2 km → up to 6 km is near.
    req = Requirements(km_motorway=D("4"))
    assert by_key(matching.rate(req, profile(SiteData("A", km_motorway=D("4")))))["km_motorway"].status == MET
    assert by_key(matching.rate(req, profile(SiteData("A", km_motorway=D("6")))))["km_motorway"].status == NEAR
    assert by_key(matching.rate(req, profile(SiteData("A", km_motorway=D("6.1")))))["km_motorway"].status == NOT_MET
    # 1 km limit: 50 % would be 0.5 km, but the 2 km minimum applies → 3 km is still near.
    req = Requirements(km_rail=D("1"))
    assert by_key(matching.rate(req, profile(SiteData("A", km_rail=D("3")))))["km_rail"].status == NEAR


def test_availability_and_zoning():
    needed = datetime.date(2027, 1, 1)
    req = Requirements(needed_by=needed, zoning_ready=True)
    late = needed + datetime.timedelta(days=constants.AVAILABILITY_TOLERANCE_DAYS)
    rated = matching.rate(req, profile(SiteData("A", available_from=late, zoning="in_progress")))
    assert by_key(rated)["available"].status == NEAR
    assert by_key(rated)["zoning"].status == NEAR
    too_late = late + datetime.timedelta(days=1)
    rated = matching.rate(req, profile(SiteData("A", available_from=too_late, zoning="none")))
    assert by_key(rated)["available"].status == NOT_MET
    assert by_key(rated)["zoning"].status == NOT_MET


def test_best_site_is_used():
    req = Requirements(area_ha=D("20"), power_mw=D("30"))
    big_weak = SiteData("Stor", area_ha=D("50"), power_mw=D("5"))
    fits = SiteData("Passar", area_ha=D("22"), power_mw=D("35"))
    rated = matching.rate(req, profile(big_weak, fits))
    assert rated.best_site == "Passar"
    assert rated.match_class == MATCH


def test_sector_is_soft_and_matches_wanted_or_strong():
    req = Requirements(sector_id=7, sector_name="Logistik")
    assert by_key(matching.rate(req, profile(wanted=[7])))["sector"].status == MET
    assert by_key(matching.rate(req, profile(strong=[7])))["sector"].status == MET
    assert by_key(matching.rate(req, profile(wanted=[1])))["sector"].status == NEAR
    assert by_key(matching.rate(req, profile()))["sector"].status == UNKNOWN


def test_ranking_and_determinism():
    req = Requirements(area_ha=D("20"))
    profiles = [
        profile(SiteData("x", area_ha=D("5")), kommun_id=1, name="Cesar"),
        profile(SiteData("x", area_ha=D("30")), kommun_id=2, name="Bertil"),
        profile(SiteData("x", area_ha=D("17")), kommun_id=3, name="Adam"),
        profile(SiteData("x", area_ha=D("25")), kommun_id=4, name="Alfa"),
    ]
    ranked = matching.rate_all(req, profiles)
    assert [r.name for r in ranked] == ["Alfa", "Bertil", "Adam", "Cesar"]
    assert [r.match_class for r in ranked] == [MATCH, MATCH, NEAR_MISS, NO_MATCH]
    assert matching.rate_all(req, list(reversed(profiles))) == ranked


def test_default_selection_follows_appetite():
    assert matching.default_selected(MATCH, "matching")
    assert not matching.default_selected(NEAR_MISS, "matching")
    assert matching.default_selected(NEAR_MISS, "near")
    assert not matching.default_selected(NO_MATCH, "near")
    assert matching.default_selected(NO_MATCH, "all")


def test_snapshot_round_trip_renders_the_same_reason():
    req = Requirements(area_ha=D("20"))
    rated = matching.rate(req, profile(SiteData("Norr", area_ha=D("12"))))
    stored = rated.as_json()
    again = [matching.Rating(r["key"], r["status"], r["params"]) for r in stored["ratings"]]
    with translation.override("en"):
        assert [r.reason for r in again] == [r.reason for r in rated.ratings]
