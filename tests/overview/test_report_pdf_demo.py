"""The member value report on the demo (Flen, kommun A, has data in every section): as PDF within
two A4 pages that say what the page says, its charts drawing the report's numbers, NKI's year.

The demo is loaded once for the module (a rolled-back transaction around its tests); more dialog
entries are added so the lists are longer than any real quarter's.
"""

import datetime
import re
import time

import pytest
from django.db import transaction
from django.urls import reverse

from members.models import Kommun
from overview.models import DialogKind
from tests.conftest import KOMMUN_A, client_for
from tests.db_state import load_demo
from tests.factories import DialogEntryFactory

from .test_report_pdf import _pages, _pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module's tests in a transaction rolled back after the last
    one; each test runs in a savepoint inside it (pytest-django's `db`), so none sees another's
    changes. Loading the demo takes seconds: once, not once per test (tests/db_state.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        flen = Kommun.objects.get(code=KOMMUN_A)
        # Longer than the demo's lists: a busy year of meetings whose titles repeat their kind.
        for i in range(25):
            DialogEntryFactory(
                kind=DialogKind.VISIT, date=D(2026, 1 + i % 10, 1 + i), kommuner=[flen], title="Besök i kommunen"
            )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_data, kommun_a):
    return kommun_a


def test_demo_report_pdf_fits_two_pages_and_says_what_the_page_says(demo, staff):
    url = reverse("overview:reports:kommun_pdf", args=[demo.code])
    client = client_for(staff)
    client.get(url)  # warm: templates, fonts
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    print(f"member value report PDF: {elapsed:.2f} s, {len(response.content)} bytes")
    assert response.status_code == 200
    assert _pages(response) <= 2
    assert 'filename="sba-medlemsrapport-flen-period-' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response)
    page = client.get(reverse("overview:reports:kommun", args=[demo.code])).context
    received = next(c for t, c in page["sections"] if t.endswith("/inquiries.html"))["own"]["received"]
    assert "Flen i Stockholm Business Alliance" in text and "Mottagna förfrågningar" in text
    assert f"{received} SBA-förfrågningar" in " ".join(text.split())
    assert "Besök i kommunen: Besök i kommunen" not in text


def test_every_period_of_the_demo_report_fits_two_pages(demo, user_a):
    client = client_for(user_a)
    for key in ("year-2024", "year-2025", "year-2026"):
        response = client.get(reverse("overview:reports:kommun_pdf", args=[demo.code]) + f"?period={key}")
        assert response.status_code == 200 and _pages(response) <= 2, key
    region = client.get(reverse("overview:reports:region_pdf"))
    assert region.status_code == 200 and _pages(region) == 1
    assert 'filename="sba-regionrapport-period-' in region["Content-Disposition"]


def _rects(html: str, chart: str) -> list[dict]:
    svg = re.search(rf'data-chart="{chart}".*?</svg>', html, re.S).group(0)
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', m)) for m in re.findall(r"<rect (data-series[^>]*)/>", svg)]


def test_the_charts_draw_the_reports_numbers(demo, staff):
    response = client_for(staff).get(reverse("overview:reports:kommun", args=[demo.code]))
    html = response.content.decode()
    sections = {t.rsplit("/", 1)[-1].removesuffix(".html"): c for t, c in response.context["sections"]}
    inquiries, nki = sections["inquiries"], sections["nki"]
    # Inquiries: one bar per year and series; the bars add up to the period's figures.
    bars = _rects(html, "chart-inquiries")
    by_series = {s: [b for b in bars if b["data-series"] == s] for s in ("received", "answered", "won")}
    assert sum(float(b["data-value"]) for b in by_series["received"]) == inquiries["own"]["received"] > 0
    assert sum(float(b["data-value"]) for b in by_series["answered"]) == inquiries["own"]["answered"] > 0
    assert sum(float(b["data-value"]) for b in by_series["won"]) == len(inquiries["won"])
    # Heights proportional to the values (one scale for all bars), each value written beside it.
    ratios = {round(float(b["height"]) / float(b["data-value"]), 3) for b in bars if float(b["data-value"])}
    assert len(ratios) == 1
    assert [b["data-group"] for b in by_series["received"]] == ["2025", "2026"]
    # NKI: the kommun, SBA and national bars of each area are the table's values, on 0–100.
    nki_bars = _rects(html, "chart-nki")
    for row in nki["rows"]:
        drawn = {b["data-series"]: float(b["data-value"]) for b in nki_bars if b["data-group"] == row["area"].name}
        assert drawn["kommun"] == float(row["value"])
        if row["sba"] is not None:
            assert drawn["sba"] == float(row["sba"])
        if row["national"] is not None:
            assert drawn["national"] == float(row["national"])
    widths = {round(float(b["width"]) / float(b["data-value"]), 3) for b in nki_bars}
    assert len(widths) == 1
    total = nki["total"]
    assert f"{total['value']:.1f}".replace(".", ",") in html  # the value is written, Swedish style
    # Screen readers: a description with the numbers and a table beside each chart.
    assert 'role="img"' in html and '<desc id="chart-nki-desc">' in html
    assert html.count('class="sr-table"') == 2


def test_nki_shows_one_year_and_names_older_areas_apart(demo, staff):
    """The demo's Upphandling was last measured in 2019: never among the 2025 rows."""
    response = client_for(staff).get(reverse("overview:reports:kommun", args=[demo.code]) + "?period=year-2025")
    nki = next(c for t, c in response.context["sections"] if t.endswith("/nki.html"))
    assert nki["rows"] and {row["point"].year for row in nki["rows"]} == {nki["year"]}
    assert all(row["point"].year < nki["year"] for row in nki["older"])
    older = {row["area"].name: row["point"].year for row in nki["older"]}
    assert older.get("Upphandling") == 2019
    html = response.content.decode()
    assert "Upphandling (66,6 år 2019)" in html
    key = next(f for f in response.context["key_figures"] if f.key == "nki")
    assert str(nki["year"]) in key.label  # the key figure says its own year


def test_no_label_is_repeated(demo, staff):
    html = client_for(staff).get(reverse("overview:reports:kommun", args=[demo.code])).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    repeated = re.findall(r"([A-ZÅÄÖ][\wåäö -]{3,40}): \1", text)
    assert repeated == []
