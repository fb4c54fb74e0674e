"""NKI pages through real views: what each page says, exports, languages (access per persona and
export: tests/test_access_crawler.py)."""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Contact, Population
from nki.models import NkiResult, ReferenceValue, ServiceArea
from tests.conftest import client_for
from tests.factories import ContactFactory

from .conftest import make_results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("past_rosters")]  # averages of 2022–2024


def add(code, year, area_code, nki, answers=None, **extra) -> NkiResult:
    from members.models import Kommun

    return NkiResult.objects.create(
        kommun=Kommun.objects.get(code=code),
        year=year,
        area=ServiceArea.objects.get(code=area_code),
        nki=Decimal(str(nki)),
        answers=answers,
        **extra,
    )


@pytest.fixture
def results(db):
    # Flen (A, member) and Värmdö (B, member) and Kiruna (not a member).
    add("0482", 2022, "totalt", 70.0, 120)
    add("0482", 2023, "totalt", 76.0, 130)
    add("0482", 2024, "totalt", 74.0, 125)
    add("0482", 2023, "bygglov", 61.4, 8)
    add("0482", 2023, "serveringstillstand", 90.0, 5)
    add("0120", 2023, "totalt", 71.0, 300)
    add("0120", 2023, "bygglov", 66.0, 40)
    add("2584", 2023, "totalt", 80.0, 60)
    add("2584", 2023, "bygglov", 58.0, 25)


def test_unknown_kommun_or_area_is_404(staff):
    client = client_for(staff)
    assert client.get(reverse("nki:kommun", args=["9999"])).status_code == 404
    assert client.get(reverse("nki:area", args=["ingenting"])).status_code == 404


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") :]))


def test_overview_shows_bands_with_words_averages_and_rank(user_a, results):
    response = client_for(user_a).get(reverse("nki:index"), {"year": 2023, "scope": "all"})
    text = text_of(response)
    assert "NKI 2023" in text
    # Flen's Totalt 76,0 is "högt" (Swedish default), with its answers.
    assert re.search(r"Flen SBA 1 76,0 högt 130 svar", text), text
    assert "61,4 lågt osäker: få svar 8 svar" in text  # < 10 answers flagged
    assert "90,0 för få svar 5 svar" in text  # < 7 greyed with a word, no band
    assert "nki-too-few" in response.content.decode()
    # SBA average of Totalt over Flen and Värmdö: (76 + 71) / 2 = 73,5; national falls back to none
    # computed (3 kommuner < 100) and no reference for 2023 → "–".
    assert "SBA-snitt 73,5 2 kommuner" in text
    assert "Kiruna" in text


def test_overview_filters_and_sorting(user_a, results):
    client = client_for(user_a)
    members = text_of(client.get(reverse("nki:index"), {"year": 2023}))
    assert "Flen" in members and "Kiruna" not in members  # members only by default
    by_lan = text_of(client.get(reverse("nki:index"), {"year": 2023, "scope": "all", "lan": "25"}))
    assert "Kiruna" in by_lan and "Värmdö" not in by_lan
    Population.objects.create(kommun_id=results_kommun_id("0120"), year=2024, population=48000)
    Population.objects.create(kommun_id=results_kommun_id("0482"), year=2024, population=16900)
    medium = text_of(client.get(reverse("nki:index"), {"year": 2023, "size": "medium", "scope": "all"}))
    assert "Värmdö" in medium and "Flen (" not in medium and " Flen " not in medium
    ascending = text_of(client.get(reverse("nki:index"), {"year": 2023, "scope": "all", "sort": "bygglov"}))
    assert ascending.index("Kiruna") < ascending.index("Flen") < ascending.index("Värmdö")
    descending = text_of(client.get(reverse("nki:index"), {"year": 2023, "scope": "all", "sort": "-bygglov"}))
    assert descending.index("Värmdö") < descending.index("Flen") < descending.index("Kiruna")


def results_kommun_id(code):
    from members.models import Kommun

    return Kommun.objects.get(code=code).pk


