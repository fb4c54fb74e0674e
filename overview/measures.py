"""What the staff overview's region map can be coloured by: MEASURES, in the order of the picker.

A measure gives each member kommun a value (shown in the map's titles and its table) and a legend
class; each uses a fixed number of queries whatever the number of kommuner. Adding a measure: a
values function, a legend, one line in MEASURES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from inquiries import charts as inquiry_charts
from inquiries import selectors as inquiry_selectors
from members import facts, palette
from members.cache import Topic
from nki import constants as nki_constants
from nki import selectors as nki_selectors
from nki import stats as nki_stats

from .maturity.models import Level, Track
from .maturity.selectors import levels_by_kommun


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
    topics: tuple[Topic, ...]  # what values() reads (members/cache.py)


# --- Maturity per track --------------------------------------------------------------------------

# Colours from the one palette (members/palette.py), the same as the level badges and charts.
LEVEL_CLASS = {level: palette.fill(palette.LEVEL_STEP[level]) for level in Level}


def _maturity_measure(track: str) -> MapMeasure:
    def values(kommun_ids: list[int]) -> dict[int, MapValue]:
        levels = levels_by_kommun(kommun_ids)
        return {
            pk: MapValue(display=str(Level(levels[(pk, track)]).label), css_class=LEVEL_CLASS[levels[(pk, track)]])
            for pk in kommun_ids
            if (pk, track) in levels
        }

    def legend() -> list[tuple[str, str]]:
        return [(LEVEL_CLASS[level], str(level.label)) for level in Level]

    return MapMeasure(
        key=f"maturity_{track}",
        label=lambda: _("Maturity, %(track)s") % {"track": Track(track).label},
        values=values,
        legend=legend,
        topics=(Topic.MATURITY, Topic.REGISTER),
    )


# --- Answer rate on inquiries --------------------------------------------------------------------


def answer_rate_values(kommun_ids: list[int]) -> dict[int, MapValue]:
    result = {}
    for pk, f in inquiry_selectors.answer_figures_recent(kommun_ids).items():
        if not f["due"]:
            continue
        rate = round(100 * f["answered"] / f["due"])
        css = palette.fill(palette.answer_rate_step(rate))
        result[pk] = MapValue(display=f"{number_format(rate)} %", css_class=css, sort=rate)
    return result


def answer_rate_legend() -> list[tuple[str, str]]:
    return inquiry_charts.answer_rate_legend()  # the same words as the statistics page's chart


# --- Latest NKI totalt ---------------------------------------------------------------------------

# Map classes for the NKI grade bands (very high … very low): the palette's steps.
BAND_CLASS = {code: palette.fill(step) for code, step in palette.NKI_BAND_STEP.items()}


def nki_values(kommun_ids: list[int]) -> dict[int, MapValue]:
    values = {}
    for pk, result in nki_selectors.latest_totals(kommun_ids).items():
        band = nki_stats.grade_band(result.nki)
        values[pk] = MapValue(
            display=f"{number_format(result.nki, 1)} ({result.year})",
            css_class=BAND_CLASS[band.code],
            sort=float(result.nki),
        )
    return values


def nki_legend() -> list[tuple[str, str]]:
    bands = nki_constants.GRADE_BANDS
    legend = []
    for index, band in enumerate(bands):
        if index == 0:
            words = _("%(lower)d or more: %(label)s") % {"lower": band.lower, "label": band.label}
        elif band.lower == 0:
            words = _("under %(upper)d: %(label)s") % {"upper": bands[index - 1].lower, "label": band.label}
        else:
            words = _("%(lower)d–%(upper)d: %(label)s") % {
                "lower": band.lower,
                "upper": bands[index - 1].lower - 1,
                "label": band.label,
            }
        legend.append((BAND_CLASS[band.code], words))
    return legend


# --- Kommun facts (SCB, Kolada) ---------------------------------------------------------------------

FIFTH_CLASSES = ["map-band-1", "map-band-2", "map-band-3", "map-band-4", "map-band-5"]


def _in_fifths(raw: dict[int, tuple[float, str]]) -> dict[int, MapValue]:
    """Each kommun's value in the band of its fifth among the members shown (lowest: band 1)."""
    ranked = sorted(raw, key=lambda pk: raw[pk][0])
    count = len(ranked)
    return {
        pk: MapValue(display=raw[pk][1], css_class=FIFTH_CLASSES[min(4, index * 5 // count)], sort=raw[pk][0])
        for index, pk in enumerate(ranked)
    }


def fifths_legend() -> list[tuple[str, str]]:
    words = [_("lowest fifth"), _("second fifth"), _("middle fifth"), _("fourth fifth"), _("highest fifth")]
    return list(zip(FIFTH_CLASSES, words, strict=True))


def _shown(value, unit: str, year: int) -> str:
    decimals = 0 if unit in ("people", "companies", "workplaces") else 1
    return f"{number_format(value, decimals, force_grouping=True)}{' %' if unit == '%' else ''} ({year})"


def _fact_measure(fact: facts.Fact) -> MapMeasure:
    def values(kommun_ids: list[int]) -> dict[int, MapValue]:
        found = facts.latest_by_kommun(kommun_ids, (fact.key,))
        return _in_fifths(
            {
                pk: (float(rows[fact.key][0].value), _shown(rows[fact.key][0].value, fact.unit, rows[fact.key][0].year))
                for pk, rows in found.items()
                if rows.get(fact.key)
            }
        )

    return MapMeasure(
        key=f"fact_{fact.key}",
        label=lambda: str(fact.label),
        values=values,
        legend=fifths_legend,
        topics=(Topic.FACTS,),
    )


def _figure_measure(figure: facts.KeyFigure) -> MapMeasure:
    def values(kommun_ids: list[int]) -> dict[int, MapValue]:
        found = facts.latest_by_kommun(kommun_ids, figure.reads)
        raw = {}
        for pk, rows in found.items():
            latest = {key: rows[key][0] for key in figure.reads if rows.get(key)}
            value = figure.compute({key: v.value for key, v in latest.items()})
            if value is not None:
                raw[pk] = (float(value), _shown(value, figure.unit, max(v.year for v in latest.values())))
        return _in_fifths(raw)

    return MapMeasure(
        key=f"figure_{figure.key}",
        label=lambda: str(figure.label),
        values=values,
        legend=fifths_legend,
        topics=(Topic.FACTS,),
    )


def population_growth_values(kommun_ids: list[int]) -> dict[int, MapValue]:
    """Growth of the inhabitants (the age bands together) from the year before to the latest year."""
    found = facts.latest_by_kommun(kommun_ids, facts.AGE_BANDS)
    raw = {}
    for pk, rows in found.items():
        totals: dict[int, list] = {}
        for key in facts.AGE_BANDS:
            for value in rows.get(key, []):
                totals.setdefault(value.year, []).append(value.value)
        years = sorted(year for year, values in totals.items() if len(values) == len(facts.AGE_BANDS))
        if len(years) >= 2 and sum(totals[years[-2]]):
            before, after = sum(totals[years[-2]]), sum(totals[years[-1]])
            growth = 100 * (after - before) / before
            raw[pk] = (float(growth), f"{number_format(growth, 1)} % ({years[-2]}–{years[-1]})")
    return _in_fifths(raw)


MEASURES = [
    _maturity_measure(Track.NKI),
    _maturity_measure(Track.INVESTMENT),
    MapMeasure(
        key="answer_rate",
        label=lambda: _("Answer rate on inquiries, last 12 months"),
        values=answer_rate_values,
        legend=answer_rate_legend,
        topics=(Topic.INQUIRIES, Topic.REGISTER),
    ),
    MapMeasure(
        key="nki_latest",
        label=lambda: _("Latest NKI totalt"),
        values=nki_values,
        legend=nki_legend,
        topics=(Topic.NKI, Topic.REGISTER),
    ),
    MapMeasure(
        key="population_growth",
        label=lambda: _("Population growth, latest year"),
        values=population_growth_values,
        legend=fifths_legend,
        topics=(Topic.FACTS,),
    ),
    *[_figure_measure(figure) for figure in facts.KEY_FIGURES],
    *[_fact_measure(fact) for fact in facts.FACTS],
]


def measure(key: str) -> MapMeasure:
    """The measure with this key; the first one for an unknown or empty key."""
    return next((m for m in MEASURES if m.key == key), MEASURES[0])
