"""Reads for the NKI pages, each in a fixed number of queries whatever the number of kommuner/years.

NKI results are public: every portal user sees every kommun's results (BRIEF.md), so these
selectors take no user. Contacts are not public; see `improvers()` for the one exception.

Averages are plain means over kommuner (each kommun counts once, as in SKR's kommun average):
- SBA average of a year: over the kommuner that were SBA members that year (members.roster: a
  membership covering at least one day of it). Where that year's member list is not recorded the
  average is unknown and carries the message saying so, never today's members in its place.
  SBA's own published figure (ReferenceValue SBA) is shown beside it, flagged when they differ by
  more than rounding;
- national average: over all kommuner in the store when at least NATIONAL_MIN_KOMMUNER have a
  value, else the published reference value (Kolada), else none;
- similar kommuner: the kommun's size group by its latest recorded population, the kommun itself
  excluded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Avg, Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from members import access, cache, links, roster
from members.cache import Topic
from members.models import Contact, Kommun, Lan, Population

from . import change, constants, stats
from .models import MethodBreak, NkiResult, NkiYearCoverage, ReferenceValue, ServiceArea

ONE = Decimal("0.1")


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


# --- Building blocks -----------------------------------------------------------------------------


def size_group(population: int | None) -> constants.SizeGroup | None:
    if population is None:
        return None
    for group in constants.SIZE_GROUPS:
        if population >= group.lower:
            return group
    return constants.SIZE_GROUPS[-1]


def size_groups_by_kommun() -> dict[int, constants.SizeGroup]:
    """Each kommun's size group by its latest recorded population (one query)."""
    latest: dict[int, int] = {}
    for kommun_id, population in Population.objects.order_by("kommun_id", "year").values_list(
        "kommun_id", "population"
    ):
        latest[kommun_id] = population
    return {kommun_id: size_group(population) for kommun_id, population in latest.items()}


def member_ids() -> set[int]:
    """Today's members: for the "SBA member" badge on a kommun, never for a past year's figures."""
    return set(Kommun.objects.members().values_list("pk", flat=True))


def members_of_year(year: int) -> tuple[set[int], roster.Roster]:
    """Who counts as SBA in a year's table: the year's members when its list is recorded, else
    today's (for the badge, the filter and the rank only; the SBA average is then unknown and the
    page shows `roster.missing_message`). Two or three queries."""
    year_roster = roster.roster_for_year(year)
    return (set(year_roster.member_ids) if year_roster.recorded else member_ids()), year_roster


def sba_averages(queryset) -> dict[tuple[int, int], tuple[Decimal, int]]:
    """Means per (year, area) over the kommuner that were members in each row's year (one query)."""
    return _averages(queryset.filter(roster.member_that_year()))


def sba_members_in(year: int) -> QuerySet[Kommun]:
    """The kommuner that were SBA members at any time in `year` (members.roster's rule).

    For counting (how complete a year is); empty when the year's member list is not recorded, which
    the completeness rule then judges against today's members. The SBA average reads the roster
    itself (sba_averages, members_of_year), so that a missing list is said, not guessed.
    """
    return Kommun.objects.members_in_year(year)


# --- Complete years ------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    """How complete one year's results are (constants.COMPLETE_YEAR_MEMBER_SHARE)."""

    year: int
    kommuner: int  # kommuner with any result for the year
    members: int  # SBA members of the year (today's when the year's roster is not recorded)
    members_with_results: int
    national_reference: bool  # a published national (Kolada) value for the year is stored
    complete: bool


