"""Grade bands, small-sample flags, significance and factor correlation against hand-computed figures."""

import math
from decimal import Decimal

import pytest

from nki import stats
from nki.models import NkiResult
from nki.selectors import competition_ranks, correlations, size_group


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("100", "very_high"),
        ("80.0", "very_high"),
        ("79.5", "very_high"),  # published as 80
        ("79.4", "high"),
        ("70.0", "high"),
        ("69.4", "pass"),
        ("62.0", "pass"),
        ("61.5", "pass"),  # published as 62: godkänt
        ("61.4", "low"),
        ("50.0", "low"),
        ("49.5", "low"),
        ("49.4", "very_low"),
        ("0", "very_low"),
    ],
)
def test_grade_band(value, band):
    assert stats.grade_band(Decimal(value)).code == band


def test_grade_band_of_nothing_is_none():
    assert stats.grade_band(None) is None


@pytest.mark.parametrize(
    ("answers", "code", "greyed", "ranked"),
    [
        (0, "too_few", True, False),
        (6, "too_few", True, False),
        (7, "uncertain", False, False),
        (9, "uncertain", False, False),
        (10, "", False, False),
        (19, "", False, False),
        (20, "", False, True),
        (500, "", False, True),
        (None, "unknown", False, True),
    ],
)
def test_sample_flags_at_7_10_and_20(answers, code, greyed, ranked):
    flag = stats.sample_flag(answers)
    assert (flag.code, flag.greyed, flag.ranked) == (code, greyed, ranked)


@pytest.mark.parametrize(
    ("answers", "margin"),
    [(100, "4.3"), (25, "8.6"), (16, "10.8"), (400, "2.2"), (None, None), (0, None)],
)
def test_margin_from_answers_is_1_96_sd_over_root_n(answers, margin):
    # 1.96 · 22 / √100 = 4.312; / √25 = 8.624; / √16 = 10.78; / √400 = 2.156
    expected = Decimal(margin) if margin else None
    assert stats.margin_from_answers(answers) == expected


def test_given_interval_wins_over_the_estimate():
    given = stats.interval(Decimal("70"), 100, Decimal("68.0"), Decimal("72.5"))
    assert (given.low, given.high, given.estimated) == (Decimal("68.0"), Decimal("72.5"), False)
    estimated = stats.interval(Decimal("70"), 100)
    assert (estimated.low, estimated.high, estimated.estimated) == (Decimal("65.7"), Decimal("74.3"), True)
    assert stats.interval(Decimal("98"), 25).high == Decimal("100")  # clipped to the scale
    assert stats.interval(Decimal("70"), None) is None


@pytest.mark.parametrize(
    ("before", "after", "significant"),
    [
        (("70", "74"), ("75", "79"), True),  # apart
        (("70", "75"), ("74", "79"), False),  # overlap by 1
        (("70", "75"), ("75", "79"), False),  # touching counts as overlap
        (("75", "79"), ("60", "74.9"), True),  # a significant fall
    ],
)
def test_change_is_significant_only_when_intervals_do_not_overlap(before, after, significant):
    a = stats.Interval(Decimal(before[0]), Decimal(before[1]), estimated=False)
    b = stats.Interval(Decimal(after[0]), Decimal(after[1]), estimated=False)
    change = stats.change(a, b, Decimal("5"))
    assert change.significant is significant and not change.estimated


def test_change_estimated_from_answers():
    # n = 100 → ±4.3: 70 → [65.7, 74.3]; 80 → [75.7, 84.3] apart; 74 → [69.7, 78.3] overlaps.
    base = stats.interval(Decimal("70"), 100)
    assert stats.change(base, stats.interval(Decimal("80"), 100), Decimal("10")).significant is True
    overlap = stats.change(base, stats.interval(Decimal("74"), 100), Decimal("4"))
    assert overlap.significant is False and overlap.estimated
    assert stats.change(base, None, Decimal("4")).significant is None


def test_pearson_against_a_hand_computed_r():
    # x = 1..5, y = 2,4,5,4,5: Sxy = 6, Sxx = 10, Syy = 6 → r = 6 / √60 = 0.774597
    result = stats.pearson([(1, 2), (2, 4), (3, 5), (4, 4), (5, 5)])
    assert result.n == 5
    assert math.isclose(result.r, 6 / math.sqrt(60), rel_tol=1e-12)
    assert math.isclose(stats.pearson([(1, 10), (2, 8), (3, 6), (4, 4), (5, 2)]).r, -1.0)


def test_pearson_needs_five_kommuner_and_variation():
    assert stats.pearson([(1, 2), (2, 3), (3, 4), (4, 5)]).r is None
    assert stats.pearson([(1, 2), (1, 3), (1, 4), (1, 5), (1, 6)]).r is None


@pytest.mark.parametrize(("r", "words"), [(0.75, "very strong"), (-0.55, "strong"), (0.3, "moderate"), (0.1, "weak")])
def test_correlation_strength_words(r, words):
    from django.utils import translation

    with translation.override("en"):
        assert str(stats.correlation_strength(r)) == words


def test_factor_correlation_uses_values_with_at_least_7_answers():
    def result(nki, effektivitet, answers):
        return NkiResult(nki=Decimal(nki), effektivitet=Decimal(effektivitet), answers=answers)

    rows = [
        result("2", "1", 50),
        result("4", "2", 50),
        result("5", "3", 50),
        result("4", "4", 50),
        result("5", "5", 50),
        result("99", "1", 6),  # too few answers: left out, else it would swamp r
    ]
    by_factor = {c.factor.field: c for c in correlations(rows)}
    assert by_factor["effektivitet"].correlation.n == 5
    assert math.isclose(by_factor["effektivitet"].correlation.r, 6 / math.sqrt(60))
    assert by_factor["information"].correlation.r is None and by_factor["information"].correlation.n == 0


def test_ranks_share_ties():
    assert competition_ranks({1: Decimal("80"), 2: Decimal("75"), 3: Decimal("75"), 4: Decimal("70")}) == {
        1: 1,
        2: 2,
        3: 2,
        4: 4,
    }


@pytest.mark.parametrize(
    ("population", "group"),
    [
        (2_500, "very_small"),
        (9_999, "very_small"),
        (10_000, "small"),
        (25_000, "medium"),
        (99_999, "medium_large"),
        (100_000, "large"),
        (1_000_000, "large"),
    ],
)
def test_size_groups(population, group):
    assert size_group(population).code == group
