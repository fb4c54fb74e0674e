"""How NKI figures are read: grade band, small-sample flags, significance, factor correlation.

Pure functions on numbers, so each rule is unit-tested against hand-computed figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from . import constants


def whole(value: Decimal) -> int:
    """An NKI rounded to a whole number the way it is published (half up: 61.5 → 62)."""
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def grade_band(value: Decimal | None) -> constants.GradeBand | None:
    """The grade band of a value, judged on the published whole number (so 61.5 is godkänt)."""
    if value is None:
        return None
    rounded = whole(value)
    for band in constants.GRADE_BANDS:
        if rounded >= band.lower:
            return band
    return constants.GRADE_BANDS[-1]


@dataclass(frozen=True)
class SampleFlag:
    code: str  # "too_few" (< 7), "uncertain" (< 10), "unknown" (no count), "" (fine)
    label: object
    greyed: bool
    ranked: bool  # enough answers for the NKI-totalt ranking (≥ 20), or unknown


SAMPLE_OK = SampleFlag("", "", greyed=False, ranked=True)
SAMPLE_UNKNOWN = SampleFlag("unknown", _("number of answers not given"), greyed=False, ranked=True)


def sample_flag(answers: int | None) -> SampleFlag:
    """< 7 answers: greyed out with a word; < 10: flagged uncertain; < 20: not ranked."""
    if answers is None:
        return SAMPLE_UNKNOWN
    if answers < constants.SHOW_MIN_ANSWERS:
        return SampleFlag("too_few", _("too few answers"), greyed=True, ranked=False)
    if answers < constants.RELIABLE_MIN_ANSWERS:
        return SampleFlag("uncertain", _("uncertain: few answers"), greyed=False, ranked=False)
    if answers < constants.RANKING_MIN_ANSWERS:
        return SampleFlag("", "", greyed=False, ranked=False)
    return SAMPLE_OK


def margin_from_answers(answers: int | None) -> Decimal | None:
    """Estimated 95 % margin of error of an NKI from its number of answers: 1.96 · SD / √n.

    SD is `constants.ASSUMED_ANSWER_SD` (22 index points). With 100 answers: 1.96 · 22 / 10 = 4.3.
    """
    if not answers:
        return None
    margin = constants.Z_95 * constants.ASSUMED_ANSWER_SD / Decimal(answers).sqrt()
    return margin.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal
    estimated: bool  # True when built from the number of answers, not given by the source


def interval(
    nki: Decimal, answers: int | None, ci_low: Decimal | None = None, ci_high: Decimal | None = None
) -> Interval | None:
    """The 95 % interval of a value: the given one, else estimated from the answers, else None."""
    if ci_low is not None and ci_high is not None:
        return Interval(Decimal(ci_low), Decimal(ci_high), estimated=False)
    margin = margin_from_answers(answers)
    if margin is None:
        return None
    return Interval(max(Decimal(0), nki - margin), min(Decimal(100), nki + margin), estimated=True)


@dataclass(frozen=True)
class Change:
    delta: Decimal
    significant: bool | None  # None: cannot tell (no interval for one of the values)
    estimated: bool  # the judgement used at least one estimated interval


def change(before: Interval | None, after: Interval | None, delta: Decimal) -> Change:
    """A change is significant only when the two 95 % intervals do not overlap.

    Non-overlap is a conservative test (it under-calls significance), which suits a sober reading.
    """
    if before is None or after is None:
        return Change(delta, None, False)
    overlap = before.low <= after.high and after.low <= before.high
    return Change(delta, not overlap, before.estimated or after.estimated)


@dataclass(frozen=True)
class Correlation:
    r: float | None
    n: int


def pearson(pairs: list[tuple[float, float]]) -> Correlation:
    """Pearson's r between the first and second of each pair; None if too few or no variation."""
    n = len(pairs)
    if n < constants.CORRELATION_MIN_KOMMUNER:
        return Correlation(None, n)
    xs = [float(x) for x, _y in pairs]
    ys = [float(y) for _x, y in pairs]
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return Correlation(None, n)
    return Correlation(sxy / math.sqrt(sxx * syy), n)


def correlation_strength(r: float | None) -> object:
    """Words for |r|: weak < 0.3 ≤ moderate < 0.5 ≤ strong < 0.7 ≤ very strong (Cohen-style)."""
    if r is None:
        return _("not enough data")
    size = abs(r)
    if size >= 0.7:
        return _("very strong")
    if size >= 0.5:
        return _("strong")
    if size >= 0.3:
        return _("moderate")
    return _("weak")