def test_kommun_page_trend_flags_significance_and_method_break(user_b, results):
    response = client_for(user_b).get(reverse("nki:kommun", args=["0482"]))
    html = response.content.decode()
    text = text_of(response)
    # 2022 → 2023: 70 (n=120, ±3.9) → 76 (n=130, ±3.8): [66.1, 73.9] vs [72.2, 79.8] overlap.
    assert "+6,0 inom felmarginalen" in text
    # 2023 → 2024 crosses the Totalt method break: not compared, and the break is explained.
    assert "Metodbyte:" in text and "inte jämförbart" in text
    assert "1,96 × 22 / √(antal svar)" in text
    # Three kommuner are too few for a national average: 2022 shows Kolada's published 74,6. SBA's
    # own published 76 for 2022 stands beside the computed 70,0 and is flagged (6 apart, not rounding).
    assert re.search(
        r"2022 70,0 högt 120 svar .*? 70,0 SBA publicerat: 76 skiljer sig från SBA:s siffra 74,6 \(Kolada\)", text
    ), text
    # The chart reads a JSON data island; no inline script anywhere.
    assert 'id="nki-chart-data" type="application/json"' in html
    assert "nki/js/charts.js" in html and "vendor/chartjs/chart.umd.min.js" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert 'id="nki-chart-totalt"' in html and "<caption>" in html


def test_kommun_page_significant_change_with_given_intervals(staff):
    add("0482", 2020, "bygglov", 60.0, 200, ci_low=Decimal("58.0"), ci_high=Decimal("62.0"))
    add("0482", 2021, "bygglov", 66.0, 200, ci_low=Decimal("64.0"), ci_high=Decimal("68.0"))
    text = text_of(client_for(staff).get(reverse("nki:kommun", args=["0482"])))
    assert "+6,0 signifikant" in text
    assert "64,0–68,0" in text


def test_area_page_correlation_and_improvers_with_nki_contact_only(user_b):
    codes = ["0482", "0120", "0114", "0115", "0117", "0123"]
    for i, code in enumerate(codes):
        add(code, 2020, "bygglov", 60 + i, 30)
        add(code, 2023, "bygglov", 60 + 3 * i, 30, effektivitet=Decimal(50 + 2 * i))
    ContactFactory(
        kommun_id=results_kommun_id("0123"), role=Contact.Role.NKI, name="Nora Nki", email="nora@jarfalla.example"
    )
    ContactFactory(
        kommun_id=results_kommun_id("0123"), role=Contact.Role.KSO, name="Kim Kso", email="kso@jarfalla.example"
    )
    # Kiruna is not an SBA member: its larger rise is in the table but not among the improvers.
    add("2584", 2020, "bygglov", 50, 30)
    add("2584", 2023, "bygglov", 70, 30)

    response = client_for(user_b).get(reverse("nki:area", args=["bygglov"]), {"year": 2023})
    text = text_of(response)
    # effektivitet = 50 + 2i and NKI = 60 + 3i: a perfect line, r = 1,00 over 6 kommuner.
    assert "Effektivitet 1,00 mycket stark 6" in text
    assert "Information – inte tillräckligt med data 0" in text
    # Järfälla (0123) rose most: 65 → 75 (+10), shown with its NKI contact; the KSO is not shown.
    assert re.search(r"Järfälla \+10,0 \(2020: 65,0 → 75,0\) Nora Nki, nora@jarfalla.example", text), text
    assert "kso@jarfalla.example" not in response.content.decode()
    # The table and chart show SBA's members by default; Kiruna (not a member) only on request.
    assert "Kiruna" not in text
    text_all = text_of(client_for(user_b).get(reverse("nki:area", args=["bygglov"]), {"year": 2023, "scope": "all"}))
    assert "Kiruna +20,0" not in text_all and "Kiruna 70,0" in text_all


