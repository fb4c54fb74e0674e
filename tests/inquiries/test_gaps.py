"""Regional gaps on the staff statistics page: requirements that no member kommun's site meets,
per inquiry sent in the gap window, against today's profiles."""

import datetime
from decimal import Decimal as D

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inquiries import constants, matching, selectors
from inquiries.models import Inquiry
from members.models import Site

from ..conftest import client_for
from ..factories import InquiryFactory, SiteFactory

pytestmark = pytest.mark.django_db


def rated_gaps(user) -> dict[str, list[int]]:
    """The gaps as they were first defined: every inquiry rated in full against every member
    (matching.rate_all), a requirement a gap when no kommun's rating of it is MET."""
    since = timezone.now() - datetime.timedelta(days=constants.GAP_WINDOW_DAYS)
    inquiries = (
        selectors.inquiries_visible_to(user)
        .exclude(status=Inquiry.Status.DRAFT)
        .filter(Q(sent_at__gte=since) | Q(sent_at__isnull=True))
        .order_by("-sent_at", "-pk")
    )
    profiles = selectors.member_profiles()
    gaps: dict[str, list[int]] = {}
    for inquiry in inquiries:
        rated = matching.rate_all(selectors.requirements_of(inquiry), profiles)
        for key in sorted({r.key for kr in rated for r in kr.ratings} - {"sector", "sites"}):
            if not any(r.key == key and r.status == matching.MET for kr in rated for r in kr.ratings):
                gaps.setdefault(key, []).append(inquiry.pk)
    return gaps


def shown(gaps) -> dict[str, list[int]]:
    return {g["key"]: [i.pk for i in g["inquiries"]] for g in gaps}


def sent(**requirements) -> Inquiry:
    return InquiryFactory(status=Inquiry.Status.SENT, sent_at=timezone.now(), **requirements)


@pytest.fixture
def region(kommun_a, kommun_b):
    """Flen has a small site and, second, a large one; Värmdö one middling site."""
    SiteFactory(kommun=kommun_a, name="Flen 1 Lilla", area_ha=D("10"))
    SiteFactory(kommun=kommun_a, name="Flen 2 Stora", area_ha=D("50"))
    SiteFactory(kommun=kommun_b, name="Värmdö Hamn", area_ha=D("12"), ownership=Site.Ownership.PRIVATE)


def test_gaps_are_what_no_member_meets_and_agree_with_the_full_rating(staff, region):
    second_site = sent(req_area_ha=D("40"))  # only Flen's second site has 40 ha
    nobody = sent(req_area_ha=D("5"), req_power_mw=D("500"))  # no site has 500 MW; 5 ha everyone has
    near = sent(req_area_ha=D("55"))  # 50 ha is within the tolerance of 55: near, which is not met
    also_near = sent(req_area_ha=D("60"))  # 50 of 60 ha: near too (the edge is 48)
    InquiryFactory(req_power_mw=D("900"))  # a draft: not counted
    old = sent(req_power_mw=D("700"))
    Inquiry.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=constants.GAP_WINDOW_DAYS + 1)
    )
    gaps = selectors.regional_gaps(user=staff)
    assert shown(gaps) == {"area": [also_near.pk, near.pk], "power": [nobody.pk]}
    assert shown(gaps) == rated_gaps(staff)
    assert second_site.pk not in {pk for pks in shown(gaps).values() for pk in pks}
    assert [str(g["label"]) for g in gaps] == ["Tomtareal", "Eleffekt"]  # most asked-for first

    page = client_for(staff).get(reverse("inquiries:insight")).content.decode()
    for inquiry in (near, also_near, nobody):
        assert f'<a href="{reverse("inquiries:detail", args=[inquiry.pk])}">{inquiry.reference}</a>' in page


def test_a_site_that_meets_a_requirement_closes_it_even_if_another_site_of_the_kommun_fits_better(staff, kommun_a):
    """'No member kommun could meet': Flen's big site has the area, though its small site is the
    better match overall (the full rating shows that one)."""
    SiteFactory(kommun=kommun_a, name="Flen Stora", area_ha=D("50"), zoning=Site.Zoning.NONE, power_mw=D("5"))
    SiteFactory(kommun=kommun_a, name="Flen Lilla", area_ha=D("10"))
    sent(req_area_ha=D("40"), req_zoning_ready=True, req_power_mw=D("30"))
    assert shown(selectors.regional_gaps(user=staff)) == {}
    # A gap closes as soon as a kommun adds a site that meets it, and opens when none does.
    Site.objects.filter(name="Flen Stora").update(area_ha=D("20"))
    assert set(shown(selectors.regional_gaps(user=staff))) == {"area"}


def test_unmet_everywhere_checks_sites_not_ratings():
    """The pure check: met by any site of any kommun (the second one too), near and unknown not."""
    alfa = matching.ProfileData(
        kommun_id=1,
        name="Alfa",
        sites=(matching.SiteData("A1", area_ha=D("5")), matching.SiteData("A2", area_ha=D("30"))),
    )
    beta = matching.ProfileData(kommun_id=2, name="Beta", sites=(matching.SiteData("B1"),))  # area unknown
    empty = matching.ProfileData(kommun_id=3, name="Gamma")
    reqs = [
        matching.Requirements(area_ha=D("30")),
        matching.Requirements(area_ha=D("35")),  # 30 is near 35
        matching.Requirements(area_ha=D("30"), municipal_land=True),  # ownership not given anywhere
        matching.Requirements(sector_id=7),  # the sector is no site's requirement
    ]
    assert matching.unmet_everywhere(reqs, [beta, empty, alfa]) == [[], ["area"], ["municipal_land"], []]


def test_statistics_page_queries_do_not_grow_with_gaps(staff, region, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("inquiries:insight")

    def count() -> int:
        client.get(url)  # the first request of a session renews it
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    sent(req_power_mw=D("500"))
    few = count()
    for n in range(30):
        sent(req_power_mw=D(600 + n), req_area_ha=D(40 + n % 5), needed_by=timezone.localdate())
    many = count()
    # session, user, counts per kommun, decline reasons, times to answer, the inquiries'
    # requirement columns, member profiles (kommuner, sites, premises, sector links)
    assert few == many
