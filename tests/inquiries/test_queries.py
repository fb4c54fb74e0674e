"""Lists and pages keep a fixed number of queries as data grows (few vs many rows)."""

import pytest
from django.urls import reverse

from inquiries import services
from inquiries.models import Answer, Dispatch
from members.models import Kommun, KommunProfile, Sector, Site

from ..conftest import client_for
from ..factories import InquiryFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _grow(staff, n: int, kommuner: list[Kommun]):
    """n inquiries, each sent to the given kommuner, half of them answered."""
    for _ in range(n):
        inquiry = InquiryFactory(responsible=staff, sector=Sector.objects.first())
        for dispatch in services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[k.pk for k in kommuner], user=staff):
            if dispatch.pk % 2:
                Answer.objects.create(dispatch=dispatch, decision="declined", decline_reason="no_land")


def _count(django_assert_max_num_queries, client, url) -> int:
    client.get(url)  # warm-up: the first request of a session renews it (a write we don't count)
    with django_assert_max_num_queries(50) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_inquiry_list_constant(staff, kommun_a, kommun_b, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("inquiries:index")
    _grow(staff, 1, [kommun_a])
    few = _count(django_assert_max_num_queries, client, url)
    _grow(staff, 12, [kommun_a, kommun_b])
    many = _count(django_assert_max_num_queries, client, url)
    # session, user, count, page of inquiries (with sector, responsible and counts),
    # filter choices (sectors, staff users), session save (savepoint, update, release)
    assert few == many <= 10


def test_inquiry_page_with_match_table_over_all_members_constant(staff, django_assert_max_num_queries):
    members = list(Kommun.objects.members().order_by("name"))
    inquiry = InquiryFactory(responsible=staff)
    client = client_for(staff)
    [first] = services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[members[0].pk], user=staff)
    Answer.objects.create(dispatch=first, decision="interested", offer="x")
    few = _count(django_assert_max_num_queries, client, inquiry.get_absolute_url())
    # Many: every member but the last gets a profile with sectors and sites (the last one keeps the
    # page asking for its profile, one query whatever the number); many dispatches and answers.
    sectors = list(Sector.objects.all()[:3])
    for kommun in members[:-1]:
        profile = KommunProfile.objects.create(kommun=kommun)
        profile.wanted_sectors.add(*sectors)
        profile.strong_sectors.add(*sectors[:1])
        SiteFactory(kommun=kommun)
        SiteFactory(kommun=kommun)
    services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[k.pk for k in members[1:20]], user=staff)
    for dispatch in Dispatch.objects.filter(inquiry=inquiry, answer__isnull=True).select_related("kommun")[:10]:
        answer = Answer.objects.create(dispatch=dispatch, decision="interested", offer="x")
        answer.proposed_sites.add(*Site.objects.filter(kommun_id=dispatch.kommun_id))
    many = _count(django_assert_max_num_queries, client, inquiry.get_absolute_url())
    # user (the session is in the cache), inquiry; dispatches (+ kommun, answer, contact), proposed
    # sites, attachments; members (+ profile, län), their sites, their premises, their sectors (wanted and strong in
    # one); the contacts to ask for a missing profile. Was 13 with the match table cached.
    assert few == many <= 10


def test_kommun_inbox_constant(staff, user_a, kommun_a, kommun_b, django_assert_max_num_queries):
    client = client_for(user_a)
    url = reverse("inquiries:index")
    _grow(staff, 1, [kommun_a])
    few = _count(django_assert_max_num_queries, client, url)
    _grow(staff, 15, [kommun_a, kommun_b])
    many = _count(django_assert_max_num_queries, client, url)
    # session, user, open and in-progress dispatches, closed count, closed page, kommun,
    # session save (3)
    assert few == many <= 10


def test_kommun_page_with_panel_and_sites_constant(staff, user_a, kommun_a, django_assert_max_num_queries):
    client = client_for(user_a)
    url = reverse("members:kommun_detail", args=[kommun_a.code])
    few = _count(django_assert_max_num_queries, client, url)
    _grow(staff, 6, [kommun_a])
    for _ in range(5):
        SiteFactory(kommun=kommun_a)
    profile = KommunProfile.objects.create(kommun=kommun_a)
    profile.wanted_sectors.set(Sector.objects.all()[:4])
    many = _count(django_assert_max_num_queries, client, url)
    # The profile adds its two sector queries once it exists; rows never add queries.
    assert many <= few + 2
    _grow(staff, 6, [kommun_a])
    SiteFactory(kommun=kommun_a)
    assert _count(django_assert_max_num_queries, client, url) == many


def test_insight_pages_constant(staff, user_a, kommun_a, kommun_b, django_assert_max_num_queries):
    _grow(staff, 1, [kommun_a])
    staff_client, kommun_client = client_for(staff), client_for(user_a)
    url = reverse("inquiries:insight")
    few = (
        _count(django_assert_max_num_queries, staff_client, url),
        _count(django_assert_max_num_queries, kommun_client, url),
    )
    _grow(staff, 10, [kommun_a, kommun_b])
    many = (
        _count(django_assert_max_num_queries, staff_client, url),
        _count(django_assert_max_num_queries, kommun_client, url),
    )
    # staff: session, user, counts per kommun, decline reasons, times to answer, inquiries for gaps,
    # member profiles (4), session save (3);
    # kommun: session, user, kommun, dispatch rows, session save (3)
    assert few == many
    assert many[0] <= 12 and many[1] <= 7
