"""NkiYearCoverage (which kommuner and areas have results in which year, each area's sum and count
of NKI values) stays equal to what the results say after every path that writes them: the import,
model saves and deletes, the admin, QuerySet.delete(), a kommun's cascade, the bulk loaders, and
the migrations that fill it."""

from __future__ import annotations

import importlib
import io
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bench import dataset
from members import cache, roster
from members.models import Kommun
from nki import demo as nki_demo
from nki import selectors, services, signals
from nki.models import NkiResult, NkiYearCoverage, ServiceArea
from tests.conftest import client_for
from tests.nki.conftest import csv_bytes, make_results

pytestmark = pytest.mark.django_db

KOMMUNER = ["0482", "0120", "2584", "0180"]


def from_results() -> dict[int, tuple[list[int], list[int], dict]]:
    """The coverage as the results themselves say it (what the summary must equal)."""
    kommuner, areas = defaultdict(set), defaultdict(set)
    sums: dict[int, dict[str, list]] = defaultdict(dict)
    for year, kommun_id, area_id, nki in NkiResult.objects.values_list("year", "kommun_id", "area_id", "nki"):
        kommuner[year].add(kommun_id)
        areas[year].add(area_id)
        total, n = sums[year].get(str(area_id), ["0.0", 0])
        sums[year][str(area_id)] = [str(Decimal(total) + nki), n + 1]
    return {year: (sorted(kommuner[year]), sorted(areas[year]), sums[year]) for year in kommuner}


def stored() -> dict[int, tuple[list[int], list[int], dict]]:
    return {row.year: (row.kommun_ids, row.area_ids, row.area_sums) for row in NkiYearCoverage.objects.all()}


def assert_consistent() -> None:
    assert stored() == from_results()


def file(rows: list[list]) -> bytes:
    return csv_bytes([["Kommun", "År", "Myndighetsområde", "NKI", "Antal svar"], *rows])


def test_import_of_a_new_year_a_reimport_and_a_partial_year(staff):
    content = file([["Flen", 2024, "Totalt", 70.0, 50], ["Värmdö", 2024, "Bygglov", 60.0, 30]])
    assert services.nki_import(content=content, file_name="a.csv", user=staff).created == 2
    assert_consistent()
    assert set(stored()) == {2024}

    # The same file again changes nothing; a corrected value changes the year's sum only.
    services.nki_import(content=content, file_name="a.csv", user=staff)
    services.nki_import(content=file([["Flen", 2024, "Totalt", 71.0, 50]]), file_name="b.csv", user=staff)
    assert_consistent()
    totalt = ServiceArea.objects.get(code="totalt")
    assert NkiYearCoverage.objects.get(year=2024).mean(totalt.pk) == (Decimal("71.0"), 1)

    # More kommuner and another area for the same year, and an older year beside it.
    more = file(
        [["Kiruna", 2024, "Totalt", 65.0, 40], ["Flen", 2024, "Bygglov", 62.0, 20], ["Flen", 2020, "Totalt", 68.0, 50]]
    )
    services.nki_import(content=more, file_name="c.csv", user=staff)
    assert_consistent()
    assert len(stored()[2024][0]) == 3 and len(stored()[2024][1]) == 2


def test_a_preview_writes_no_coverage(staff):
    services.nki_import(content=file([["Flen", 2024, "Totalt", 70.0, 50]]), file_name="a.csv", dry_run=True)
    assert stored() == {}


def test_model_save_and_delete_keep_it(kommun_a, kommun_b):
    total = ServiceArea.objects.get(code="totalt")
    result = NkiResult.objects.create(kommun=kommun_a, year=2022, area=total, nki=Decimal("70"))
    other = NkiResult.objects.create(kommun=kommun_b, year=2022, area=total, nki=Decimal("71"))
    assert_consistent()

    result.year = 2023  # moved to another year: both years recomputed
    result.save()
    assert_consistent()
    assert stored()[2022][0] == [kommun_b.pk] and stored()[2023][0] == [kommun_a.pk]

    result.nki = Decimal("72")  # a value alone: nothing to change
    result.save()
    other.delete()
    assert_consistent()
    assert 2022 not in stored()  # a year without results has no row


def test_queryset_delete_and_a_kommuns_cascade_keep_it():
    make_results(KOMMUNER, [2021, 2022, 2023], ["totalt", "bygglov"])
    assert_consistent()
    NkiResult.objects.filter(year=2022, area__code="bygglov").delete()
    assert_consistent()
    NkiResult.objects.filter(year=2021).delete()
    assert_consistent()
    Kommun.objects.get(code="2584").delete()  # cascades to its results
    assert_consistent()
    NkiResult.objects.all().delete()
    assert stored() == {}


def test_deleting_many_rows_recomputes_each_year_once(monkeypatch):
    make_results(KOMMUNER, [2021, 2022], ["totalt", "bygglov", "livsmedelskontroll"])
    rows = NkiResult.objects.count()
    calls = []
    original = services.coverage_refresh

    def counting(*, years):
        calls.append(sorted(years))
        original(years=years)

    monkeypatch.setattr(signals, "coverage_refresh", counting)
    NkiResult.objects.all().delete()
    assert rows == 24 and sorted(calls) == [[2021], [2022]]
    assert stored() == {}


