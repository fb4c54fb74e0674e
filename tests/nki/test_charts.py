"""The NKI charts: built from the same rows as the tables beside them, coloured by the one palette;
the area page shows SBA's members by default and every kommun on request."""

from decimal import Decimal

import pytest
from django.urls import reverse

from members import palette
from members.models import Kommun
from nki import stats
from tests.conftest import client_for

from .test_pages import add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("past_rosters")]


@pytest.fixture
def year_2023(db):
    """Totalt 2023: Flen 76 (member), Värmdö 71 (member), Österåker 83 (member), Kiruna 80 (not)."""
    add("0482", 2023, "totalt", 76.0, 130)
    add("0120", 2023, "totalt", 71.0, 300)
    add("0117", 2023, "totalt", 83.0, 90)
    add("2584", 2023, "totalt", 80.0, 60)
    add("0482", 2023, "bygglov", 61.4, 40)
    add("2584", 2023, "bygglov", 58.0, 25)


def _step(value) -> int:
    return palette.NKI_BAND_STEP[stats.grade_band(Decimal(str(value))).code]


def test_overview_chart_ranks_the_members_of_the_table_with_their_bands(user_a, year_2023):
    response = client_for(user_a).get(reverse("nki:index"), {"year": 2023, "scope": "all"})
    data, chart = response.context["data"], response.context["chart"]()
    index = next(i for i, a in enumerate(data.areas) if a.is_total)
    table = {row.kommun.name: row.cells[index].value for row in data.rows if row.is_member}
    # The bars are the table's members, highest first, with the table's values and bands.
    assert [(b.label, b.value) for b in chart.bars] == sorted(
        ((name, float(v)) for name, v in table.items()), key=lambda item: -item[1]
    )
    assert [b.label for b in chart.bars] == ["Österåker", "Flen", "Värmdö"]  # Kiruna is not a member
    assert [b.step for b in chart.bars] == [_step(83), _step(76), _step(71)] == [5, 4, 4]
    assert [b.display for b in chart.bars] == ["83,0", "76,0", "71,0"]
    # The SBA and national averages as lines, the same figures as the table's average rows.
    assert chart.references[0].value == float(data.sba[index].value) == 76.7
    page = response.content.decode()
    assert 'id="nki-ranked-chart"' in page and 'class="bar pal-fill-5"' in page
    assert "Diagrammets siffror som tabell" in page  # the chart's own table, one click away


def test_area_page_shows_members_by_default_and_every_kommun_on_request(user_a, year_2023):
    url = reverse("nki:area", args=["totalt"])
    members = client_for(user_a).get(url, {"year": 2023})
    rows = members.context["data"].rows
    assert [(k.code, member) for k, member, _c, _r, _u in rows] == [("0117", True), ("0482", True), ("0120", True)]
    assert members.context["data"].kommuner_with_values == 4
    chart = members.context["chart"]
    assert [(b.label, b.value) for b in chart.bars] == [(k.name, float(c.value)) for k, _m, c, _r, _u in rows]
    assert [b.url for b in chart.bars] == [reverse("nki:kommun", args=[k.code]) for k, *_rest in rows]
    assert "Kiruna" not in members.content.decode()

    everyone = client_for(user_a).get(url, {"year": 2023, "scope": "all"})
    codes = [k.code for k, *_rest in everyone.context["data"].rows]
    assert codes == ["0117", "2584", "0482", "0120"]  # highest first, Kiruna among them
    assert [b.label for b in everyone.context["chart"].bars] == ["Österåker", "Kiruna", "Flen", "Värmdö"]
    outside = client_for(user_a).get(url, {"year": 2023, "scope": "non_members"})
    assert [k.code for k, *_rest in outside.context["data"].rows] == ["2584"]
    # An unknown scope reads as the default: members.
    odd = client_for(user_a).get(url, {"year": 2023, "scope": "<x>"})
    assert [k.code for k, *_rest in odd.context["data"].rows] == ["0117", "0482", "0120"]


def test_area_chart_of_every_kommun_is_the_members_when_too_many(user_a):
    from nki.charts import AREA_CHART_MAX

    codes = list(Kommun.objects.order_by("code").values_list("code", flat=True)[: AREA_CHART_MAX + 10])
    for i, code in enumerate(codes):
        add(code, 2023, "bygglov", 60 + i % 30, 50)
    response = client_for(user_a).get(reverse("nki:area", args=["bygglov"]), {"year": 2023, "scope": "all"})
    rows, chart = response.context["data"].rows, response.context["chart"]
    assert len(rows) == len(codes)
    member_names = [k.name for k, member, *_rest in rows if member]
    assert [b.label for b in chart.bars] == member_names[:AREA_CHART_MAX]


def test_overview_table_cells_read_as_before(user_a, year_2023):
    """The cell rendered in Python says what nki/includes/cell.html says: value, band, answers."""
    page = client_for(user_a).get(reverse("nki:index"), {"year": 2023}).content.decode()
    assert '<span class="nki-value">76,0</span> <span class="badge nki-band pal-bg-4">högt</span>' in page
    assert "130 svar" in page
