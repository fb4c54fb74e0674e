"""Plug-in points for figures that come from the feature apps (inquiries, nki).

overview/ stands above inquiries/ and nki/. Every place where the overview needs one of their
figures asks a registry here; overview/integrations.py registers the functions (from
overview/inquiry_figures.py and overview/nki_figures.py). A key nobody registered shows as
"not measured in the portal" instead of a guess. Each registered function must use a fixed
number of queries, whatever the number of kommuner it is asked about.

- evidence:      key → fn(kommun_ids) → {kommun_id: Evidence}       (maturity criteria)
- map_measures:  key → MapMeasure (values per kommun, classes, legend) (staff overview map)
- report_sections: key → ReportSection (a section of the member value report)
- kpi_actuals:   key → fn(period) → number | None                      (region report)
- overview_panels: key → OverviewPanel (a block on the staff overview)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest

from members import cache
from members.models import Kommun


@dataclass(frozen=True)
class Evidence:
    """What the portal's own data says about one criterion for one kommun.

    met: True / False, or None when the data cannot tell (e.g. no inquiries were sent).
    """

    value: str
    met: bool | None
    explanation: str


@dataclass(frozen=True)
class Period:
    """A reporting period: an agreement period or a calendar year (both ends included)."""

    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    key: str = ""  # the query-string value that selects it, e.g. "period-3" or "year-2025"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class MapValue:
    display: str  # shown in <title> and the table, e.g. "AKTIV" or "74,2"
    css_class: str  # one of the measure's legend classes
    sort: float | str = 0


@dataclass(frozen=True)
class MapMeasure:
    key: str
    label: Callable[[], str]
    values: Callable[[list[int]], dict[int, MapValue]]
    legend: Callable[[], list[tuple[str, str]]]  # [(css_class, words)], in order
    order: int = 100
    topics: tuple[str, ...] | None = None  # what values() reads (members/cache.py); None: never cached


@dataclass(frozen=True)
class ReportSection:
    key: str
    template: str
    context: Callable[[Kommun, Period], dict | None]
    order: int = 100


@dataclass(frozen=True)
class OverviewPanel:
    key: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100
    topics: tuple[str, ...] | None = None  # what context() reads (members/cache.py); None: never cached


EvidenceFn = Callable[[Iterable[int]], dict[int, Evidence]]
KpiFn = Callable[[Period], Decimal | int | float | None]


@dataclass
class _Registries:
    evidence: dict[str, EvidenceFn] = field(default_factory=dict)
    map_measures: dict[str, MapMeasure] = field(default_factory=dict)
    report_sections: dict[str, ReportSection] = field(default_factory=dict)
    kpi_actuals: dict[str, KpiFn] = field(default_factory=dict)
    overview_panels: dict[str, OverviewPanel] = field(default_factory=dict)


registries = _Registries()


def register_evidence(key: str, fn: EvidenceFn) -> None:
    registries.evidence[key] = fn


def register_map_measure(measure: MapMeasure) -> None:
    registries.map_measures[measure.key] = measure


def register_report_section(section: ReportSection) -> None:
    registries.report_sections[section.key] = section


def register_kpi_actual(key: str, fn: KpiFn) -> None:
    registries.kpi_actuals[key] = fn


def register_overview_panel(panel: OverviewPanel) -> None:
    registries.overview_panels[panel.key] = panel


def evidence_for(keys: Iterable[str], kommun_ids: Iterable[int]) -> dict[str, dict[int, Evidence]]:
    """{key: {kommun_id: Evidence}} for the keys that have a registered function (one call each)."""
    ids = list(kommun_ids)
    return {key: registries.evidence[key](ids) for key in set(keys) if key in registries.evidence}


def map_measures() -> list[MapMeasure]:
    return sorted(registries.map_measures.values(), key=lambda m: (m.order, m.key))


def report_sections() -> list[ReportSection]:
    return sorted(registries.report_sections.values(), key=lambda s: (s.order, s.key))


def overview_panels() -> list[OverviewPanel]:
    return sorted(registries.overview_panels.values(), key=lambda p: (p.order, p.key))


def overview_panel_topics() -> tuple[str, ...] | None:
    """Every topic the staff overview's panels are built from, or None if one of them does not say."""
    return cache.union_topics(registries.overview_panels.values())
