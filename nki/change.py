"""The one definition of change between two NKI years, for a kommun's value or for an average.

Every page, export, report, e-mail and maturity check that speaks of change reads it from here:

- **method breaks** (the `MethodBreak` table, the same rows the kommun page marks): a break in
  the area after the earlier year and up to the later one means no change at all, only
  "method changed";
- **small samples**: a kommun's value resting on fewer than `constants.CHANGE_MIN_ANSWERS`
  answers (or an average over fewer than `constants.CHANGE_AVERAGE_MIN_KOMMUNER` kommuner) gives
  "too few answers", not a number;
- **significance**: with both values' 95 % intervals (given, or estimated from the number of
  answers, `stats.interval`) a change is up or down only when they do not overlap, otherwise "no
  clear change"; without intervals (no answers given, or an average) the delta is shown but
  marked as not judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members import cache
from members.cache import Topic

from . import constants, stats
from .models import MethodBreak

UP = "up"
DOWN = "down"
STEADY = "steady"  # within the margin of error: no clear change
UNJUDGED = "unjudged"  # a delta, but no interval to judge it by
METHOD_BREAK = "method_break"
FEW_ANSWERS = "few_answers"
NO_PREVIOUS = "no_previous"

COMPARABLE = frozenset({UP, DOWN, STEADY, UNJUDGED})

Breaks = dict[tuple[int, int], MethodBreak]  # (area_id, first year of the new method) → break


def method_breaks(area_ids: Iterable[int] | None = None) -> Breaks:
    """The method breaks by (area, year), from the MethodBreak table (one query)."""
    queryset = MethodBreak.objects.all()
    if area_ids is not None:
        queryset = queryset.filter(area_id__in=list(area_ids))
    return {(b.area_id, b.year): b for b in queryset}


def all_method_breaks() -> Breaks:
    """Every method break, cached until the next NKI write: for readers run once per recipient
    (digests), so a break costs no query per e-mail."""
    return cache.get_or_build("nki-method-breaks", topics=(Topic.NKI,), build=method_breaks)


def break_between(breaks: Breaks, area_id: int, from_year: int, to_year: int) -> MethodBreak | None:
    """The (latest) method break in the area after `from_year` and up to `to_year`, if any."""
    found = [b for (area, year), b in breaks.items() if area == area_id and from_year < year <= to_year]
    return max(found, key=lambda b: b.year) if found else None


def _signed(delta: Decimal) -> str:
    text = number_format(delta, 1, use_l10n=True)
    return f"+{text}" if delta > 0 else text


@dataclass(frozen=True)
class NkiChange:
    """What can honestly be said about the change from `from_year` to `to_year`.

    `delta` is set only when the values are comparable (status up, down, steady or unjudged).
    """

    status: str
    from_year: int
    to_year: int
    delta: Decimal | None = None
    method_break: MethodBreak | None = None
    estimated: bool = False  # the judgement used at least one interval estimated from the answers

    @property
    def comparable(self) -> bool:
        return self.status in COMPARABLE

    @property
    def significant(self) -> bool | None:
        """True up/down, False within the margin, None when it cannot be told or not compared."""
        if self.status in (UP, DOWN):
            return True
        if self.status == STEADY:
            return False
        return None

    @property
    def signed_delta(self) -> str:
        return "" if self.delta is None else _signed(self.delta)

    @property
    def short_label(self) -> str:
        """A few words for a table cell: "+3,0", "no clear change (+1,5)", "method changed"."""
        if self.status in (UP, DOWN):
            return self.signed_delta
        if self.status == STEADY:
            return _("no clear change (%(delta)s)") % {"delta": self.signed_delta}
        if self.status == UNJUDGED:
            return _("%(delta)s (margin unknown)") % {"delta": self.signed_delta}
        if self.status == METHOD_BREAK:
            return _("method changed")
        if self.status == FEW_ANSWERS:
            return _("too few answers to compare")
        return "—"

    @property
    def label(self) -> str:
        """A sentence for people: what changed since the earlier year, or why it cannot be said."""
        years = {"from": self.from_year, "to": self.to_year, "delta": self.signed_delta}
        if self.delta is not None:
            years["size"] = number_format(abs(self.delta), 1, use_l10n=True)
        if self.status == UP:
            return _("Up %(size)s from %(from)s.") % years
        if self.status == DOWN:
            return _("Down %(size)s from %(from)s.") % years
        if self.status == STEADY:
            return _("No clear change from %(from)s (%(delta)s, within the margin of error).") % years
        if self.status == UNJUDGED:
            return _("%(delta)s from %(from)s (the margin of error is not known).") % years
        if self.status == METHOD_BREAK:
            return _("Method changed in %(year)s: not comparable with %(from)s.") % {
                "year": self.method_break.year if self.method_break else self.to_year,
                "from": self.from_year,
            }
        if self.status == FEW_ANSWERS:
            return _("Too few answers to compare with %(from)s.") % years
        return _("No value for %(from)s to compare with.") % years


def between(
    *,
    area_id: int,
    from_year: int,
    to_year: int,
    before: Decimal | None,
    after: Decimal | None,
    breaks: Breaks,
    before_interval: stats.Interval | None = None,
    after_interval: stats.Interval | None = None,
    small_sample: bool = False,
) -> NkiChange:
    """The change between two values of an area, in the order: break, missing, small, significance."""
    method_break = break_between(breaks, area_id, from_year, to_year)
    if method_break is not None:
        return NkiChange(METHOD_BREAK, from_year, to_year, method_break=method_break)
    if before is None or after is None:
        return NkiChange(NO_PREVIOUS, from_year, to_year)
    if small_sample:
        return NkiChange(FEW_ANSWERS, from_year, to_year)
    delta = Decimal(after) - Decimal(before)
    judged = stats.change(before_interval, after_interval, delta)
    if judged.significant is None:
        return NkiChange(UNJUDGED, from_year, to_year, delta)
    if not judged.significant:
        return NkiChange(STEADY, from_year, to_year, delta, estimated=judged.estimated)
    return NkiChange(UP if delta > 0 else DOWN, from_year, to_year, delta, estimated=judged.estimated)


def _few(answers: int | None) -> bool:
    return answers is not None and answers < constants.CHANGE_MIN_ANSWERS


def result_change(before, after, *, breaks: Breaks, from_year: int | None = None) -> NkiChange:
    """The change of a kommun's NKI from `before` (an NkiResult or None) to `after` (an NkiResult).

    `from_year` defaults to the year before `after`; a `before` of another year is not compared.
    """
    from_year = from_year if from_year is not None else after.year - 1
    if before is not None and before.year != from_year:
        before = None
    return between(
        area_id=after.area_id,
        from_year=from_year,
        to_year=after.year,
        before=before.nki if before is not None else None,
        after=after.nki,
        breaks=breaks,
        before_interval=stats.interval(before.nki, before.answers, before.ci_low, before.ci_high) if before else None,
        after_interval=stats.interval(after.nki, after.answers, after.ci_low, after.ci_high),
        small_sample=before is not None and (_few(before.answers) or _few(after.answers)),
    )


def average_change(
    *,
    area_id: int,
    from_year: int,
    to_year: int,
    before: Decimal | None,
    after: Decimal | None,
    before_n: int,
    after_n: int,
    breaks: Breaks,
    from_reference: bool = False,
) -> NkiChange:
    """The change of an average (SBA, national, similar kommuner) between two years.

    Too few kommuner behind either average: "too few"; a published reference value stands for the
    whole country, so it is not counted. An average has no interval: the delta is never called
    significant (status unjudged)."""
    small = not from_reference and min(before_n, after_n) < constants.CHANGE_AVERAGE_MIN_KOMMUNER
    return between(
        area_id=area_id,
        from_year=from_year,
        to_year=to_year,
        before=before,
        after=after,
        breaks=breaks,
        small_sample=small,
    )
