"""A matching requirement lives in one table (inquiries/criteria.py): adding one is a Criterion,
and the rating, the reasons in both languages, the form and the pages follow. The stored rating
holds ids and plain numbers, and reads back in the reader's language."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from inquiries import criteria, matching
from inquiries.matching import MET, NEAR, NOT_MET, ProfileData, Requirements, SiteData
from inquiries.models import Dispatch, Inquiry
from members.models import Sector
from tests.conftest import client_for
from tests.factories import InquiryFactory, SiteFactory

# A throwaway requirement, registered only in these tests: planned jobs against a site's area.
WORKFORCE = criteria.Criterion(
    key="workforce",
    inquiry_field="planned_jobs",
    site_field="area_ha",
    compare=criteria.at_least,
    tolerance=D("0.5"),
    label=_("Planned jobs"),
    unit="ha",
    reasons={
        MET: _("Needs %(need)s ha — %(site)s has %(have)s ha"),
        "other": _("Needs %(need)s ha — no area given for %(site)s"),
    },
)


@pytest.fixture
def workforce(monkeypatch):
    monkeypatch.setattr(criteria, "CRITERIA", [*criteria.CRITERIA, WORKFORCE])
    return WORKFORCE


def test_a_registered_criterion_is_rated_and_explained_in_both_languages(workforce):
    req = Requirements(planned_jobs=40)
    profile = ProfileData(1, "Alfa", sites=(SiteData("Norr", area_ha=D("45")),))
    rating = {r.key: r for r in matching.rate(req, profile).ratings}["workforce"]
    assert rating.status == MET and rating.params == {"need": "40", "have": "45", "site": "Norr"}
    with translation.override("en"):
        assert rating.reason == "Needs 40 ha — Norr has 45 ha"
    with translation.override("sv"):
        assert rating.reason == "Behöver 40 ha – Norr har 45 ha"
    near = matching.rate(req, ProfileData(1, "Alfa", sites=(SiteData("Syd", area_ha=D("25")),)))
    assert near.ratings[0].status == NEAR
    far = matching.rate(req, ProfileData(1, "Alfa", sites=(SiteData("Syd", area_ha=D("10")),)))
    assert far.ratings[0].status == NOT_MET and far.match_class == matching.NO_MATCH


@pytest.mark.django_db
def test_a_registered_criterion_is_shown_on_the_form_and_the_inquiry_page(workforce, staff, kommun_a):
    SiteFactory(kommun=kommun_a, name="Flen Norra", area_ha=D("100"))
    inquiry = InquiryFactory(planned_jobs=30, responsible=staff)
    client = client_for(staff)
    page = client.get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    # The requirement list and the match table's reasons both come from the table.
    assert page.count("Planerade arbetstillfällen") >= 2  # the list, and once more as a criterion
    assert "Behöver 30 ha – Flen Norra har 100 ha" in page
    form = client.get(reverse("inquiries:edit", args=[inquiry.pk]))
    fields = [field.name for _width, field in form.context["form"].requirement_fields()]
    assert fields[-1] == "planned_jobs" and "req_area_ha" in fields


def test_numbers_in_the_snapshot_are_plain_decimals():
    req = Requirements(area_ha=D("50.0"), power_mw=D("12.50"), km_rail=D("0.30"))
    site = SiteData("Norr", area_ha=D("30.0"), power_mw=D("100"), km_rail=D("10.0"))
    stored = matching.snapshot_of(matching.rate(req, ProfileData(1, "Alfa", sites=(site,))))
    numbers = [v for r in stored["ratings"] for k, v in r["params"].items() if k in ("need", "have", "max", "largest")]
    assert sorted(numbers) == sorted(["50", "30", "30", "12.5", "100", "0.3", "10"])
    assert not any("E" in n for n in numbers)


@pytest.mark.django_db
def test_the_snapshot_names_no_sector_and_reads_back_in_the_readers_language(user_a, kommun_a, staff):
    from inquiries import services

    sector = Sector.objects.create(code="test-logistik", name_sv="Logistik och lager", name_en="Logistics")
    inquiry = InquiryFactory(sector=sector, req_area_ha=D("20"), responsible=staff)
    with translation.override("sv"):  # staff send it in Swedish
        services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun_a.pk], user=staff)
    dispatch = Dispatch.objects.get(inquiry=inquiry, kommun=kommun_a)
    stored = {r["key"]: r for r in dispatch.match_snapshot["ratings"]}
    assert stored["sector"]["params"] == {"sector_id": sector.pk}
    assert "Logistik" not in str(dispatch.match_snapshot)
    client = client_for(user_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(dispatch.get_absolute_url()).content.decode()
    assert "Logistics" in page and "Logistik och lager" not in page


def test_an_old_snapshot_still_reads():
    old = {
        "ratings": [
            {"key": "sector", "status": "met", "params": {"sector": "Logistik"}},
            {"key": "area", "status": "met", "params": {"need": "2E+1", "have": "3E+1", "site": "N"}},
        ]
    }
    ratings = matching.ratings_from_snapshot(old, sector_name="Logistics")
    with translation.override("en"):
        assert [r.reason for r in ratings] == ["Logistics is one of the kommun's sectors", "Needs 20 ha — N has 30 ha"]


@pytest.mark.django_db
def test_the_migration_rewrites_stored_snapshots(kommun_a, staff):
    """The data migration's function on a snapshot as the old code stored it (RunPython, no DDL)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("inquiries.migrations.0004_snapshots_without_names_or_exponents")
    sector = Sector.objects.create(code="test-life", name_sv="Life science", name_en="Life science")
    inquiry = InquiryFactory(sector=sector, status=Inquiry.Status.SENT, answer_deadline=timezone.localdate())
    dispatch = Dispatch.objects.create(
        inquiry=inquiry,
        kommun=kommun_a,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        match_snapshot={
            "match_class": "match",
            "ratings": [
                {"key": "sector", "status": "met", "params": {"sector": "Life science"}},
                {"key": "area", "status": "met", "params": {"need": "5E+1", "have": "6E+1", "site": "N"}},
            ],
        },
    )
    migration.forwards(apps, None)
    dispatch.refresh_from_db()
    params = [r["params"] for r in dispatch.match_snapshot["ratings"]]
    assert params == [{"sector_id": sector.pk}, {"need": "50", "have": "60", "site": "N"}]
