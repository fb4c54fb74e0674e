"""The staff inquiry page in Chromium at 1440×900 with the register's 52 members (issue 14): the
match-and-send part fits in two screen heights, "select matching only" and "clear" work in the
page, a filter hides rows, one confirmation sends, and every state passes axe (conftest.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from inquiries import selectors
from inquiries.models import Dispatch, Inquiry
from members.models import Contact, Kommun, KommunProfile, Sector

from ..factories import ContactFactory, InquiryFactory, SiteFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.parametrize("language", ["sv", "en"]),
]

WIDTH, HEIGHT = 1440, 900
SCREENS = 2  # the decision part fits in two screen heights


@pytest.fixture
def wide(chromium):
    """The window at 1440×900 for one test; the session's browser is put back afterwards."""
    before = chromium.get_window_size()
    chromium.set_window_size(WIDTH, HEIGHT)
    # Headless Chromium's window is its viewport; make sure of it (a desktop window has chrome).
    inner = chromium.execute_script("return [window.innerWidth, window.innerHeight]")
    chromium.set_window_size(WIDTH + WIDTH - inner[0], HEIGHT + HEIGHT - inner[1])
    yield
    chromium.set_window_size(before["width"], before["height"])


@pytest.fixture
def region(staff):
    """52 members as in production: about half with a profile (sites, sectors), the rest with none;
    a draft inquiry asking for area, municipal land, power and a sector."""
    members = list(Kommun.objects.members().order_by("name"))
    assert len(members) == 52
    sector = Sector.objects.order_by("pk").first()
    for i, kommun in enumerate(members[:26]):
        profile = KommunProfile.objects.create(kommun=kommun, appetite=("near", "matching", "all")[i % 3])
        if i % 2:
            profile.wanted_sectors.add(sector)
        SiteFactory(
            kommun=kommun,
            name=f"{kommun.name} Verksamhetsområde",
            area_ha=Decimal(10 + (i * 7) % 30),
            ownership=("municipal", "mixed", "private")[i % 3],
            power_mw=Decimal(5 + i % 10),
        )
        ContactFactory(kommun=kommun, role=Contact.Role.NARINGSLIVSCHEF, email=f"nlc{i}@kommun.example")
    for i, kommun in enumerate(members[26:]):
        ContactFactory(kommun=kommun, role=Contact.Role.INVESTMENT, email=f"invest{i}@kommun.example")
    return InquiryFactory(
        code_name="Project Fjord",
        responsible=staff,
        sector=sector,
        req_area_ha=Decimal("20"),
        req_municipal_land=True,
        req_power_mw=Decimal("8"),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=10),
    )


def ticked(b) -> set[int]:
    return {int(x.get_attribute("value")) for x in b.find_all("input[name=kommuner]:checked")}


def test_the_match_and_send_part_fits_in_two_screens_and_sends_with_one_confirmation(
    browser_for, language, wide, staff, region
):
    b = browser_for(language)
    t = b.t
    b.login_as(staff)
    b.visit(region.get_absolute_url(), "inquiry-draft")

    rows = b.find_all("#match tbody tr")
    assert len(rows) == 52
    ratings = selectors.rate_members(region)
    matching_ids = {r.kommun_id for r in ratings if r.has_data and r.match_class == "match"}
    no_data_ids = {r.kommun_id for r in ratings if not r.has_data}
    assert matching_ids and len(no_data_ids) == 26
    assert not ticked(b) & no_data_ids  # never ticked without profile data

    # The decision part: starts on the first screen and ends (send button included) within two.
    top, height, button_bottom = b.driver.execute_script(
        "const s = document.querySelector('#match').getBoundingClientRect();"
        "const send = document.querySelector('#match .send-panel button[type=submit]').getBoundingClientRect();"
        "return [s.top + window.scrollY, s.height, send.bottom - s.top];"
    )
    total = b.driver.execute_script("return document.documentElement.scrollHeight")
    print(f"inquiry page at {WIDTH} px: {total} px; the match starts at {top:.0f} px, match and send {height:.0f} px")
    assert top < HEIGHT, f"the match starts {top:.0f} px down"
    assert height <= SCREENS * HEIGHT, f"match and send are {height:.0f} px tall at {WIDTH} px"
    assert button_bottom <= SCREENS * HEIGHT

    # The reasons are one click away.
    details = b.find("#match tbody tr[data-class] details")
    b.click(details.find_element("css selector", "summary"))
    assert details.get_attribute("open") is not None

    # "Select matching only" and "Clear" act in the page (no reload) and tick exactly these.
    page = b.find("html")
    b.click(b.find("[data-match-select=matching]"))
    assert ticked(b) == matching_ids
    assert b.find("[data-match-count]").text.startswith(str(len(matching_ids)) if len(matching_ids) != 1 else "1")
    b.click(b.find("[data-match-select=none]"))
    assert ticked(b) == set()
    assert page.is_enabled()  # still the same page: nothing was reloaded

    # The filter hides the rest (and their boxes are not sent).
    b.select("#match-show", value="match")
    shown = [row for row in b.find_all("#match tbody tr") if row.is_displayed()]
    assert len(shown) == len(matching_ids)
    b.select("#match-show", value="all")
    b.check_page("inquiry-filtered")

    # Send without confirming: nothing is sent; the error is at the top (focused) and beside the box.
    b.click(b.find("[data-match-select=matching]"))
    b.submit(b.button(t("Send to ticked kommuner")), "inquiry-unconfirmed")
    assert not Dispatch.objects.exists()
    summary = b.find(".error-summary")
    assert b.driver.switch_to.active_element == summary
    assert t("Tick the box to confirm the sending.") in summary.text
    assert t("Tick the box to confirm the sending.") in b.find("#confirm-error").text
    assert ticked(b) == matching_ids  # the choice is kept

    # One confirmation sends.
    b.click(b.find("#confirm-send"))
    b.submit(b.button(t("Send to ticked kommuner")), "inquiry-sent")
    assert set(Dispatch.objects.filter(inquiry=region).values_list("kommun_id", flat=True)) == matching_ids
    region.refresh_from_db()
    assert region.status == Inquiry.Status.SENT
    waiting = b.find("#answers-heading").find_element("xpath", "..")
    assert t("Not answered yet") in waiting.text
    assert not b.find_all(".answer-card")  # no cards (and no shortlist buttons) before an answer