def test_exports_csv_and_excel(staff, results):
    client = client_for(staff)
    response = client.get(reverse("nki:area", args=["bygglov"]), {"year": 2023, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="nki-bygglov-2023.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig").splitlines()
    assert body[0].startswith("Kommunkod;Kommun;SBA-medlem;")
    assert "0120;Värmdö;ja;1;66,0;40;" in body[1]

    response = client.get(reverse("nki:index"), {"year": 2023, "scope": "all", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Kommunkod", "Kommun", "Län", "SBA-medlem", "Rang i SBA")
    flen = next(r for r in rows if r[1] == "Flen")
    assert flen[5:7] == (76.0, 130)


def test_exported_csv_imports_back(staff, results):
    from nki import services

    # The export is the table as filtered: every kommun with scope=all (members only by default).
    url = reverse("nki:area", args=["bygglov"])
    content = client_for(staff).get(url, {"year": 2023, "scope": "all", "export": "csv"}).content
    report = services.nki_import(content=content, file_name="nki-bygglov.csv", area_code="bygglov", year=2023)
    assert report.ok and report.unchanged == 3 and not report.changed


def test_kommun_page_panel_shows_latest_complete_nki_against_sba(user_a, results):
    # 2023 and 2024 hold one or two of the 56 members and no national figure: preliminary. 2022 is
    # complete (Kolada's national reference 74,6 is stored), so the panel reads 2022.
    response = client_for(user_a).get(reverse("members:kommun_detail", args=["0482"]))
    text = text_of(response)
    assert "NKI 2022" in text and "Totalt 70,0 högt 120 svar 70,0" in text
    assert "Preliminära resultat för 2024 finns" in text and "NKI 2024" not in text
    assert reverse("nki:kommun", args=["0482"]) in response.content.decode()
    # Once 2024 has a national figure it is complete, and the latest.
    ReferenceValue.objects.create(
        area=ServiceArea.objects.get(code="totalt"), year=2024, source=ReferenceValue.Source.NATIONAL, value=75
    )
    text = text_of(client_for(user_a).get(reverse("members:kommun_detail", args=["0482"])))
    assert "NKI 2024" in text and "Totalt 74,0 högt 125 svar 74,0" in text and "Preliminära" not in text


def test_pages_in_english(user_a, results):
    client = client_for(user_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = text_of(client.get(reverse("nki:index"), {"year": 2023}))
    assert "76.0 high 130 answers" in text and "SBA average 73.5" in text
    text = text_of(client.get(reverse("nki:kommun", args=["0482"])))
    assert "Method break:" in text and "+6.0 within the margin" in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert "Metodbyte:" in text_of(client.get(reverse("nki:kommun", args=["0482"])))


def test_empty_store_says_what_to_do(staff, user_a):
    assert "Importera den första filen." in text_of(client_for(staff).get(reverse("nki:index")))
    assert "Inga NKI-resultat ännu." in text_of(client_for(user_a).get(reverse("nki:index")))
    assert "Inga NKI-resultat för kommunen ännu." in text_of(
        client_for(user_a).get(reverse("nki:kommun", args=["0482"]))
    )
    assert b"nki-panel-heading" not in client_for(user_a).get(reverse("members:kommun_detail", args=["0482"])).content


# --- Query budgets -------------------------------------------------------------------------------


def _count(client, url, params, budget):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members import cache

    client.get(url, params)  # warm-up: the first request of a session renews it (a write not counted)
    cache.retire_all()  # measured cold: every cached part built again, as after a write
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    assert len(queries) <= budget, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    return len(queries)


ALL_AREAS = ["totalt", "bygglov", "miljo-och-halsoskydd", "livsmedelskontroll", "serveringstillstand"]


# Every page starts with the session and the user: 2 queries before the page's own. (The session
# is renewed only every few minutes, so the budgets below leave room for that write.) Measured
# cold: + the years' completeness (distinct (year, kommun) pairs, memberships, national years).
@pytest.mark.parametrize(
    ("name", "url", "params", "budget"),
    [
        # + years, areas, län (filter), results of the year, their kommuner with län, the year's
        # periods and members, populations (size groups), national and SBA references, areas with
        # results (nav), the user's kommun (the "my kommun's NKI" link)
        ("overview", reverse("nki:index"), {"scope": "all"}, 17),
        ("overview members", reverse("nki:index"), {}, 17),
        # + kommun, areas, its years, its results (the shown years), the memberships (badge, who was
        # ever a member), populations, SBA (each year's members) / national / similar averages over
        # the shown years, periods, national and SBA references, method breaks, nav areas, the
        # user's kommun
        ("kommun", reverse("nki:kommun", args=["0482"]), {}, 18),
        ("kommun all years", reverse("nki:kommun", args=["0482"]), {"years": "all"}, 18),
        # + area, years, results of the year with kommun, the year's periods and members, national and
        # SBA reference, earlier results, NKI contacts of the improvers, nav areas, the user's kommun
        ("area", reverse("nki:area", args=["bygglov"]), {}, 17),
        ("area all", reverse("nki:area", args=["bygglov"]), {"scope": "all"}, 17),
        # the members kommun page with its own queries, plus the panel's latest year, results, SBA
        # average over that year's members and the periods; premises beside sites; coming activities
        ("panel", reverse("members:kommun_detail", args=["0482"]), {}, 20),
    ],
)
def test_query_count_does_not_grow_with_kommuner_and_years(user_a, name, url, params, budget):
    client = client_for(user_a)
    make_results(["0482", "0120", "2584"], [2022, 2023], ALL_AREAS)
    # 2023 complete through a national figure, as 2025 is below through 150 kommuner: both pages
    # open on a complete year with an earlier year to compare with.
    ReferenceValue.objects.create(
        area=ServiceArea.objects.get(code="bygglov"), year=2023, source=ReferenceValue.Source.NATIONAL, value=70
    )
    few = _count(client, url, params, budget)
    NkiResult.objects.all().delete()
    from members.models import Kommun

    codes = [*list(Kommun.objects.values_list("code", flat=True)[:150]), "0482", "0120", "2584"]
    make_results(codes, list(range(2016, 2026)), ALL_AREAS)
    ContactFactory.create_batch(5, kommun_id=results_kommun_id("0120"), role=Contact.Role.NKI)
    many = _count(client, url, params, budget)
    assert few == many, (name, few, many)


def test_kommun_page_shows_the_latest_years_and_all_on_request(staff):
    """The page shows the kommun's newest KOMMUN_PAGE_YEARS years (its cost must not grow with
    history); the first shown year's change is still from the year before it; a link shows all
    years, and the export always holds every year."""
    from nki import constants

    years = list(range(2010, 2010 + constants.KOMMUN_PAGE_YEARS + 2))  # two years before the window
    for i, year in enumerate(years):
        add("0482", year, "totalt", 50 + 3 * i, 400, ci_low=Decimal(49 + 3 * i), ci_high=Decimal(51 + 3 * i))
        add("0120", year, "totalt", 70, 300)
    first = years[2]
    client = client_for(staff)
    url = reverse("nki:kommun", args=["0482"])
    page = client.get(url).content.decode()
    shown = re.findall(r'<th scope="row">(\d{4})', page)
    assert shown == [str(y) for y in years[2:]]
    assert f"{url}?years=all" in page
    text = text_of(client.get(url))
    assert "Visa alla år (2 till)" in text
    # The first shown year compared with the hidden year before it: +3,0, outside both intervals.
    assert re.search(rf"{first} 56,0 [^+]*\+3,0 signifikant", text)
    every = client.get(url, {"years": "all"}).content.decode()
    assert re.findall(r'<th scope="row">(\d{4})', every) == [str(y) for y in years]
    assert f'href="{url}"' in every
    export = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert all(f";{y};" in export for y in years)


def test_kommun_page_query_count_with_few_and_many_years(staff):
    """The same queries with 2 years, with more years than the page shows, and with all of them
    (the queries are named in test_query_count_does_not_grow_with_kommuner_and_years)."""
    client = client_for(staff)
    url = reverse("nki:kommun", args=["0482"])
    codes = ["0482", "0120", "2584", "0114"]
    make_results(codes, [2024, 2025], ALL_AREAS)
    few = _count(client, url, {}, 18)
    NkiResult.objects.all().delete()
    make_results(codes, list(range(2006, 2026)), ALL_AREAS)
    many = _count(client, url, {}, 18)
    every = _count(client, url, {"years": "all"}, 18)
    assert few == many == every


def test_area_factor_and_improver_tables_export(staff):
    codes = ["0482", "0120", "0114", "0115", "0117", "0123"]
    for i, code in enumerate(codes):
        add(code, 2020, "bygglov", 60 + i, 30)
        add(code, 2023, "bygglov", 60 + 3 * i, 30, effektivitet=Decimal(50 + 2 * i))
    ContactFactory(kommun_id=results_kommun_id("0123"), role=Contact.Role.NKI, name="Nora Nki", email="nora@j.example")
    client = client_for(staff)
    url = reverse("nki:area", args=["bygglov"])
    factors = client.get(url, {"year": 2023, "table": "factors", "export": "csv"}).content.decode("utf-8-sig")
    assert "Effektivitet;1,0;mycket stark;6" in factors
    sheet = load_workbook(io.BytesIO(client.get(url, {"year": 2023, "table": "improvers", "export": "xlsx"}).content))
    rows = list(sheet.active.iter_rows(values_only=True))
    assert rows[1][:2] == ("0123", "Järfälla") and rows[1][5] == 10.0 and rows[1][6:] == ("Nora Nki", "nora@j.example")


def test_numbers_as_each_language_writes_them(user_a):
    add("0180", 2023, "totalt", 76.3, 12345)
    client = client_for(user_a)
    response = client.get(reverse("nki:kommun", args=["0180"]))
    assert "12\xa0345 svar" in response.content.decode()  # a no-break space between thousands
    assert "76,3 högt 12 345 svar" in text_of(response)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "76.3 high 12,345 answers" in text_of(client.get(reverse("nki:kommun", args=["0180"])))
