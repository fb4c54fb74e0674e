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
