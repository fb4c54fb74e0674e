"""What the kommun facts are (FACTS, the one list), and the fact sheet built from them.

A fact is a dated figure per kommun (members.models.KommunFact; no kommun: Sweden as a whole):
its key, label, unit, the group it is shown in, and how the region's figure is made from the
members' (`sum` for counts, `mean` for shares and distances). The region is the kommuner that
were SBA members in the fact's year (members.roster); a year without a recorded member list has no
region figure and says so.

Comparable figures (`KEY_FIGURES`: shares, per 1,000 inhabitants) are computed from the facts, so a
kommun, the region and the country can stand side by side. Each function takes a fixed number of
queries whatever the number of kommuner or years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import roster
from .models import Kommun, KommunFact

SUM, MEAN = "sum", "mean"


@dataclass(frozen=True)
class Fact:
    key: str  # stored in KommunFact.key: never rename
    label: object  # lazy text
    unit: str  # "people", "companies", "%", "km"
    group: str  # a key of GROUPS
    aggregate: str = SUM
    aliases: tuple[str, ...] = ()  # how SCB tables and Kolada name it (lower case), for imports


GROUPS = {
    "population": _("Population"),
    "companies": _("Companies and workplaces"),
    "employment": _("Employment by sector"),
    "education": _("Education"),
    "commuting": _("Commuting"),
    "distances": _("Distances"),
}

FACTS: list[Fact] = [
    Fact("pop_0_19", _("Inhabitants 0–19 years"), "people", "population", aliases=("0-19 år", "folkmängd 0-19 år")),
    Fact(
        "pop_20_64",
        _("Inhabitants 20–64 years (working age)"),
        "people",
        "population",
        aliases=("20-64 år", "folkmängd 20-64 år", "förvärvsaktiv ålder"),
    ),
    Fact("pop_65_plus", _("Inhabitants 65 years and over"), "people", "population", aliases=("65+ år", "65- år")),
    Fact("companies", _("Companies"), "companies", "companies", aliases=("antal företag", "företag")),
    Fact("workplaces_0_9", _("Workplaces with 0–9 employees"), "workplaces", "companies", aliases=("0-9 anställda",)),
    Fact(
        "workplaces_10_49",
        _("Workplaces with 10–49 employees"),
        "workplaces",
        "companies",
        aliases=("10-49 anställda",),
    ),
    Fact(
        "workplaces_50_plus",
        _("Workplaces with 50 employees or more"),
        "workplaces",
        "companies",
        aliases=("50+ anställda", "50- anställda"),
    ),
    Fact(
        "employed_industry",
        _("Employed in industry and construction"),
        "people",
        "employment",
        aliases=("tillverkning och bygg", "industri och bygg"),
    ),
    Fact(
        "employed_private_services",
        _("Employed in private services"),
        "people",
        "employment",
        aliases=("privata tjänster",),
    ),
    Fact(
        "employed_public",
        _("Employed in the public sector"),
        "people",
        "employment",
        aliases=("offentlig sektor", "offentliga tjänster"),
    ),
    Fact(
        "edu_post_secondary",
        _("Post-secondary education, share of 25–64 year-olds"),
        "%",
        "education",
        aggregate=MEAN,
        aliases=("eftergymnasial utbildning", "eftergymnasial utbildning, andel (%)"),
    ),
    Fact("commute_in", _("Commuting in"), "people", "commuting", aliases=("inpendlare", "inpendling")),
    Fact("commute_out", _("Commuting out"), "people", "commuting", aliases=("utpendlare", "utpendling")),
    Fact(
        "km_airport",
        _("Distance to the nearest airport"),
        "km",
        "distances",
        MEAN,
        ("avstånd till flygplats", "flygplats"),
    ),
    Fact("km_port", _("Distance to the nearest port"), "km", "distances", MEAN, ("avstånd till hamn", "hamn")),
    Fact(
        "km_rail",
        _("Distance to the nearest rail freight terminal"),
        "km",
        "distances",
        MEAN,
        ("avstånd till kombiterminal", "kombiterminal", "järnvägsterminal"),
    ),
    Fact(
        "km_motorway",
        _("Distance to the nearest motorway"),
        "km",
        "distances",
        MEAN,
        ("avstånd till motorväg", "motorväg"),
    ),
]
BY_KEY = {fact.key: fact for fact in FACTS}
AGE_BANDS = ("pop_0_19", "pop_20_64", "pop_65_plus")
WORKPLACE_SIZES = ("workplaces_0_9", "workplaces_10_49", "workplaces_50_plus")
SECTORS = ("employed_industry", "employed_private_services", "employed_public")

# Kolada KPI ids that name a fact. An assumption to verify against kolada.se before relying on it;
# a Kolada file may also name the fact key itself as its kpi.
KOLADA_KPIS = {
    "N01951": "pop_20_64",
    "N00914": "companies",
    "N01982": "edu_post_secondary",
}


def fact_for_name(name: str) -> Fact | None:
    """The fact a column, variable or KPI names: its key, label (either language) or an alias."""
    text = " ".join(name.strip().lower().split())
    if text in BY_KEY:
        return BY_KEY[text]
    if text.upper() in KOLADA_KPIS:
        return BY_KEY[KOLADA_KPIS[text.upper()]]
    for fact in FACTS:
        if text in fact.aliases:
            return fact
    return None


# --- Comparable figures ----------------------------------------------------------------------------


def _total(values: dict) -> Decimal | None:
    bands = [values.get(key) for key in AGE_BANDS]
    return sum(bands) if all(v is not None for v in bands) else None


def _share(key: str) -> Callable[[dict], Decimal | None]:
    def figure(values: dict) -> Decimal | None:
        total = _total(values)
        return None if not total or values.get(key) is None else 100 * values[key] / total

    return figure


def _per_thousand(key: str) -> Callable[[dict], Decimal | None]:
    def figure(values: dict) -> Decimal | None:
        total = _total(values)
        return None if not total or values.get(key) is None else 1000 * values[key] / total

    return figure


def _net_commuting(values: dict) -> Decimal | None:
    total = _total(values)
    if not total or values.get("commute_in") is None or values.get("commute_out") is None:
        return None
    return 1000 * (values["commute_in"] - values["commute_out"]) / total


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: object
    unit: str
    reads: tuple[str, ...]  # the facts it is computed from
    compute: Callable[[dict], Decimal | None] = field(compare=False)


KEY_FIGURES = [
    KeyFigure("population", _("Inhabitants"), "people", AGE_BANDS, _total),
    KeyFigure("working_age_share", _("Share of working age (20–64)"), "%", AGE_BANDS, _share("pop_20_64")),
    KeyFigure(
        "companies_per_1000",
        _("Companies per 1,000 inhabitants"),
        "per 1,000",
        (*AGE_BANDS, "companies"),
        _per_thousand("companies"),
    ),
    KeyFigure(
        "post_secondary",
        _("Post-secondary education (25–64)"),
        "%",
        ("edu_post_secondary",),
        lambda values: values.get("edu_post_secondary"),
    ),
    KeyFigure(
        "net_commuting",
        _("Net commuting per 1,000 inhabitants"),
        "per 1,000",
        (*AGE_BANDS, "commute_in", "commute_out"),
        _net_commuting,
    ),
]


# --- Reading ---------------------------------------------------------------------------------------


@dataclass
class FactValue:
    fact: Fact
    year: int
    value: Decimal
    source: str
    pk: int | None = None


@dataclass
class Column:
    """One column of a fact sheet: a kommun, the region or the country, its latest value per fact."""

    label: str
    values: dict[str, FactValue] = field(default_factory=dict)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # region: key → (with a value, members)
    missing: dict[str, str] = field(default_factory=dict)  # region: key → why there is no figure

    def value(self, key: str) -> Decimal | None:
        found = self.values.get(key)
        return found.value if found else None

    def year_of(self, keys: tuple[str, ...]) -> int | None:
        years = {self.values[k].year for k in keys if k in self.values}
        return max(years) if years else None

    def figure(self, figure: KeyFigure) -> Decimal | None:
        return figure.compute({k: self.value(k) for k in figure.reads})


def _latest(rows) -> dict[str, FactValue]:
    latest: dict[str, FactValue] = {}
    for row in rows:
        fact = BY_KEY.get(row.key)
        if fact and (row.key not in latest or row.year > latest[row.key].year):
            latest[row.key] = FactValue(fact, row.year, row.value, row.source, row.pk)
    return latest


def kommun_facts(kommun: Kommun) -> list[KommunFact]:
    """Every fact of the kommun, every year (one query): the staff's list to edit."""
    return list(KommunFact.objects.filter(kommun=kommun).order_by("key", "-year"))


