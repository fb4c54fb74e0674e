"""The staff overview: Invest Stockholm's start page. Thin: parse input, call selectors, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from members import access, cache
from members.cache import Topic

from . import measures, selectors


@access.staff_required
def index(request: HttpRequest) -> HttpResponse:
    """Staff start page: today's work first (key figures and short lists) with the map beside it,
    then the region's figures."""
    measure_key = request.GET.get("measure", "")
    measure = measures.measure(measure_key)
    # Both parts are the same for all staff: each is cached until a write to what it is built from
    # (or midnight) and computed only on a miss.
    work = SimpleLazyObject(
        lambda: {
            **selectors.staff_overview(),
            "panels": {p.key: ctx for p in selectors.PANELS if (ctx := p.context(request)) is not None},
        }
    )
    region = SimpleLazyObject(lambda: {**selectors.region_figures(), **selectors.region_map(measure_key=measure_key)})
    return render(
        request,
        "overview/index.html",
        {
            "work": work,
            "work_fragment": cache.fragment(
                "staff-work", topics=(Topic.DIALOG, Topic.USERS, Topic.REGISTER, *selectors.PANEL_TOPICS), by_date=True
            ),
            "region": region,
            "region_fragment": cache.fragment(
                "staff-region",
                measure.key,
                topics=(*selectors.REGION_TOPICS, *measure.topics),
                by_date=True,
                cacheable=set(request.GET) <= {"measure"} and measure_key in {"", measure.key},
            ),
        },
    )
