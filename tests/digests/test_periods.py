import datetime

import pytest

from digests import periods


def test_weekly_default_is_the_week_just_ended():
    monday = datetime.date(2026, 11, 30)  # ISO week 49
    period = periods.default(periods.WEEK, monday)
    assert period.label == "2026-W48"
    assert (period.start, period.end) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))


def test_quarterly_default_is_the_quarter_just_ended_across_new_year():
    assert periods.default(periods.QUARTER, datetime.date(2027, 1, 2)).label == "2026-Q4"
    q3 = periods.default(periods.QUARTER, datetime.date(2026, 10, 2))
    assert (q3.label, q3.start, q3.end) == ("2026-Q3", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def test_parse_and_clear_errors():
    assert periods.parse(periods.WEEK, "2026-w48").start == datetime.date(2026, 11, 23)
    assert periods.parse(periods.QUARTER, "2026-Q4").end == datetime.date(2026, 12, 31)
    assert periods.parse(periods.DAY, "2026-11-27").label == "2026-11-27"
    for cadence, bad in [(periods.WEEK, "2026-W60"), (periods.QUARTER, "2026-Q5"), (periods.DAY, "27/11")]:
        with pytest.raises(ValueError, match="write it like"):
            periods.parse(cadence, bad)