def _region_column(years_by_key: dict[str, int], label: str) -> Column:
    """The members' figure per fact in the given year: sum or mean over that year's members
    (roster: two queries; the members' facts: one)."""
    column = Column(label)
    if not years_by_key:
        return column
    rosters = roster.rosters_for_years(set(years_by_key.values()))
    rows = KommunFact.objects.filter(
        kommun__isnull=False, key__in=list(years_by_key), year__in=set(years_by_key.values())
    ).only("kommun_id", "key", "year", "value", "source")
    by_key: dict[str, list[KommunFact]] = defaultdict(list)
    for row in rows:
        if years_by_key.get(row.key) == row.year and row.kommun_id in rosters[row.year]:
            by_key[row.key].append(row)
    for key, year in years_by_key.items():
        members = rosters[year]
        if not members.recorded:
            column.missing[key] = members.missing_message
            continue
        found = by_key.get(key, [])
        if not found:
            continue
        total = sum(row.value for row in found)
        value = total if BY_KEY[key].aggregate == SUM else total / len(found)
        sources = sorted({row.source for row in found})
        column.values[key] = FactValue(BY_KEY[key], year, value, "; ".join(sources))
        column.coverage[key] = (len(found), len(members.member_ids))
    return column


def _country_column(label: str) -> Column:
    return Column(label, _latest(KommunFact.objects.filter(kommun__isnull=True)))


