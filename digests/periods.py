"""Digest periods: a day ("2026-11-27"), an ISO week ("2026-W48") or a quarter ("2026-Q4").

The label is part of each e-mail's unique key, so a period can be sent once per recipient.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext

DAY, WEEK, QUARTER = "day", "week", "quarter"


@dataclass(frozen=True)
class Period:
    cadence: str
    label: str
    start: datetime.date
    end: datetime.date  # inclusive

    def __str__(self) -> str:
        return self.label

    def display(self) -> str:
        """The period as the recipient reads it, in the active language."""
        if self.cadence == WEEK:
            year, week, _ = self.start.isocalendar()
            return gettext("week %(week)d, %(year)d") % {"week": week, "year": year}
        if self.cadence == QUARTER:
            return gettext("quarter %(q)d, %(year)d") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return date_format(self.start, "DATE_FORMAT")


def day(on: datetime.date) -> Period:
    return Period(DAY, on.isoformat(), on, on)


def week(year: int, number: int) -> Period:
    start = datetime.date.fromisocalendar(year, number, 1)
    return Period(WEEK, f"{year}-W{number:02d}", start, start + datetime.timedelta(days=6))


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * number - 2, 1)
    end = datetime.date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1) - datetime.timedelta(days=1)
    return Period(QUARTER, f"{year}-Q{number}", start, end)


def default(cadence: str, today: datetime.date) -> Period:
    """What a scheduled run reports on: today (reminders), the week or quarter just ended."""
    if cadence == DAY:
        return day(today)
    if cadence == WEEK:
        year, number, _ = (today - datetime.timedelta(days=7)).isocalendar()
        return week(year, number)
    q = (today.month - 1) // 3  # the quarter before the current one, 0 meaning Q4 of last year
    return quarter(today.year, q) if q else quarter(today.year - 1, 4)


def parse(cadence: str, text: str) -> Period:
    """A period from its label; ValueError with a message saying the expected form."""
    text = text.strip().upper()
    try:
        if cadence == WEEK and (m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text)):
            return week(int(m[1]), int(m[2]))
        if cadence == QUARTER and (m := re.fullmatch(r"(\d{4})-Q([1-4])", text)):
            return quarter(int(m[1]), int(m[2]))
        if cadence == DAY:
            return day(datetime.date.fromisoformat(text))
    except ValueError:
        pass
    example = {WEEK: "2026-W48", QUARTER: "2026-Q4", DAY: "2026-11-27"}[cadence]
    raise ValueError(f"{text!r} is not a {cadence} period; write it like {example}.")
