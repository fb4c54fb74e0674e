"""The benchmark's pieces that live in the product: the floor URL is off, the data set still fits.

The benchmark itself (bench/run.py, `make bench`) is a program, not a test; these keep it from
rotting: its generator runs against the current models at a tiny size, and every key page it loads
answers 200 with the same number of queries it is reported with.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench import dataset
from members.models import Kommun, User

from .conftest import client_for

pytestmark = pytest.mark.django_db

TINY = dataset.Size("tiny", inquiries=6, dispatches_per_inquiry=3, dialog_entries=12, nki_years=2, maturity_years=2)


def test_the_floor_view_exists_only_in_the_benchmark(client):
    assert settings.BENCH_FLOOR is False
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert client.get("/bench-floor/").status_code == 404


def test_the_generated_data_set_serves_every_key_page():
    counts = dataset.generate(TINY)
    assert counts["inquiries"] == 6
    assert counts["dialog_entries"] == 12
    staff = User.objects.filter(role=User.Role.STAFF, email__endswith="@bench.example").first()
    member = Kommun.objects.members().order_by("code").first()
    kommun_user = User.objects.filter(kommun=member).first()
    from bench.worker import _pages

    for page in _pages():
        client = client_for(staff if page["user"] == "staff" else kommun_user)
        client.get(page["url"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["url"])
        assert response.status_code == 200, page
        assert len(queries) < 25, (page, len(queries))


def test_the_signed_in_floor_exists_only_in_the_benchmark(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor_signed_in")
    assert client.get("/bench-floor/signed-in/").status_code == 404


def test_the_cold_mode_makes_every_request_a_first_reader(settings):
    """CACHE_FRAGMENTS_OFF (the benchmark's cold mode): each request gets fresh keys, as the first
    reader after a write that retired every topic, and reuses within itself what it built."""
    from members import cache
    from members.cache import Topic

    built = []

    def build():
        built.append(1)
        return len(built)

    settings.CACHE_FRAGMENTS_OFF = True
    cache.cold_request()
    assert cache.get_or_build("bench-test", topics=(Topic.NKI,), build=build) == 1
    assert cache.get_or_build("bench-test", topics=(Topic.NKI,), build=build) == 1  # same request
    first = cache.fragment("bench-test", topics=(Topic.NKI,))["fragment_key"]
    cache.cold_request()  # the next request
    assert cache.get_or_build("bench-test", topics=(Topic.NKI,), build=build) == 2
    assert cache.fragment("bench-test", topics=(Topic.NKI,))["fragment_key"] != first
