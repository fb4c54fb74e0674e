"""The staff overview: today's work, maturity distribution and the SVG map of the region."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from members import cache
from members.models import Contact, Kommun
from overview.map import shapes
from overview.maturity.services import assessment_submit
from overview.models import Level, Track
from tests.conftest import client_for
from tests.factories import ContactFactory, DialogEntryFactory, FollowUpFactory

from .conftest import answer_set

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def parse_map(content: str) -> ET.Element:
    match = re.search(r"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"region-map\".*?</svg>", content, re.S)
    assert match, "the map is on the page"
    return ET.fromstring(match.group(0))  # noqa: S314 - our own server-rendered SVG


def map_classes(root: ET.Element) -> dict[str, str]:
    """{kommunkod: class of its path} for every linked kommun on the map."""
    result = {}
    for link in root.iter(f"{SVG}a"):
        path = link.find(f"{SVG}path")
        result[link.get("data-kommun")] = path.get("class").replace("map-area ", "")
    return result


@pytest.fixture
def levels(kommun_a, kommun_b, user_a, user_b, staff):
    """Flen AKTIV and Värmdö PROAKTIV in NKI; Värmdö NEUTRAL in investment; nobody else assessed."""
    ContactFactory(kommun=kommun_a, role=Contact.Role.NKI)
    ContactFactory(kommun=kommun_b, role=Contact.Role.NKI)
    assessment_submit(
        kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv"]), user=user_a
    )
    assessment_submit(
        kommun=kommun_b, track=Track.NKI, answers=answer_set(Track.NKI, yes_levels=["aktiv", "proaktiv"]), user=user_b
    )
    assessment_submit(kommun=kommun_b, track=Track.INVESTMENT, answers=answer_set(Track.INVESTMENT), user=staff)


def test_map_draws_every_member_in_the_colour_of_its_level(levels, staff):
    response = client_for(staff).get(reverse("overview:index") + "?measure=maturity_nki")
    root = parse_map(response.content.decode())
    classes = map_classes(root)
    members = set(Kommun.objects.members().values_list("code", flat=True))
    assert set(classes) == members  # every member, and only members, is a link
    assert classes["0482"] == "pal-fill-4"
    assert classes["0120"] == "pal-fill-5"
    assert {c for code, c in classes.items() if code not in ("0482", "0120")} == {"pal-fill-none"}
    # Each link goes to the kommun's page and carries its name and value in a <title>.
    flen = next(a for a in root.iter(f"{SVG}a") if a.get("data-kommun") == "0482")
    assert flen.get("href") == reverse("members:kommun_detail", args=["0482"])
    assert flen.find(f"{SVG}path/{SVG}title").text == "Flen: AKTIV"
    # Neighbours outside SBA are drawn for context, not linked; Kiruna is far away and not drawn.
    assert len(root.findall(f"{SVG}g[@class='map-context']/{SVG}path")) > 0
    # No style attributes anywhere (CSP): colours are classes.
    assert "style=" not in response.content.decode().split("<main", 1)[1]


def test_map_by_investment_track_and_its_table(levels, staff):
    response = client_for(staff).get(reverse("overview:index") + "?measure=maturity_investment")
    classes = map_classes(parse_map(response.content.decode()))
    assert classes["0120"] == "pal-fill-3" and classes["0482"] == "pal-fill-none"
    rows = {k.code: v for k, v in response.context["region"]["map_rows"]}
    assert rows["0120"].display == "NEUTRAL" and rows["0482"] is None
    legend = [words for _css, words in response.context["region"]["legend"]]
    assert legend == ["NEUTRAL", "AKTIV", "PROAKTIV", "Inget värde"]


def test_unknown_measure_falls_back_to_the_first(staff):
    response = client_for(staff).get(reverse("overview:index") + "?measure=<script>")
    assert response.status_code == 200 and response.context["region"]["measure"].key == "maturity_nki"


def test_shapes_are_simplified_and_cover_every_kommun():
    all_shapes = shapes()
    assert len(all_shapes) == 290
    assert "." not in all_shapes["0180"].path  # whole numbers: 1/1000 degree


def test_overview_lists_follow_ups_due_and_members_without_contact(staff, kommun_a, kommun_b):
    today = timezone.localdate()
    entry = DialogEntryFactory(kommuner=[kommun_a], date=today - datetime.timedelta(days=3))
    FollowUpFactory(entry=entry, owner=staff, text="Ring tillbaka", due_on=today + datetime.timedelta(days=2))
    FollowUpFactory(entry=entry, owner=staff, text="Långt fram", due_on=today + datetime.timedelta(days=60))
    response = client_for(staff).get(reverse("overview:index"))
    assert [f.text for f in response.context["work"]["follow_ups"]] == ["Ring tillbaka"]
    without = {k.code for k in response.context["work"]["without_contact"]}
    assert "0482" not in {k.code for k in response.context["work"]["without_contact"]}
    assert response.context["work"]["without_contact_count"] == Kommun.objects.members().count() - 1
    assert without


def test_distribution_counts_members_per_level(levels, staff):
    distribution = {
        row["track"]: row for row in client_for(staff).get(reverse("overview:index")).context["distribution"]
    }
    nki = dict(distribution[Track.NKI]["levels"])
    assert nki == {Level.NEUTRAL: 0, Level.AKTIV: 1, Level.PROAKTIV: 1}
    assert distribution[Track.NKI]["not_assessed"] == Kommun.objects.members().count() - 2


def _lots_of_data(staff, n):
    members = list(Kommun.objects.members()[:n])
    for kommun in members:
        for track in Track.values:
            assessment_submit(kommun=kommun, track=track, answers=answer_set(track), user=staff)
        entry = DialogEntryFactory(kommuner=[kommun])
        FollowUpFactory(entry=entry, owner=staff)


def test_overview_keeps_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("overview:index")
    _lots_of_data(staff, 2)
    client.get(url)
    # session, user, members (map), map levels, members per län, kommun count, current period,
    # members by last contact, open follow-ups + their kommuner, members + levels for the
    # distribution, the panels (open inquiries, answers awaited, NKI years), session save: the same
    # whatever the number of assessments and entries.
    cache.retire_all()  # measured cold: every cached part built again, as after a write
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    _lots_of_data(staff, 40)
    cache.retire_all()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_maturity_region_page_keeps_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("overview:maturity:region")
    _lots_of_data(staff, 2)
    client.get(url)
    # session, user, distribution (members, levels), over time (members, assessments),
    # member table (members, latest), session save.
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    _lots_of_data(staff, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["over_time"]["quarters"]


def test_kommun_maturity_page_keeps_a_fixed_number_of_queries(staff, kommun_a, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("overview:maturity:kommun", args=[kommun_a.code])
    assessment_submit(kommun=kommun_a, track=Track.NKI, answers=answer_set(Track.NKI), user=staff)
    client.get(url)
    # session, user, kommun, criteria, assessments, answers, evidence (2 contact checks), session save.
    with django_assert_max_num_queries(11) as few:
        client.get(url)
    for n in range(10):  # a comment each time: saving the same answers again would add nothing
        for track in Track.values:
            assessment_submit(kommun=kommun_a, track=track, answers=answer_set(track), comment=str(n), user=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_overview_in_english(staff):
    from django.conf import settings

    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("overview:index")).content.decode()
    assert "Map of the region" in content and "Members per län" in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    content = client.get(reverse("overview:index")).content.decode()
    assert "Karta över regionen" in content


def test_kommun_page_panel_shows_levels_and_links(levels, user_a, kommun_a):
    content = client_for(user_a).get(reverse("members:my_kommun")).content.decode()
    assert reverse("overview:maturity:kommun", args=[kommun_a.code]) in content
    assert reverse("overview:reports:kommun", args=[kommun_a.code]) in content
    assert "AKTIV" in content


def test_navigation_has_maturity_and_reports(staff, user_a, kommun_a):
    staff_page = client_for(staff).get(reverse("overview:maturity:region")).content.decode()
    assert f'aria-current="page" href="{reverse("overview:maturity:region")}"' in staff_page
    assert f'href="{reverse("overview:reports:index")}"' in staff_page
    kommun_page = client_for(user_a).get(reverse("members:my_kommun")).content.decode()
    assert f'href="{reverse("overview:maturity:region")}"' in kommun_page
    assert f'href="{reverse("overview:reports:index")}"' not in kommun_page