def _year_statuses() -> dict[int, YearStatus]:
    """Three queries whatever the number of years or results: which kommuner have results in which
    year (NkiYearCoverage, one row a year, not a scan of every result), the memberships, the years
    with a national reference value."""
    with_results = {year: set(ids) for year, ids in NkiYearCoverage.objects.values_list("year", "kommun_ids")}
    if not with_results:
        return {}
    spans = roster.Spans()  # memberships recorded or not; a year without any is judged on today's
    today = spans.on(timezone.localdate())
    national_years = set(
        ReferenceValue.objects.filter(source=ReferenceValue.Source.NATIONAL)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    statuses = {}
    for year, kommuner in with_results.items():
        # No roster recorded for the year: judged against today's members and their results,
        # rather than called complete or incomplete for want of a roster.
        members = spans.in_year(year) or today
        statuses[year] = judge_year(year, len(kommuner), len(members), len(members & kommuner), year in national_years)
    return statuses


def judge_year(year: int, kommuner: int, members: int, members_with_results: int, national_reference: bool):
    """The completeness rule (constants.COMPLETE_YEAR_MEMBER_SHARE) on a year's counts."""
    by_members = members > 0 and Decimal(members_with_results) >= constants.COMPLETE_YEAR_MEMBER_SHARE * members
    national_figure = national_reference or kommuner >= constants.NATIONAL_MIN_KOMMUNER
    return YearStatus(year, kommuner, members, members_with_results, national_reference, by_members or national_figure)


def year_status_with(year: int, kommun_ids: set[int]) -> YearStatus:
    """How complete `year` would be with results for `kommun_ids` added to the stored ones (for the
    import preview). Four queries."""
    stored = NkiYearCoverage.objects.filter(year=year).values_list("kommun_ids", flat=True).first() or []
    with_results = set(stored) | set(kommun_ids)
    members = set(sba_members_in(year).values_list("pk", flat=True))
    if not members:  # no roster recorded for the year: today's members, as in year_statuses()
        members = set(sba_members_in(timezone.localdate().year).values_list("pk", flat=True))
    reference = ReferenceValue.objects.filter(source=ReferenceValue.Source.NATIONAL, year=year).exists()
    return judge_year(year, len(with_results), len(members), len(members & with_results), reference)


def year_statuses() -> dict[int, YearStatus]:
    """Each year's completeness, cached until the next NKI or register write (or midnight)."""
    return cache.get_or_build(
        "nki-year-statuses", topics=(Topic.NKI, Topic.REGISTER), by_date=True, build=_year_statuses
    )


def latest_complete_year(until_year: int | None = None) -> int | None:
    """The year that is "the latest" in overviews, reports and e-mail: the newest year with results
    up to `until_year` that is complete, or older than a complete year (a year before the latest
    complete one is final). None when no year is complete (everything is preliminary)."""
    statuses = year_statuses()
    complete = [y for y, s in statuses.items() if s.complete]
    if not complete:
        return None
    newest = max(complete)
    candidates = [y for y in statuses if y <= newest and (until_year is None or y <= until_year)]
    return max(candidates) if candidates else None


def is_preliminary(year: int | None) -> bool:
    """A year newer than the latest complete one (or any year while none is complete)."""
    if year is None:
        return False
    latest = latest_complete_year()
    return latest is None or year > latest


def preliminary_status(until_year: int | None = None) -> YearStatus | None:
    """The newest preliminary year (up to `until_year`) with its counts, or None."""
    statuses = year_statuses()
    newer = [y for y in statuses if is_preliminary(y) and (until_year is None or y <= until_year)]
    return statuses[max(newer)] if newer else None


def default_year(years: list[int]) -> int | None:
    """The year a page opens on: the latest complete year among `years`, else the newest."""
    latest = latest_complete_year()
    final = [y for y in years if latest is not None and y <= latest]
    return max(final) if final else (max(years) if years else None)


def years_with_results(area: ServiceArea | None = None) -> list[int]:
    """Years with results, newest first: read on every NKI page, so cached until the next NKI write."""

    def build() -> list[int]:
        # NkiYearCoverage: one small row a year, not a DISTINCT over every result in history.
        rows = NkiYearCoverage.objects.order_by("-year").values_list("year", "area_ids")
        return [year for year, area_ids in rows if area is None or area.pk in area_ids]

    return cache.get_or_build("nki-years", area.pk if area else "", topics=(Topic.NKI,), build=build)


def areas_with_results() -> list[ServiceArea]:
    """Areas that have at least one stored result, for the NKI navigation (cached like the years)."""
    return cache.get_or_build(
        "nki-areas",
        topics=(Topic.NKI,),
        build=lambda: list(ServiceArea.objects.filter(Exists(NkiResult.objects.filter(area=OuterRef("pk"))))),
    )


def _averages(queryset) -> dict[tuple[int, int], tuple[Decimal, int]]:
    rows = queryset.values("year", "area_id").annotate(avg=Avg("nki"), n=Count("id")).order_by()
    return {(row["year"], row["area_id"]): (_round(row["avg"]), row["n"]) for row in rows}


def references(source: str, *, area_ids=None, years=None) -> dict[tuple[int, int], Decimal]:
    queryset = ReferenceValue.objects.filter(source=source)
    if area_ids is not None:
        queryset = queryset.filter(area_id__in=area_ids)
    if years is not None:
        queryset = queryset.filter(year__in=years)
    return {(r.year, r.area_id): r.value for r in queryset}


@dataclass
class Average:
    value: Decimal | None
    n: int = 0
    from_reference: bool = False
    roster_missing: str = ""  # for an SBA average: why it is unknown (the year's member list is missing)
    published: Decimal | None = None  # for an SBA average: SBA's own published figure, if any

    @property
    def differs_from_published(self) -> bool:
        """More apart than rounding explains: SBA publishes whole numbers (74), the portal one decimal."""
        if self.value is None or self.published is None:
            return False
        whole = self.published == self.published.to_integral_value()
        return abs(self.value - self.published) > (Decimal("0.55") if whole else Decimal("0.1"))


def sba_average(
    computed: dict[tuple[int, int], tuple[Decimal, int]],
    published: dict[tuple[int, int], Decimal],
    missing: dict[int, tuple[str, ...]],
    key: tuple[int, int],
) -> Average:
    """The SBA average of (year, area) over that year's members, with SBA's published figure; unknown
    with the reason when the year's member list is missing."""
    year = key[0]
    if missing.get(year):
        return Average(None, 0, roster_missing=roster.message_for(missing[year]), published=published.get(key))
    value, n = computed.get(key, (None, 0))
    return Average(value, n, published=published.get(key))


def national(
    computed: dict[tuple[int, int], tuple[Decimal, int]], refs: dict[tuple[int, int], Decimal], key
) -> Average:
    """The computed national average if enough kommuner stand behind it, else the reference value."""
    value, n = computed.get(key, (None, 0))
    if value is not None and n >= constants.NATIONAL_MIN_KOMMUNER:
        return Average(value, n)
    if key in refs:
        return Average(refs[key], 0, from_reference=True)
    return Average(None, n)


@dataclass
class Cell:
    """One NKI value with the words that go with it: grade band, small-sample flag.

    `result` is an NkiResult, or a plain row with `nki` and `answers` (ResultRow) where no
    factors are shown."""

    result: NkiResult | ResultRow | None

    @property
    def value(self) -> Decimal | None:
        return self.result.nki if self.result else None

    @property
    def answers(self) -> int | None:
        return self.result.answers if self.result else None

    @property
    def factors(self) -> list[Decimal | None]:
        return [getattr(self.result, f) if self.result else None for f in constants.FACTOR_FIELDS]

    @property
    def band(self):
        return stats.grade_band(self.value)

    @property
    def flag(self) -> stats.SampleFlag:
        return stats.sample_flag(self.answers)


def competition_ranks(values: dict[int, Decimal]) -> dict[int, int]:
    """Rank ids by value, highest first, ties sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=True)
    ranks: dict[int, int] = {}
    previous, previous_rank = None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            previous, previous_rank = value, position
        ranks[key] = previous_rank
    return ranks


# --- Overview ------------------------------------------------------------------------------------


class LanRow(NamedTuple):
    code: str
    name: str


class KommunRow(NamedTuple):
    """A kommun as a table row shows it (no model instance where none is needed)."""

    pk: int
    code: str
    name: str
    lan: LanRow


class ResultRow(NamedTuple):
    """An NKI value as the overview reads it: enough for a Cell (value, answers, band, flag)."""

    kommun_id: int
    area_id: int
    nki: Decimal
    answers: int | None


@dataclass
class OverviewRow:
    kommun: KommunRow
    is_member: bool
    size_group: constants.SizeGroup | None
    cells: list[Cell]
    rank: int | None = None
    url: str = ""


@dataclass
class Overview:
    year: int | None
    years: list[int]
    areas: list[ServiceArea]
    rows: list[OverviewRow]
    sba: list[Average]
    national: list[Average]
    rank_area: ServiceArea | None
    lans: list[Lan]
    sort: str
    members_ranked: int = 0
    roster_missing: str = ""  # the year's member list is missing: SBA average unknown
    preliminary: YearStatus | None = None  # set when the year shown is not complete yet
    preliminary_years: frozenset[int] = frozenset()  # marked in the year choice


def overview(*, year: int | None, scope: str = "", lan: str = "", size: str = "", sort: str = "name") -> Overview:
    """All kommuner with results for a year × the areas that have results that year. Without a
    year (or an unknown one): the latest complete year (latest_complete_year), a preliminary year
    is shown only when asked for, or when no year is complete, and is then marked.

    Queries: years, areas, results, their kommuner (with län), the year's periods and members
    (today's too when the year's list is missing), populations, national and SBA reference values,
    län for the filter — ten or eleven, whatever the data size.
    """
    years = years_with_results()
    if year not in years:
        year = default_year(years)
    all_areas = list(ServiceArea.objects.all())
    lans = list(Lan.objects.all())
    if year is None:
        return Overview(None, [], [], [], [], [], None, lans, sort)
    # Plain rows, not model instances: 290 kommuner × 8 areas would otherwise build a model object
    # per value and per kommun (most of this page's cold cost at the region's size).
    results = [ResultRow(*row) for row in NkiResult.objects.filter(year=year).values_list(*ResultRow._fields)]
    kommuner_in_results = {r.kommun_id for r in results}
    kommun_by_id = {
        pk: KommunRow(pk, code, name, LanRow(lan_code, lan_name))
        for pk, code, name, lan_code, lan_name in Kommun.objects.filter(pk__in=kommuner_in_results).values_list(
            "pk", "code", "name", "lan__code", "lan__name"
        )
    }
    members, year_roster = members_of_year(year)
    groups = size_groups_by_kommun()
    refs = references(ReferenceValue.Source.NATIONAL, years=[year])
    published = references(ReferenceValue.Source.SBA, years=[year])

    area_ids = {r.area_id for r in results}
    areas = [a for a in all_areas if a.pk in area_ids]
    by_kommun: dict[int, dict[int, ResultRow]] = defaultdict(dict)
    kommuner: dict[int, KommunRow] = {}
    for result in results:
        by_kommun[result.kommun_id][result.area_id] = result
        kommuner[result.kommun_id] = kommun_by_id[result.kommun_id]

    def mean(ids) -> list[Average]:
        out = []
        for area in areas:
            values = [by_kommun[k][area.pk].nki for k in ids if area.pk in by_kommun.get(k, {})]
            out.append(Average(_round(sum(values) / len(values)) if values else None, len(values)))
        return out

    if year_roster.recorded:
        sba = [
            Average(a.value, a.n, published=published.get((year, area.pk)))
            for area, a in zip(areas, mean(members), strict=True)
        ]
    else:
        sba = [
            Average(None, 0, roster_missing=year_roster.missing_message, published=published.get((year, area.pk)))
            for area in areas
        ]
    computed = {(year, area.pk): (avg.value, avg.n) for area, avg in zip(areas, mean(kommuner), strict=True)}
    national_row = [national(computed, refs, (year, area.pk)) for area in areas]

    # Rank within SBA on the sorted area (or Totalt), only values with enough answers to be ranked.
    sort_area_code = sort.lstrip("-")
    rank_area = next((a for a in areas if a.code == sort_area_code), None) or next(
        (a for a in areas if a.is_total), areas[0] if areas else None
    )
    ranks: dict[int, int] = {}
    if rank_area is not None:
        eligible = {
            k: by_kommun[k][rank_area.pk].nki
            for k in members
            if rank_area.pk in by_kommun.get(k, {}) and stats.sample_flag(by_kommun[k][rank_area.pk].answers).ranked
        }
        ranks = competition_ranks(eligible)

    rows = []
    kommun_url = links.maker("nki:kommun")  # once per page, not per row
    for kommun_id, kommun in kommuner.items():
        group = groups.get(kommun_id)
        if scope == "members" and kommun_id not in members:
            continue
        if scope == "non_members" and kommun_id in members:
            continue
        if lan and kommun.lan.code != lan:
            continue
        if size and (group is None or group.code != size):
            continue
        cells = [Cell(by_kommun[kommun_id].get(area.pk)) for area in areas]
        rows.append(
            OverviewRow(kommun, kommun_id in members, group, cells, ranks.get(kommun_id), kommun_url(kommun.code))
        )

    rows.sort(key=lambda r: r.kommun.name)
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "rank":
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
    elif key in {a.code for a in areas}:
        index = next(i for i, a in enumerate(areas) if a.code == key)
        present = [r for r in rows if r.cells[index].value is not None]
        missing = [r for r in rows if r.cells[index].value is None]
        present.sort(key=lambda r: r.cells[index].value, reverse=descending)
        rows = present + missing
    elif key == "name" and descending:
        rows.reverse()
    preliminary = year_statuses().get(year) if is_preliminary(year) else None
    return Overview(
        year,
        years,
        areas,
        rows,
        sba,
        national_row,
        rank_area,
        lans,
        sort,
        len(ranks),
        year_roster.missing_message,
        preliminary,
        frozenset(y for y in years if is_preliminary(y)),
    )


# --- Kommun page ---------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    year: int
    cell: Cell
    sba: Average
    national: Average
    similar: Average
    change: change.NkiChange
    method_break: MethodBreak | None
    interval: stats.Interval | None
    preliminary: bool = False


@dataclass
class AreaTrend:
    area: ServiceArea
    points: list[TrendPoint]

    @property
    def latest(self) -> TrendPoint:
        return self.points[-1]

    def latest_until(self, year: int | None) -> TrendPoint | None:
        """The newest point up to `year` (None: no point that old, or no year given)."""
        points = [p for p in self.points if year is not None and p.year <= year]
        return points[-1] if points else None


@dataclass
class KommunNki:
    kommun: Kommun
    size_group: constants.SizeGroup | None
    similar_count: int
    trends: list[AreaTrend]
    is_member: bool = False
    breaks: list[MethodBreak] = field(default_factory=list)
    latest_complete_year: int | None = None
    years_hidden: int = 0  # older years of the kommun left out of the window (kommun_nki's last_years)


def kommun_nki(*, kommun: Kommun, last_years: int | None = None) -> KommunNki:
    """The kommun's values per area and year against SBA, national and similar kommuner, each
    year's change from the year before (nki.change) and whether the year is still preliminary.

    `last_years`: only the kommun's newest so many years (the page's default window, so that its
    cost does not grow with history); the year before the window is read too, for the first
    shown year's change. None: every year (exports, reports).

    Queries: areas, the kommun's years, its results, the memberships (today's for the badge, and who
    was ever a member), populations, the averages of the shown years (SBA over each year's members
    and similar kommuner from their results; national from NkiYearCoverage's sums), the periods
    (whose member lists are missing), national and SBA reference values, method breaks — twelve,
    whatever the data size (the years' completeness is cached, nki-year-statuses).
    """
    areas = {a.pk: a for a in ServiceArea.objects.all()}
    all_years = list(
        NkiResult.objects.filter(kommun=kommun).order_by("-year").values_list("year", flat=True).distinct()
    )
    shown_years = all_years[:last_years] if last_years else all_years
    hidden = len(all_years) - len(shown_years)
    results = NkiResult.objects.filter(kommun=kommun).order_by("year")
    if hidden:  # and the year before the window: the first shown year's change is from it
        results = results.filter(year__gte=shown_years[-1] - 1)
    results = list(results)
    shown = set(shown_years)
    spans = roster.Spans()  # every membership: today's members (the badge), and who ever was one
    members = spans.on(timezone.localdate())
    groups = size_groups_by_kommun()
    group = groups.get(kommun.pk)
    similar_ids = [k for k, g in groups.items() if group is not None and g == group and k != kommun.pk]
    area_ids = {r.area_id for r in results if r.year in shown}
    # The shown years' results only: the page's cost stays the same as history grows. Members of
    # any year first, so that PostgreSQL reads their results from the kommun index, not every
    # result of the years; member_that_year then applies each year's roster (read live, so the
    # SBA average follows every register write).
    base = NkiResult.objects.filter(year__in=shown_years, area_id__in=area_ids)
    sba_avg = sba_averages(base.filter(kommun_id__in=spans.kommuner())) if spans.spans else {}
    # Every kommun's mean from the years' sums (NkiYearCoverage, kept by every write of results).
    national_avg = {
        (coverage.year, area_id): (_round(mean[0]), mean[1])
        for coverage in NkiYearCoverage.objects.filter(year__in=shown_years)
        for area_id in area_ids
        if (mean := coverage.mean(area_id))
    }
    similar_avg = _averages(base.filter(kommun_id__in=similar_ids)) if similar_ids else {}
    missing = roster.missing_by_year(shown)
    refs = references(ReferenceValue.Source.NATIONAL, area_ids=area_ids, years=shown_years)
    published = references(ReferenceValue.Source.SBA, area_ids=area_ids, years=shown_years)
    breaks = change.method_breaks(area_ids)
    latest_complete = latest_complete_year()

    by_area: dict[int, list[NkiResult]] = defaultdict(list)
    for result in results:
        by_area[result.area_id].append(result)
    trends = []
    for area_id in sorted(area_ids, key=lambda pk: (areas[pk].order, areas[pk].code)):
        points: list[TrendPoint] = []
        previous: NkiResult | None = None
        for result in by_area[area_id]:
            if result.year not in shown:
                previous = result
                continue
            key = (result.year, area_id)
            similar_value, similar_n = similar_avg.get(key, (None, 0))
            point = TrendPoint(
                result.year,
                Cell(result),
                sba_average(sba_avg, published, missing, key),
                national(national_avg, refs, key),
                Average(similar_value, similar_n),
                change.result_change(previous, result, breaks=breaks),
                breaks.get((area_id, result.year)),
                stats.interval(result.nki, result.answers, result.ci_low, result.ci_high),
                latest_complete is None or result.year > latest_complete,
            )
            points.append(point)
            previous = result
        trends.append(AreaTrend(areas[area_id], points))
    used_breaks = [b for b in breaks.values() if any(t.area.pk == b.area_id for t in trends)]
    return KommunNki(
        kommun, group, len(similar_ids), trends, kommun.pk in members, used_breaks, latest_complete, hidden
    )


def chart_data(data: KommunNki, labels: dict[str, str]) -> dict:
    """The JSON the chart script reads: one chart per area, the kommun against the averages."""
    charts = []
    for trend in data.trends:
        years = [p.year for p in trend.points]

        def series(getter, points=trend.points):
            return [None if (v := getter(p)) is None else float(v) for p in points]

        charts.append(
            {
                "id": f"nki-chart-{trend.area.code}",
                "title": trend.area.name,
                "years": years,
                "breaks": [p.year for p in trend.points if p.method_break],
                "series": [
                    {"label": data.kommun.name, "data": series(lambda p: p.cell.value), "main": True},
                    {"label": labels["sba"], "data": series(lambda p: p.sba.value)},
                    {"label": labels["national"], "data": series(lambda p: p.national.value)},
                    {"label": labels["similar"], "data": series(lambda p: p.similar.value)},
                ],
            }
        )
    return {"charts": charts, "breakLabel": labels["break"]}


# --- Area page -----------------------------------------------------------------------------------


@dataclass
class FactorCorrelation:
    factor: constants.Factor
    correlation: stats.Correlation

    @property
    def strength(self):
        return stats.correlation_strength(self.correlation.r)


@dataclass
class Improver:
    kommun: Kommun
    from_year: int
    from_value: Decimal
    to_value: Decimal
    delta: Decimal
    is_member: bool
    contacts: list[Contact]


@dataclass
class AreaPage:
    area: ServiceArea
    year: int | None
    years: list[int]
    rows: list[tuple[Kommun, bool, Cell, int | None, str]]  # kommun, member, value, rank, its NKI page
    sba: Average
    national: Average
    correlations: list[FactorCorrelation]
    improvers: list[Improver]
    correlation_n: int = 0
    preliminary: YearStatus | None = None
    scope: str = "members"  # which kommuner the table and chart show: members (default), all, non_members
    kommuner_with_values: int = 0  # every kommun with a value this year (the correlations use them all)


def correlations(results: list[NkiResult]) -> list[FactorCorrelation]:
    """Pearson's r of each factor index with NKI across kommuner, values with ≥ 7 answers only."""
    usable = [r for r in results if not stats.sample_flag(r.answers).greyed]
    out = []
    for factor in constants.FACTORS:
        pairs = [(getattr(r, factor.field), r.nki) for r in usable if getattr(r, factor.field) is not None]
        out.append(FactorCorrelation(factor, stats.pearson(pairs)))
    return out


def area_page(*, area: ServiceArea, year: int | None, scope: str = "members") -> AreaPage:
    """One area and year: the kommuner's values (SBA's members by default; `scope` "all" for every
    kommun, "non_members" for the rest), factor correlations across every kommun with a value, and
    the biggest improvers.

    Queries: years, results of the year, the year's periods and members (today's too when its list
    is missing), national and SBA reference, earlier results, the improvers' NKI contacts — eight
    or nine, whatever the data size.
    """
    years = years_with_results(area)
    if year not in years:
        year = default_year(years)
    if year is None:
        return AreaPage(area, None, [], [], Average(None), Average(None), [], [])
    results = list(NkiResult.objects.filter(area=area, year=year).select_related("kommun"))
    members, year_roster = members_of_year(year)
    refs = references(ReferenceValue.Source.NATIONAL, area_ids=[area.pk], years=[year])
    published = references(ReferenceValue.Source.SBA, area_ids=[area.pk], years=[year]).get((year, area.pk))

    ranks = competition_ranks(
        {r.kommun_id: r.nki for r in results if r.kommun_id in members and stats.sample_flag(r.answers).ranked}
    )
    kommun_url = links.maker("nki:kommun")  # once per page, not per row
    shown = [r for r in results if scope == "all" or (r.kommun_id in members) == (scope != "non_members")]
    rows = sorted(
        ((r.kommun, r.kommun_id in members, Cell(r), ranks.get(r.kommun_id), kommun_url(r.kommun.code)) for r in shown),
        key=lambda row: (-row[2].value, row[0].name),
    )
    member_values = [r.nki for r in results if r.kommun_id in members]
    if year_roster.recorded:
        sba = Average(
            _round(sum(member_values) / len(member_values)) if member_values else None,
            len(member_values),
            published=published,
        )
    else:
        sba = Average(None, 0, roster_missing=year_roster.missing_message, published=published)
    all_values = [r.nki for r in results]
    computed = {(year, area.pk): (_round(sum(all_values) / len(all_values)), len(all_values))} if all_values else {}
    return AreaPage(
        area,
        year,
        years,
        rows,
        sba,
        national(computed, refs, (year, area.pk)),
        correlations(results),
        improvers(area=area, year=year, current=results, members=members),
        preliminary=year_statuses().get(year) if is_preliminary(year) else None,
        scope=scope,
        kommuner_with_values=len(results),
    )


def improvers(*, area: ServiceArea, year: int, current: list[NkiResult], members: set[int]) -> list[Improver]:
    """The SBA members whose NKI rose most since IMPROVER_YEARS before `year` (or their earliest
    value in that window), values with at least SHOW_MIN_ANSWERS only, each with its NKI contact.

    Members only: they are the network SBA connects, and the portal holds contacts for them.

    Contact visibility: contacts are kommun-private, but an improver's NKI contact is shown so a
    kommun knows whom to call: members.access.public_nki_contacts, the access module's one named
    exception (name and e-mail of the NKI role only).

    The rise is nki.change's: no window reaches back across a method break (it starts at the
    break), and a rise on too few answers is not one. Three queries.
    """
    breaks = change.method_breaks([area.pk])
    since = year - constants.IMPROVER_YEARS
    if method_break := change.break_between(breaks, area.pk, since, year):
        since = method_break.year
    earlier: dict[int, NkiResult] = {}
    for result in NkiResult.objects.filter(area=area, year__gte=since, year__lt=year).order_by("-year"):
        if not stats.sample_flag(result.answers).greyed:
            earlier[result.kommun_id] = result  # ends on the earliest year in the window
    found = []
    for result in current:
        before = earlier.get(result.kommun_id)
        if result.kommun_id not in members or before is None:
            continue
        rise = change.result_change(before, result, breaks=breaks, from_year=before.year)
        delta = rise.delta
        if rise.comparable and delta > 0:
            found.append(
                Improver(result.kommun, before.year, before.nki, result.nki, delta, result.kommun_id in members, [])
            )
    found.sort(key=lambda i: (-i.delta, i.kommun.name))
    found = found[: constants.IMPROVER_COUNT]
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in access.public_nki_contacts(i.kommun.pk for i in found):
        contacts[contact.kommun_id].append(contact)
    for improver in found:
        improver.contacts = contacts.get(improver.kommun.pk, [])
    return found


# --- Panel on the kommun page --------------------------------------------------------------------


def kommun_panel(*, kommun: Kommun) -> dict | None:
    """The kommun's latest NKI per area in a complete year (latest_complete_year) against the SBA
    average of that year's members, and the newer preliminary year if the kommun has one (four
    queries: years, results, SBA averages, the periods), or None. When no complete year holds a
    result of the kommun, its newest year is shown, marked preliminary."""
    years = list(NkiResult.objects.filter(kommun=kommun).order_by("-year").values_list("year", flat=True).distinct())
    if not years:
        return None
    final = [y for y in years if not is_preliminary(y)]
    latest = final[0] if final else years[0]
    newer = years[0] if years[0] != latest else None
    results = list(NkiResult.objects.filter(kommun=kommun, year=latest).select_related("area"))
    sba = sba_averages(NkiResult.objects.filter(year=latest))
    missing = roster.missing_by_year([latest])
    rows = [
        (r.area, Cell(r), sba_average(sba, {}, missing, (latest, r.area_id)))
        for r in sorted(results, key=lambda r: (r.area.order, r.area.code))
    ]
    return {
        "kommun": kommun,
        "year": latest,
        "rows": rows,
        "roster_missing": roster.message_for(missing[latest]),
        "preliminary": is_preliminary(latest),
        "newer": newer,
    }


# --- Region averages (for the overview and digests) ----------------------------------------------


@dataclass
class AreaAverages:
    area: ServiceArea
    sba: Average
    national: Average


def region_averages(*, until_year: int | None = None) -> dict:
    """The SBA and national average per area for the latest complete year (up to `until_year`,
    latest_complete_year), computed as on the overview page: {"year": int | None, "rows":
    [AreaAverages], "roster_missing": str, "preliminary": YearStatus | None} — the SBA average over
    that year's members (unknown, with the message, when the year's member list is missing) and
    the newer year still coming in, if any.

    Six queries (SBA averages, averages of all kommuner, the periods, national and SBA reference
    values, areas) and the cached years' completeness.
    """
    year = latest_complete_year(until_year)
    preliminary = preliminary_status(until_year)
    if year is None:
        return {"year": None, "rows": [], "roster_missing": "", "preliminary": preliminary}
    base = NkiResult.objects.filter(year=year)
    sba = sba_averages(base)
    everyone = _averages(base)
    missing = roster.missing_by_year([year])
    refs = references(ReferenceValue.Source.NATIONAL, years=[year])
    published = references(ReferenceValue.Source.SBA, years=[year])
    rows = [
        AreaAverages(
            area,
            sba_average(sba, published, missing, (year, area.pk)),
            national(everyone, refs, (year, area.pk)),
        )
        for area in ServiceArea.objects.all()
        if (year, area.pk) in everyone
    ]
    return {"year": year, "rows": rows, "roster_missing": roster.message_for(missing[year]), "preliminary": preliminary}


@dataclass(frozen=True)
class ComparableSeries:
    """A kommun's longest run of years in one area that can be compared over time (no method break
    inside it), and the break that cut off earlier years, if any."""

    area: ServiceArea
    years: list[int]
    cut_by: MethodBreak | None = None


def comparable_series(kommun_ids: list[int]) -> dict[int, ComparableSeries]:
    """For each kommun with results: the area whose results since its last method break (nki.change)
    span the most years. Three queries (results, method breaks, areas), whatever the data size."""
    years: dict[tuple[int, int], set[int]] = defaultdict(set)
    for kommun_id, area_id, year in (
        NkiResult.objects.filter(kommun_id__in=kommun_ids).order_by().values_list("kommun_id", "area_id", "year")
    ):
        years[(kommun_id, area_id)].add(year)
    breaks = change.method_breaks({area_id for _kommun, area_id in years})
    areas = ServiceArea.objects.in_bulk({area_id for _kommun, area_id in years})
    best: dict[int, ComparableSeries] = {}
    for (kommun_id, area_id), found in years.items():
        ordered = sorted(found)
        cut = change.break_between(breaks, area_id, ordered[0], ordered[-1])
        run = [y for y in ordered if cut is None or y >= cut.year]
        series = ComparableSeries(areas[area_id], run, cut)
        current = best.get(kommun_id)
        if current is None or (len(run), -areas[area_id].order) > (len(current.years), -current.area.order):
            best[kommun_id] = series
    return best


def latest_totals(kommun_ids: list[int]) -> dict[int, NkiResult]:
    """Each kommun's latest NKI totalt up to the latest complete year (one query; while no year
    is complete, the newest)."""
    latest: dict[int, NkiResult] = {}
    results = NkiResult.objects.filter(kommun_id__in=kommun_ids, area__is_total=True)
    if (until := latest_complete_year()) is not None:
        results = results.filter(year__lte=until)
    for result in results.order_by("kommun_id", "year"):
        latest[result.kommun_id] = result
    return latest
