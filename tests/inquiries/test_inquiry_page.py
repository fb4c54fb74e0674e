"""The staff inquiry page (issue 14): one match row per member with a status per requirement, the
default selection, "select matching only" / "clear" and the filters as the server honours them
(the page works without JavaScript; tests/browser/test_inquiry_layout.py clicks the same buttons),
and sending with one confirmation."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse

from inquiries import criteria
from inquiries.models import Dispatch
from members.models import Contact, Kommun, KommunProfile, Sector
from outbox.models import Message

from ..conftest import client_for
from ..factories import ContactFactory, InquiryFactory, SiteFactory

pytestmark = pytest.mark.django_db

TICKED = re.compile(r'name="kommuner" value="(\d+)" id="k-\d+" checked')
BOXES = re.compile(r'name="kommuner" value="(\d+)"')


def ticked(html: str) -> set[int]:
    return {int(pk) for pk in TICKED.findall(html)}


def boxes(html: str) -> set[int]:
    return {int(pk) for pk in BOXES.findall(html)}


@pytest.fixture
def third(kommun_a, kommun_b):
    """A third member kommun besides Flen and Värmdö."""
    return Kommun.objects.members().exclude(pk__in=[kommun_a.pk, kommun_b.pk]).order_by("name").first()


@pytest.fixture
def rated(staff, kommun_a, kommun_b, third):
    """Needs 20 ha: Flen matches (30 ha), the third kommun is near (18 ha), Värmdö does not (12 ha);
    every other member has no profile data. Värmdö wants every inquiry."""
    SiteFactory(kommun=kommun_a, name="Flen Stora", area_ha=30)
    SiteFactory(kommun=kommun_b, name="Värmdö Hamn", area_ha=12)
    SiteFactory(kommun=third, name="Tredje", area_ha=18)
    KommunProfile.objects.create(kommun=kommun_b, appetite="all")
    return InquiryFactory(req_area_ha=20, responsible=staff)


def page(client, inquiry, query: str = "") -> str:
    response = client.get(inquiry.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


# --- The default selection ---------------------------------------------------------------------


def test_the_default_selection_never_ticks_a_member_without_profile_data(staff, rated, kommun_a, kommun_b, third):
    client = client_for(staff)
    response = client.get(rated.get_absolute_url())
    rows = response.context["rows"]
    no_data = [row for row in rows if not row["rating"].has_data]
    assert len(no_data) == Kommun.objects.members().count() - 3
    assert all(not row["checked"] and row["row_class"] == "unknown_profile" for row in no_data)
    html = response.content.decode()
    # Ticked: Flen (match), the third kommun (near, default appetite) and Värmdö (appetite "all").
    assert ticked(html) == {kommun_a.pk, kommun_b.pk, third.pk}
    assert html.count("Okänd profil") >= len(no_data)


def test_no_profile_data_is_not_ticked_even_when_it_asks_for_everything_or_nothing_is_asked(staff, kommun_a):
    # A profile that wants every inquiry but lists no site and no sector; an inquiry asking nothing,
    # so every member "matches" on paper.
    KommunProfile.objects.create(kommun=kommun_a, appetite="all")
    inquiry = InquiryFactory(responsible=staff, sector=None, req_area_ha=None, req_power_mw=None, needed_by=None)
    html = page(client_for(staff), inquiry)
    assert kommun_a.pk in boxes(html)
    assert ticked(html) == set()
    assert ticked(page(client_for(staff), inquiry, "?select=matching")) == set()


def test_a_member_without_profile_data_has_a_link_to_ask_for_it(staff, rated, kommun_a, third):
    empty = Kommun.objects.members().exclude(pk__in=[kommun_a.pk, third.pk]).order_by("name").last()
    ContactFactory(kommun=empty, role=Contact.Role.INVESTMENT, email="invest@empty.example")
    ContactFactory(kommun=empty, role=Contact.Role.KSO, email="kso@empty.example")
    html = page(client_for(staff), rated)
    assert 'href="mailto:invest@empty.example?subject=' in html
    assert "kso@empty.example" not in html
    # A member with nobody to write to: its page in the portal instead.
    nobody = Kommun.objects.members().exclude(pk__in=[kommun_a.pk, third.pk, empty.pk]).order_by("name").first()
    assert f'href="http://testserver/kommuner/{nobody.code}/"' in html


# --- A status per requirement, as columns from CRITERIA ----------------------------------------


def test_one_row_per_member_with_a_status_word_per_requirement(staff, kommun_a, kommun_b):
    SiteFactory(kommun=kommun_a, name="Flen Stora", area_ha=30, power_mw=D("2"))
    SiteFactory(kommun=kommun_b, name="Värmdö Hamn", area_ha=12)
    inquiry = InquiryFactory(req_area_ha=20, req_power_mw=D("10"), responsible=staff, sector=None)
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, inquiry)
    head = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    asked = [c for c in criteria.CRITERIA if c.key in ("area", "power")]
    assert [str(c.label) in head for c in asked] == [True, True]
    assert "≥ 20 ha" in head and "≥ 10 MW" in head
    flen = re.search(rf'<tr data-class="no_match"[^>]*>.*?<label for="k-{kommun_a.pk}">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="match-[a-z-]+"><span aria-hidden="true">.</span> ([A-Za-z ]+)</td>', flen)
    assert cells == ["Match", "No match"]  # area met, power not: a word with each icon
    # The reasons are one click away, in a disclosure.
    assert re.search(r"<details><summary>Reasons.*?Needs 10 MW — Flen Stora has 2 MW", flen, re.S)
    assert Kommun.objects.members().count() == len(re.findall(r"<tr data-class=", html))


def test_a_new_criterion_becomes_a_column(monkeypatch, staff, kommun_a):
    workforce = criteria.Criterion(
        key="workforce",
        inquiry_field="planned_jobs",
        site_field="area_ha",
        compare=criteria.at_least,
        tolerance=D("0.5"),
        label="Workforce",
        unit="ha",
        reasons={"other": "Needs %(need)s ha"},
    )
    monkeypatch.setattr(criteria, "CRITERIA", [*criteria.CRITERIA, workforce])
    SiteFactory(kommun=kommun_a, area_ha=100)
    inquiry = InquiryFactory(planned_jobs=30, responsible=staff)
    head = re.search(r"<thead>.*?</thead>", page(client_for(staff), inquiry), re.S).group(0)
    assert "Workforce" in head and "≥ 30 ha" in head


# --- "Select matching only", "clear" and the filters, without JavaScript -----------------------


def test_select_matching_only_ticks_exactly_the_matching_kommuner(staff, rated, kommun_a, kommun_b, third):
    client = client_for(staff)
    html = page(client, rated, "?select=matching")
    assert ticked(html) == {kommun_a.pk}
    assert len(boxes(html)) == Kommun.objects.members().count()  # nothing hidden, only unticked
    assert ticked(page(client, rated, "?select=none")) == set()
    assert ticked(page(client, rated, "?select=bogus")) == {kommun_a.pk, kommun_b.pk, third.pk}


def test_select_matching_only_ignores_kommuner_already_sent_to(staff, rated, kommun_a, kommun_b):
    SiteFactory(kommun=kommun_b, name="Värmdö Stora", area_ha=40)  # Värmdö matches too now
    client = client_for(staff)
    client.post(rated.get_absolute_url(), {"kommuner": [kommun_a.pk], "confirm": "on"})
    html = page(client, rated, "?select=matching")
    assert ticked(html) == {kommun_b.pk} and kommun_a.pk not in boxes(html)


def test_the_filters_show_matching_near_or_all_and_one_lan(staff, rated, kommun_a, kommun_b, third):
    client = client_for(staff)
    assert boxes(page(client, rated, "?visa=match")) == {kommun_a.pk}
    assert boxes(page(client, rated, "?visa=near")) == {kommun_a.pk, third.pk}
    assert len(boxes(page(client, rated, "?visa=all"))) == Kommun.objects.members().count()
    assert len(boxes(page(client, rated, "?visa=nonsense"))) == Kommun.objects.members().count()
    lan = kommun_a.lan
    in_lan = set(Kommun.objects.members().filter(lan=lan).values_list("pk", flat=True))
    assert boxes(page(client, rated, f"?lan={lan.code}")) == in_lan
    assert boxes(page(client, rated, f"?lan={lan.code}&visa=match&select=matching")) == {kommun_a.pk}
    assert ticked(page(client, rated, f"?lan={lan.code}&visa=match&select=matching")) == {kommun_a.pk}


def test_a_filtered_page_sends_only_to_what_it_shows(staff, rated, kommun_a, kommun_b):
    # Posting Värmdö from a page filtered to matching kommuner: not a choice there, nothing is sent.
    response = client_for(staff).post(
        rated.get_absolute_url() + "?visa=match", {"kommuner": [kommun_b.pk], "confirm": "on"}
    )
    assert response.status_code == 200
    assert not Dispatch.objects.exists()


# --- Sending: one confirmation, errors at the top and beside the field -------------------------


def test_one_confirmation_sends(staff, rated, kommun_a, third):
    ContactFactory(kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF, email="nlc@flen.example")
    client = client_for(staff)
    html = page(client, rated)
    assert "data-confirm" not in re.search(r'<div class="send-panel.*?</div>\s*</form>', html, re.S).group(0)
    assert html.count('name="confirm"') == 1
    response = client.post(rated.get_absolute_url(), {"kommuner": [kommun_a.pk, third.pk], "confirm": "on"})
    assert response.status_code == 302
    assert set(Dispatch.objects.values_list("kommun_id", flat=True)) == {kommun_a.pk, third.pk}
    assert Message.objects.filter(kind="inquiry_dispatched", to="nlc@flen.example").count() == 1


def test_a_missing_confirmation_sends_nothing_and_says_where(staff, rated, kommun_a, third):
    response = client_for(staff).post(rated.get_absolute_url(), {"kommuner": [kommun_a.pk, third.pk]})
    assert response.status_code == 200
    assert not Dispatch.objects.exists() and not Message.objects.exists()
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#confirm-send">Kryssa i rutan för att bekräfta utskicket.</a>' in summary
    # ... and beside the field, which points at it.
    assert re.search(r'id="confirm-error">.*?Kryssa i rutan för att bekräfta utskicket.', html, re.S)
    assert 'aria-describedby="confirm-error"' in html
    # The choice is kept for the second try.
    assert ticked(html) == {kommun_a.pk, third.pk}


def test_no_kommun_chosen_links_to_the_first_box(staff, rated):
    response = client_for(staff).post(rated.get_absolute_url(), {"confirm": "on"})
    assert response.status_code == 200 and not Dispatch.objects.exists()
    html = response.content.decode()
    first = response.context["rows"][0]["rating"].kommun_id
    assert f'<a href="#k-{first}">Välj minst en kommun.</a>' in html


# --- Answers: cards only for kommuner that answered ---------------------------------------------


def test_answers_side_by_side_only_for_kommuner_that_answered(staff, rated, kommun_a, third):
    from inquiries.models import Answer

    client = client_for(staff)
    client.post(rated.get_absolute_url(), {"kommuner": [kommun_a.pk, third.pk], "confirm": "on"})
    answered = Dispatch.objects.get(kommun=kommun_a)
    waiting = Dispatch.objects.get(kommun=third)
    Answer.objects.create(dispatch=answered, decision="interested", offer="Mark finns vid E20.")
    html = page(client, rated)
    assert f'class="card h-100 answer-card" id="dispatch-{answered.pk}"' in html
    assert f'class="card h-100 answer-card" id="dispatch-{waiting.pk}"' not in html
    assert re.search(rf'<li id="dispatch-{waiting.pk}">.*?inte öppnad än', html, re.S)
    assert "Mark finns vid E20." in html
    assert reverse("inquiries:dispatch_action", args=[waiting.pk, "shortlist"]) not in html


# --- Access --------------------------------------------------------------------------------------


def test_only_staff_see_or_use_the_page(personas, rated, kommun_a):
    url = rated.get_absolute_url()
    for name, user in personas.items():
        client = client_for(user)
        for query in ("", "?select=matching", "?visa=match&lan=04"):
            response = client.get(url + query)
            if name in ("staff", "admin"):
                assert response.status_code == 200, name
            elif user is None:
                assert response.status_code == 302 and "/konto/login/" in response["Location"], name
            else:
                assert response.status_code == 404, name
        if name not in ("staff", "admin"):
            response = client.post(url, {"kommuner": [kommun_a.pk], "confirm": "on"})
            assert response.status_code in (302, 404), name
            assert not Dispatch.objects.exists(), name


def test_sector_column_when_the_inquiry_names_a_sector(staff, kommun_a):
    sector = Sector.objects.first()
    profile = KommunProfile.objects.create(kommun=kommun_a)
    profile.wanted_sectors.add(sector)
    inquiry = InquiryFactory(responsible=staff, sector=sector, req_area_ha=None)
    html = page(client_for(staff), inquiry)
    head = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert "Bransch" in head and str(sector) in head