def test_the_same_queryset_deleted_twice_recomputes_again(kommun_a):
    total = ServiceArea.objects.get(code="totalt")
    queryset = NkiResult.objects.filter(year=2022)
    NkiResult.objects.create(kommun=kommun_a, year=2022, area=total, nki=Decimal("70"))
    queryset.delete()
    NkiResult.objects.create(kommun=kommun_a, year=2022, area=total, nki=Decimal("70"))
    assert_consistent()
    queryset.delete()
    assert stored() == {}


def test_admin_change_and_delete_keep_it(admin_user, kommun_a, kommun_b):
    total = ServiceArea.objects.get(code="totalt")
    result = NkiResult.objects.create(kommun=kommun_a, year=2022, area=total, nki=Decimal("70"))
    NkiResult.objects.create(kommun=kommun_b, year=2022, area=total, nki=Decimal("70"))
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:nki_nkiresult_change", args=[result.pk]),
        {"kommun": kommun_a.pk, "year": 2019, "area": total.pk, "nki": "70.0", "source": "manual"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_consistent()
    assert stored()[2019][0] == [kommun_a.pk]

    response = client.post(
        reverse("admin:nki_nkiresult_changelist"),
        {"action": "delete_selected", "_selected_action": [result.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert_consistent()
    assert 2019 not in stored()


def test_the_migration_fills_it_from_the_stored_results():
    make_results(KOMMUNER, [2020, 2023], ["totalt", "bygglov"])
    NkiYearCoverage.objects.all().delete()
    importlib.import_module("nki.migrations.0004_year_coverage").fill(apps, None)
    importlib.import_module("nki.migrations.0005_year_coverage_sums").fill(apps, None)
    assert_consistent()


def test_statuses_and_year_lists_equal_those_from_the_raw_results(kommun_a):
    make_results(KOMMUNER, [2019, 2020], ["totalt"])
    make_results(KOMMUNER[:2], [2021], ["bygglov"])
    NkiResult.objects.create(kommun=kommun_a, year=2022, area=ServiceArea.objects.get(code="totalt"), nki=70)
    cache.retire_all()
    statuses = selectors.year_statuses()
    spans = roster.Spans()
    for year, (kommun_ids, _area_ids, _sums) in from_results().items():
        members = spans.in_year(year) or spans.on(timezone.localdate())
        assert statuses[year].kommuner == len(kommun_ids)
        assert statuses[year].members_with_results == len(members & set(kommun_ids))
    assert set(statuses) == set(from_results())
    assert selectors.years_with_results() == [2022, 2021, 2020, 2019]
    bygglov = ServiceArea.objects.get(code="bygglov")
    assert selectors.years_with_results(bygglov) == sorted(
        set(NkiResult.objects.filter(area=bygglov).values_list("year", flat=True)), reverse=True
    )
    with_2022 = selectors.year_status_with(2022, {Kommun.objects.get(code="0120").pk})
    assert with_2022.kommuner == 2


def test_the_demo_and_bench_loaders_keep_it(monkeypatch):
    monkeypatch.setattr(nki_demo, "YEARS", range(2023, 2025))  # bulk_create for 290 kommuner, two years
    nki_demo.load()
    assert_consistent()
    NkiResult.objects.all().delete()
    kommuner = list(Kommun.objects.filter(code__in=KOMMUNER))
    dataset._nki(dataset.Size("test", 0, 0, 0, nki_years=2, maturity_years=0), random.Random(1), kommuner)
    assert_consistent()
    assert len(stored()) == 2


def test_the_command_repairs_coverage_after_results_were_changed_outside_the_portal():
    make_results(KOMMUNER[:2], years=[2021, 2022], area_codes=["bygglov"])
    # A hand edit with SQL (no signals): a year's results moved, another year's row invented.
    NkiResult.objects.filter(year=2022).update(year=2019)
    NkiYearCoverage.objects.create(year=2030, kommun_ids=[1], area_ids=[1])
    assert stored() != from_results()
    out = io.StringIO()
    call_command("nki_coverage_refresh", stdout=out)
    assert stored() == from_results()
    assert set(stored()) == {2019, 2021}
    assert "4 years" in out.getvalue()


def test_the_kommun_pages_national_average_equals_the_mean_of_the_results():
    """The NKI kommun page's national average is read from the years' sums: the same figure as the
    mean of every kommun's stored value (rounded half up to one decimal), after a correction too."""
    from django.db.models import Avg

    codes = list(Kommun.objects.order_by("code").values_list("code", flat=True)[:110])
    make_results(codes, [2022, 2023, 2024], ["totalt", "bygglov"])
    flen = Kommun.objects.get(code="0482")
    changed = NkiResult.objects.filter(year=2023, area__code="bygglov").exclude(kommun=flen).first()
    changed.nki = Decimal("99.9")
    changed.save()  # a model save: the signal recomputes 2023
    data = selectors.kommun_nki(kommun=flen)
    seen = 0
    for trend in data.trends:
        for point in trend.points:
            raw = NkiResult.objects.filter(year=point.year, area=trend.area).aggregate(avg=Avg("nki"))["avg"]
            assert point.national.value == selectors._round(raw) and not point.national.from_reference
            assert point.national.n == NkiResult.objects.filter(year=point.year, area=trend.area).count()
            seen += 1
    assert seen == 6
