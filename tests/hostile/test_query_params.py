"""Every query parameter of every page that reads one (filters, sort, page, period, …) with
arbitrary values: never a server error.

The pages are found at collection time from the view source (a view that reads request.GET); their
parameters from the view source and, at run time, from the filter forms the page binds to the query
string, plus the usual names any list might read.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ..conftest import client_for
from . import strategies
from .conftest import HOSTILE, RULES, catalogue, entitled, project_patterns, query_params_in_source, view_source

pytestmark = pytest.mark.django_db

COMMON = {"page", "sort", "q", "year", "area", "kommun", "status", "order", "period", "measure", "next"}

READS_QUERY = sorted(
    name for name, _route in project_patterns() if RULES[name].method == "GET" and "request.GET" in view_source(name)
)


def test_the_list_pages_are_found():
    # The known list pages must be among them, or the discovery above has stopped working.
    assert {"members:kommun_list", "inquiries:index", "outbox:log", "overview:dialog:list"} <= set(READS_QUERY)


@pytest.mark.parametrize("name", READS_QUERY)
def test_arbitrary_query_parameters(world, personas, name):
    rule = RULES[name]
    params = COMMON | query_params_in_source(view_source(name)) | catalogue(world, personas).filter_params[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    clients = {p: client_for(personas[p]) for p in entitled(rule)}

    @HOSTILE
    @given(persona=st.sampled_from(sorted(clients)), query=strategies.query(params))
    def get(persona, query):
        response = clients[persona].get(url, query)
        assert response.status_code < 500

    get()
