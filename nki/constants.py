"""NKI's fixed rules in one place: grade bands, small-sample thresholds, size groups, factors.

Service areas, method breaks, reference values and Kolada KPI ids are data (tables seeded by a
migration, editable in admin); what is here is the reading rules that SKR publishes with Insikt
(see BRIEF.md, "NKI facts the portal relies on"). Change a rule here and every page follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import palette


@dataclass(frozen=True)
class GradeBand:
    code: str
    lower: int  # inclusive lower bound on the NKI rounded to a whole number, as SKR publishes it
    label: object  # lazy translation
    css: str  # badge class from the one palette (members/palette.py)


# ≥ 80 mycket högt, 70–79 högt, 62–69 godkänt, 50–61 lågt, < 50 mycket lågt. Highest first.
GRADE_BANDS: tuple[GradeBand, ...] = (
    GradeBand(
        "very_high", 80, pgettext_lazy("NKI grade", "very high"), palette.badge(palette.NKI_BAND_STEP["very_high"])
    ),
    GradeBand("high", 70, pgettext_lazy("NKI grade", "high"), palette.badge(palette.NKI_BAND_STEP["high"])),
    GradeBand("pass", 62, pgettext_lazy("NKI grade", "pass"), palette.badge(palette.NKI_BAND_STEP["pass"])),
    GradeBand("low", 50, pgettext_lazy("NKI grade", "low"), palette.badge(palette.NKI_BAND_STEP["low"])),
    GradeBand("very_low", 0, pgettext_lazy("NKI grade", "very low"), palette.badge(palette.NKI_BAND_STEP["very_low"])),
)

# Publication thresholds (number of answers behind a value).
SHOW_MIN_ANSWERS = 7  # below this a value is greyed out with a word ("too few answers")
RELIABLE_MIN_ANSWERS = 10  # SKR's Öppna jämförelser: below this a value is flagged as uncertain
RANKING_MIN_ANSWERS = 20  # the NKI-totalt ranking: below this a kommun is not ranked

# When no confidence interval is given, the margin of error of an NKI value is estimated from the
# number of answers: 1.96 · SD / √n, with the spread of individual NKI answers assumed to be this
# many index points (a conservative figure for 0–100 NKI scales). Explained on the kommun page.
ASSUMED_ANSWER_SD = Decimal("22")
Z_95 = Decimal("1.96")

# A change between two years is reported only when both values rest on at least this many answers
# (SKR's Öppna jämförelser threshold): below it the change says "too few answers" instead of a number.
CHANGE_MIN_ANSWERS = RELIABLE_MIN_ANSWERS
# A change of an average (SBA, national, similar kommuner) is reported only when at least this many
# kommuner stand behind both years' averages; an average has no interval, so its change is never
# called significant (nki/change.py).
CHANGE_AVERAGE_MIN_KOMMUNER = 5

# A correlation needs at least this many kommuner to be shown at all.
CORRELATION_MIN_KOMMUNER = 5

# The national average is computed from the stored results when at least this many kommuner have
# a value; otherwise the published reference value (Kolada national average) is used.
NATIONAL_MIN_KOMMUNER = 100

# Complete years: a year becomes "the latest" (overviews, reports, e-mail) only when at least this
# share of that year's SBA members have a result for it, or when a national figure for the year is
# present (a stored Kolada reference value, or NATIONAL_MIN_KOMMUNER kommuner with a value). Newer
# years are shown as preliminary. Every year up to the latest complete one counts as final.
# Read by nki.selectors.year_statuses() / latest_complete_year().
COMPLETE_YEAR_MEMBER_SHARE = Decimal("0.5")

# The NKI kommun page shows the kommun's newest this many years (charts and tables), with a link to
# every year: what a reader compares is the recent trend, and the page's cost stays the same as
# history grows (the averages of every year in history were most of its cold cost).
KOMMUN_PAGE_YEARS = 10

# "Biggest improvers": change over this many years, from values with at least SHOW_MIN_ANSWERS.
IMPROVER_YEARS = 3
IMPROVER_COUNT = 10


@dataclass(frozen=True)
class SizeGroup:
    code: str
    lower: int  # inclusive lower bound on the latest population
    label: object


# Similar kommuner = the same size group by the latest recorded population. Largest first.
SIZE_GROUPS: tuple[SizeGroup, ...] = (
    SizeGroup("large", 100_000, _("100 000 inhabitants or more")),
    SizeGroup("medium_large", 50_000, _("50 000–99 999 inhabitants")),
    SizeGroup("medium", 25_000, _("25 000–49 999 inhabitants")),
    SizeGroup("small", 10_000, _("10 000–24 999 inhabitants")),
    SizeGroup("very_small", 0, _("fewer than 10 000 inhabitants")),
)


@dataclass(frozen=True)
class Factor:
    field: str
    label: object
    headers: tuple[str, ...]  # header names in files (Swedish and English), compared normalised


# The six service factors of the Insikt questionnaire, each reported as its own index.
FACTORS: tuple[Factor, ...] = (
    Factor("information", _("Information"), ("information", "info")),
    Factor("tillganglighet", _("Accessibility"), ("tillgänglighet", "accessibility", "availability")),
    Factor("bemotande", _("Treatment"), ("bemötande", "treatment", "attitude")),
    Factor("kompetens", _("Competence"), ("kompetens", "competence")),
    Factor("rattssakerhet", _("Legal certainty"), ("rättssäkerhet", "legal certainty", "rule of law")),
    Factor("effektivitet", _("Efficiency"), ("effektivitet", "efficiency")),
)
FACTOR_FIELDS: tuple[str, ...] = tuple(f.field for f in FACTORS)

# Import limits (besides settings.UPLOAD_MAX_BYTES for the file itself).
XLSX_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # a zip bomb expands far beyond this
XLSX_MAX_COMPRESSION_RATIO = 250
IMPORT_MAX_CELLS = 2_000_000
IMPORT_PREVIEW_ROWS = 20
