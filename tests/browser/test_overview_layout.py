"""The staff overview answers "what needs doing today" in about two screen heights at 1440×900
with the demo data, the map beside the lists; the NKI overview fits 1440 px without scrolling
sideways. Checked in Chromium (axe and CSP on every page, as in the journeys)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH, HEIGHT = 1440, 900
TWO_SCREENS = 2 * HEIGHT  # "about two screen heights"


# The outermost elements reaching past the right edge (what makes a page scroll sideways).
WIDEST = """
return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
  && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
"""


@pytest.fixture
def viewport(chromium):
    """A 1440×900 viewport for this test (the session's browser is put back afterwards)."""
    chromium.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )
    yield
    chromium.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("language", ["sv", "en"])
def test_overview_fits_two_screens_with_the_map_beside_the_lists(browser_for, viewport, demo_data, staff, language):
    b = browser_for(language)
    b.login_as(staff)
    b.visit("/oversikt/", f"overview-{WIDTH}")
    d = b.driver
    assert d.execute_script("return window.innerWidth") == WIDTH
    height = d.execute_script("return document.documentElement.scrollHeight")
    assert height <= TWO_SCREENS, f"the overview is {height} px tall at {WIDTH}×{HEIGHT}"
    # Today's work first: the key figures before anything else in the main part, at the top.
    figures = b.find(".key-figures")
    assert figures.location["y"] < HEIGHT / 3
    assert len(b.find_all(".key-figures > li")) == 4
    # The map beside the lists (two columns), not below them, and within the first screen.
    lists = b.find("#open-inquiries-heading")
    region_map = b.find("svg.region-map")
    assert region_map.location["x"] > lists.location["x"] + lists.size["width"] / 2
    assert region_map.location["y"] < HEIGHT
    # Each list is capped and links to its full list.
    assert len(b.find_all("#open-inquiries-heading ~ table tbody tr")) <= 5
    assert len(b.find_all("#follow-ups-heading ~ table tbody tr")) <= 5


def test_nki_overview_fits_1440_without_scrolling_sideways(browser_for, viewport, demo_data, staff):
    b = browser_for("sv")
    b.login_as(staff)
    for path in ("/nki/", "/nki/?scope=all"):
        b.visit(path, "nki-overview")
        d = b.driver
        scroll = d.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= WIDTH, f"{path} is {scroll} px wide at {WIDTH} px: " + str(d.execute_script(WIDEST))
        table = b.find("table.nki-overview-table")
        wrapper = table.find_element("xpath", "..")
        assert table.size["width"] <= wrapper.size["width"] + 1, "the table scrolls inside its wrapper"
    assert b.find("#nki-ranked-chart svg.bar-chart")
