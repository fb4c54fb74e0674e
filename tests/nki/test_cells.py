"""Cell parsing as properties: any index 0–100 written either way reads back exactly."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nki.reading import parse_count, parse_index, parse_interval

tenths = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 10)


@given(tenths)
def test_index_reads_back_from_text_with_comma_or_point_and_from_a_float(value):
    assert parse_index(str(value)) == value
    assert parse_index(str(value).replace(".", ",")) == value
    assert parse_index(float(value)) == value


@given(tenths, tenths)
def test_interval_reads_back_with_any_dash(low, high):
    for dash in ("–", "-", " - ", "—"):
        assert parse_interval(f"{low}{dash}{high}".replace(".", ",")) == (low, high)


@given(st.integers(min_value=0, max_value=10**6))
def test_counts_read_back_with_thousand_spaces(n):
    assert parse_count(f"{n:,}".replace(",", " ")) == n
    assert parse_count(float(n)) == n


@pytest.mark.parametrize("text", ["12,5", "1.5", "-1", "tolv", ""])
def test_counts_must_be_whole_and_not_negative(text):
    with pytest.raises(ValueError):
        parse_count(text)


@pytest.mark.parametrize("text", ["100,1", "-0,1", "NaN", "Infinity", "1e3", "abc"])
def test_index_outside_the_scale_or_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_index(text)
