"""The printable reports: one A4 page as PDF, SVG charts that say the data's numbers, access.

The report on the demo's data is in test_report_pdf_demo.py (the demo loaded once for its tests).
"""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse

from members import pdf
from overview.models import DialogKind
from overview.reports import charts, palette
from overview.reports.value_report import entry_label
from tests.conftest import client_for
from tests.factories import DialogEntryFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _pages(response) -> int:
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return len(pypdf.PdfReader(io.BytesIO(response.content)).pages)


def _pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize(
    ("kind", "title", "label"),
    [
        (DialogKind.VISIT, "Besök i kommunen: mark och lokaler", "Besök i kommunen: mark och lokaler"),
        (DialogKind.VISIT, "besök i kommunen", "Besök i kommunen"),
        (DialogKind.VISIT, "", "Besök i kommunen"),
        (DialogKind.MEETING, "Avstämning", "Möte: Avstämning"),
    ],
)
def test_entry_label_names_the_kind_once(kind, title, label, kommun_a):
    entry = DialogEntryFactory(kind=kind, title=title, kommuner=[kommun_a])
    assert entry_label(entry) == label


# --- Access: the PDFs answer exactly as their pages ----------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("user_b", 404), ("user_outside", 404), ("user_a", 200), ("staff", 200), ("admin", 200)],
)
def test_report_pdf_is_access_checked_like_the_page(personas, kommun_a, persona, status):
    client = client_for(personas[persona])
    for name in ("overview:reports:kommun", "overview:reports:kommun_pdf"):
        response = client.get(reverse(name, args=[kommun_a.code]))
        assert response.status_code == status, name
        if status == 302:
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        if status == 200 and name.endswith("_pdf"):
            assert _pages(response) >= 1


@pytest.mark.parametrize("persona", ["user_a", "staff"])
def test_a_kommun_user_gets_no_pdf_of_another_kommun(personas, kommun_b, persona):
    response = client_for(personas[persona]).get(reverse("overview:reports:kommun_pdf", args=[kommun_b.code]))
    assert response.status_code == (404 if persona == "user_a" else 200)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("user_b", 200), ("user_outside", 200), ("user_a", 200), ("staff", 200)],
)
def test_region_pdf_is_access_checked_like_the_page(personas, persona, status):
    for name in ("overview:reports:region", "overview:reports:region_pdf"):
        assert client_for(personas[persona]).get(reverse(name)).status_code == status, name


def test_unknown_period_pdf_is_refused_with_a_message(user_a, kommun_a):
    url = reverse("overview:reports:kommun_pdf", args=[kommun_a.code])
    response = client_for(user_a).get(url + "?period=year-1850", follow=True)
    assert response.redirect_chain[0][0] == reverse("overview:reports:kommun", args=[kommun_a.code])
    assert "Perioden finns inte" in response.content.decode()


def test_report_pdf_keeps_a_fixed_number_of_queries(user_a, kommun_a, django_assert_max_num_queries):
    url = reverse("overview:reports:kommun_pdf", args=[kommun_a.code]) + "?period=year-2025"
    client = client_for(user_a)
    client.get(url)
    # As the page (test_reports.test_report_keeps_a_fixed_number_of_queries); rendering reads none.
    with django_assert_max_num_queries(26) as few:
        client.get(url)
    for i in range(30):
        DialogEntryFactory(kind=DialogKind.VISIT, date=D(2025, 7, 1 + i % 28), kommuner=[kommun_a])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- The PDF renderer fetches the portal's static files and nothing else (no SSRF) --------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/static/overview/css/report.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{pdf.BASE_URL}media/attachment.pdf",
        f"{pdf.BASE_URL}static/../../sba_portal/settings.py",
        f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/sba_portal/settings.py",
        f"{pdf.BASE_URL}static/no/such/file.css",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf.StaticFilesOnly().fetch(url)


def test_the_pdf_fetcher_serves_the_reports_stylesheet():
    response = pdf.StaticFilesOnly().fetch(f"{pdf.BASE_URL}static/overview/css/report.css")
    assert response.content_type == "text/css" and b"@page" in response.read()


def test_a_document_naming_other_hosts_renders_without_fetching_them(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<link rel="stylesheet" href="/static/overview/css/report.css"></head>'
        '<body><img src="http://169.254.169.254/a.png"><img src="file:///etc/hostname">'
        '<p style="background: url(https://example.com/b.png)">x</p></body></html>'
    )
    assert pdf.render_pdf(html).startswith(b"%PDF-")


# --- One palette ---------------------------------------------------------------------------------


def test_the_stylesheet_has_the_palettes_colours():
    css = (Path(settings.BASE_DIR) / "overview/static/overview/css/report.css").read_text()
    for key, colour in palette.OKABE_ITO.items():
        assert f"{palette.css_name(key)}: {colour};" in css
    for level in palette.LEVEL:
        assert f"--level-{level}: var(--oi-" in css


@pytest.mark.parametrize(("rate", "band"), [(None, None), (0, "low"), (49, "low"), (50, "middle"), (80, "high")])
def test_answer_rate_bands(rate, band):
    assert palette.answer_rate_band(rate) == band


def test_column_heights_are_proportional_on_a_round_axis():
    chart = charts.column_chart(
        key="c",
        title="t",
        description="d",
        series=[charts.Series("a", "A", "#000000"), charts.Series("b", "B", "#E69F00")],
        groups=[("2025", {"a": 3, "b": 6}), ("2026", {"a": 0, "b": 9})],
    )
    heights = {(r.group, r.series): r.height for r in chart.rects}
    assert heights[("2025", "b")] == pytest.approx(2 * heights[("2025", "a")], abs=0.02)
    assert heights[("2026", "b")] == pytest.approx(3 * heights[("2025", "a")], abs=0.02)
    assert heights[("2026", "a")] == 0
    assert [t.text for t in chart.texts if t.css == "tick"] == ["0", "5", "10"]  # axis 0–10


def test_bar_chart_leaves_a_missing_value_out_and_says_so():
    chart = charts.bar_chart(
        key="n",
        title="t",
        description="d",
        series=[charts.Series("kommun", "K", "#0072B2"), charts.Series("sba", "S", "#E69F00")],
        rows=[("Totalt", {"kommun": Decimal("50.0"), "sba": None})],
    )
    assert [(r.series, r.value) for r in chart.rects] == [("kommun", 50.0)]
    assert "–" in [t.text for t in chart.texts]


def test_a_long_area_name_is_shortened_beside_the_bars_only():
    name = "Miljö- och hälsoskydd samt livsmedelskontroll"
    chart = charts.bar_chart(
        key="n",
        title="t",
        description=f"{name}: 70,0",
        series=[charts.Series("kommun", "K", "#0072B2")],
        rows=[(name, {"kommun": Decimal("70.0")})],
    )
    label = next(t.text for t in chart.texts if t.css == "label")
    assert len(label) == charts.LABEL_CHARS and label.endswith("…") and name.startswith(label[:-1])
    assert chart.rects[0].group == name and name in chart.description