def fact_sheet(kommun: Kommun | None) -> dict:
    """The columns of a fact sheet: the kommun's latest facts, the region's for the same years and
    the country's (five queries). With no kommun: the region's own sheet, for the latest year of
    each fact among the members."""
    if kommun is not None:
        own = Column(kommun.name, _latest(KommunFact.objects.filter(kommun=kommun)))
        years = {key: value.year for key, value in own.values.items()}
    else:
        latest_years = dict(
            KommunFact.objects.filter(kommun__isnull=False)
            .order_by("key", "year")
            .values_list("key", "year")
            .distinct()
        )
        own, years = None, latest_years
    region = _region_column(years, str(_("The SBA region")))
    country = _country_column(str(_("Sweden")))
    columns = [c for c in (own, region, country) if c is not None]
    main = own or region
    groups = []
    for group, title in GROUPS.items():
        rows = [
            {
                "fact": fact,
                "own": main.values.get(fact.key),
                "cells": [c.values.get(fact.key) for c in columns],
                "coverage": region.coverage.get(fact.key),
                "missing": region.missing.get(fact.key, ""),
            }
            for fact in FACTS
            if fact.group == group
        ]
        if any(row["own"] for row in rows):
            groups.append({"key": group, "title": title, "rows": rows})
    key_figures = [
        {"figure": f, "cells": [c.figure(f) for c in columns], "year": main.year_of(f.reads)} for f in KEY_FIGURES
    ]
    return {
        "kommun": kommun,
        "columns": columns,
        "groups": groups,
        "key_figures": key_figures,
        "charts": _charts(columns),
        "has_facts": bool(main.values),
    }


# --- Charts (server-rendered SVG, the numbers as a table beside them) -----------------------------

CHART_WIDTH, BAR_HEIGHT, LABEL_WIDTH, GAP = 560, 14, 190, 6


def _shares(column: Column, keys: tuple[str, ...]) -> list[Decimal | None]:
    values = [column.value(k) for k in keys]
    if any(v is None for v in values) or not sum(values):
        return [None] * len(keys)
    total = sum(values)
    return [100 * v / total for v in values]


def _chart(key: str, title, keys: tuple[str, ...], columns: list[Column]) -> dict | None:
    """A horizontal bar chart of shares (%) per category, one bar per column (kommun, region,
    country), with the same numbers as rows for the table."""
    shares = [_shares(c, keys) for c in columns]
    if all(s[0] is None for s in shares):
        return None
    plot = CHART_WIDTH - LABEL_WIDTH - 50
    bars, y = [], 10
    rows = []
    for index, fact_key in enumerate(keys):
        category = {"label": BY_KEY[fact_key].label, "y": y + BAR_HEIGHT, "bars": []}
        for number, column in enumerate(columns):
            share = shares[number][index]
            width = 0 if share is None else float(share) / 100 * plot
            category["bars"].append(
                {
                    "x": LABEL_WIDTH,
                    "y": y,
                    "width": round(width, 1),
                    "text_x": round(LABEL_WIDTH + width + 4, 1),
                    "share": share,
                    "series": number,
                    "column": column.label,
                }
            )
            y += BAR_HEIGHT + 2
        y += GAP * 2
        bars.append(category)
        rows.append({"label": BY_KEY[fact_key].label, "shares": shares_row(shares, index)})
    return {
        "key": key,
        "title": title,
        "categories": bars,
        "rows": rows,
        "height": y + 4,
        "width": CHART_WIDTH,
        "columns": [c.label for c in columns],
    }


def shares_row(shares: list[list], index: int) -> list:
    return [s[index] for s in shares]


def _charts(columns: list[Column]) -> list[dict]:
    charts = [
        _chart("age", _("Inhabitants by age, share (%)"), AGE_BANDS, columns),
        _chart("workplaces", _("Workplaces by size, share (%)"), WORKPLACE_SIZES, columns),
        _chart("sectors", _("Employment by sector, share (%)"), SECTORS, columns),
    ]
    return [c for c in charts if c]


# --- For the map (overview.measures) --------------------------------------------------------------


def latest_by_kommun(kommun_ids: list[int], keys: tuple[str, ...]) -> dict[int, dict[str, list[FactValue]]]:
    """For each kommun, per fact key, its values newest year first (one query)."""
    found: dict[int, dict[str, list[FactValue]]] = defaultdict(lambda: defaultdict(list))
    for row in KommunFact.objects.filter(kommun_id__in=kommun_ids, key__in=keys).order_by("-year"):
        found[row.kommun_id][row.key].append(FactValue(BY_KEY[row.key], row.year, row.value, row.source, row.pk))
    return found
