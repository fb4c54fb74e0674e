"""The region map colours by any kommun fact: one MapMeasure per fact, per comparable figure, and
population growth, each member in the band of its fifth, the value with its year in the title."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from members.models import Kommun, KommunFact
from overview import measures
from tests.conftest import client_for

from .test_overview_page import map_classes, parse_map

pytestmark = pytest.mark.django_db


def test_every_fact_is_a_map_measure():
    keys = {m.key for m in measures.MEASURES}
    assert {"population_growth", "fact_edu_post_secondary", "figure_companies_per_1000"} <= keys


def test_the_map_colours_by_a_fact_in_fifths(staff):
    members = list(Kommun.objects.members().order_by("code")[:10])
    for rank, kommun in enumerate(members):
        KommunFact.objects.create(kommun=kommun, key="edu_post_secondary", year=2024, value=D(30 + rank), source="SCB")
    response = client_for(staff).get(reverse("overview:index") + "?measure=fact_edu_post_secondary")
    classes = map_classes(parse_map(response.content.decode()))
    assert classes[members[0].code] == "map-band-1" and classes[members[-1].code] == "map-band-5"
    rows = {k.code: v for k, v in response.context["region"]["map_rows"]}
    assert rows[members[-1].code].display == "39,0 % (2024)"


def test_population_growth_and_companies_per_thousand():
    flen = Kommun.objects.get(code="0482")
    for year, bands in ((2023, ("4000", "10000", "6000")), (2024, ("4100", "10200", "6100"))):
        for key, value in zip(("pop_0_19", "pop_20_64", "pop_65_plus"), bands, strict=True):
            KommunFact.objects.create(kommun=flen, key=key, year=year, value=D(value), source="SCB")
    KommunFact.objects.create(kommun=flen, key="companies", year=2024, value=D("2040"), source="SCB")
    growth = measures.population_growth_values([flen.pk])[flen.pk]
    assert growth.display == "2,0 % (2023–2024)"
    per_thousand = measures.measure("figure_companies_per_1000").values([flen.pk])[flen.pk]
    assert per_thousand.display == "100,0 (2024)"
