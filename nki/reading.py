"""What every NKI reader shares: the problems and values a file is read into, finding kommuner
and areas by their usual names, and reading one cell (index, count, year, interval).

Imported by nki.sheets (xlsx and CSV) and nki.kolada (Kolada JSON); imports neither.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from members.models import Kommun
from members.tabular import Unreadable

from . import constants
from .models import ServiceArea

INDEX_FIELDS = ("nki", "ci_low", "ci_high", *constants.FACTOR_FIELDS)
VALUE_FIELDS = ("nki", "answers", "ci_low", "ci_high", *constants.FACTOR_FIELDS)
BLANK = {"", "-", "–", "—", "..", "*", "n/a", "na"}


class UploadRefused(Exception):
    """The file as a whole cannot be read (wrong type, too big, damaged). The message says why."""

    @classmethod
    def of(cls, unreadable: Unreadable) -> UploadRefused:
        return cls(unreadable.message)


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ParsedValue:
    row: int
    kommun: Kommun
    year: int
    area: ServiceArea
    values: dict[str, Decimal | int | None]  # only the fields the file covers for this value

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.kommun.pk, self.year, self.area.pk)


@dataclass
class Parsed:
    kind: str = ""
    values: list[ParsedValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0  # summary rows and empty values
    layout: str = ""


# --- Names ---------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[\-–—_/():.,;*'\"]+")


def normalise(text: object) -> str:
    """Lower case, '&' as 'och', punctuation as space, single spaces: 'Miljö- och hälsoskydd'."""
    text = str(text or "").replace("\xa0", " ").replace("&", " och ").lower()
    return " ".join(_PUNCT.sub(" ", text).split())


def _genitive(name: str) -> str:
    # Swedish genitive: Flen → Flens, but Kramfors, Vadstena-like names ending in s/x/z keep theirs.
    return name if name[-1:] in "sxz" else f"{name}s"


class KommunLookup:
    """Find a kommun by kod ('0482', '482', 482) or name ('Flen', 'FLEN', 'Flens kommun').

    Name variants are built from the register, not hard-coded: the name, its genitive with
    'kommun' or 'stad' ('Stockholms stad', 'Hässleholms kommun', 'Kramfors kommun'), 'Region X'
    ('Region Gotland'). A variant that would fit two kommuner is dropped rather than guessed.
    """

    _CODE_IN_TEXT = re.compile(r"^\(?(\d{3,4})\)?\s|\((\d{3,4})\)$")

    def __init__(self, kommuner: list[Kommun] | None = None):
        kommuner = kommuner if kommuner is not None else list(Kommun.objects.all())
        self._memo: dict = {}
        self.by_code = {k.code: k for k in kommuner}
        variants: dict[str, set[int]] = {}
        by_pk = {}
        for kommun in kommuner:
            by_pk[kommun.pk] = kommun
            base = normalise(kommun.name)
            gen = _genitive(base)
            for variant in (
                base,
                gen,
                f"{base} kommun",
                f"{gen} kommun",
                f"{base} stad",
                f"{gen} stad",
                f"region {base}",
                f"kommun {base}",
            ):
                variants.setdefault(variant, set()).add(kommun.pk)
        self.by_name = {v: by_pk[next(iter(pks))] for v, pks in variants.items() if len(pks) == 1}

    def code_of(self, raw: object) -> str | None:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int | float) and float(raw).is_integer():
            raw = str(int(raw))
        text = str(raw or "").strip()
        if re.fullmatch(r"\d{1,4}", text):
            return text.zfill(4)
        return None

    def find(self, raw: object) -> Kommun | None:
        key = (type(raw), raw)
        if key not in self._memo:
            self._memo[key] = self._find(raw)
        return self._memo[key]

    def _find(self, raw: object) -> Kommun | None:
        code = self.code_of(raw)
        if code is not None:
            return self.by_code.get(code)
        text = str(raw or "").strip()
        match = self._CODE_IN_TEXT.search(text)
        if match:
            return self.by_code.get((match.group(1) or match.group(2)).zfill(4))
        return self.by_name.get(normalise(text))


class AreaLookup:
    """Find a service area by code, Swedish or English name or an alias (any case), 'NKI X' too."""

    def __init__(self, areas: list[ServiceArea] | None = None):
        areas = areas if areas is not None else list(ServiceArea.objects.all())
        self._memo: dict = {}
        self.by_code = {a.code: a for a in areas}
        self.by_name: dict[str, ServiceArea] = {}
        for area in areas:
            for name in (area.code, area.name_sv, area.name_en, *area.alias_list()):
                self.by_name.setdefault(normalise(name), area)

    def find(self, raw: object) -> ServiceArea | None:
        key = (type(raw), raw)
        if key not in self._memo:
            self._memo[key] = self._find(raw)
        return self._memo[key]

    def _find(self, raw: object) -> ServiceArea | None:
        text = normalise(raw)
        if text in self.by_name:
            return self.by_name[text]
        if text.startswith("nki "):
            return self.by_name.get(text[4:])
        return None


# --- Cells ---------------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\xa0", " ").strip()


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, int | float):
        return False
    return cell_text(value).lower() in BLANK


def parse_index(value: object) -> Decimal:
    """An index 0–100 with one decimal; decimal comma or point. Raises ValueError with a message."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = cell_text(value).replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": cell_text(value)}) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValueError(_("%(value)s is outside 0–100.") % {"value": cell_text(value)})
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def parse_count(value: object) -> int:
    """A number of answers: a whole number, 0 or more ('1 234' allowed)."""
    text = cell_text(value).replace(" ", "")
    try:
        number = Decimal(text.replace(",", ".") if isinstance(value, str) else text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
    if number < 0:
        raise ValueError(_("%(value)s is negative.") % {"value": cell_text(value)})
    return int(number)


def parse_year(value: object) -> int:
    text = cell_text(value)
    try:
        number = Decimal(text)
        if number != number.to_integral_value():
            raise InvalidOperation
        year = int(number)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a year.") % {"value": text}) from None
    if not 2000 <= year <= datetime.date.today().year + 1:
        raise ValueError(_("%(value)s is not a plausible year for NKI results.") % {"value": text})
    return year


_RANGE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:[–—-]|till|to)\s*(\d+(?:[.,]\d+)?)\s*$")


def parse_interval(value: object) -> tuple[Decimal, Decimal]:
    match = _RANGE.match(cell_text(value))
    if not match:
        raise ValueError(
            _("“%(value)s” is not an interval; write it as low–high, e.g. 70,2–75,8.") % {"value": cell_text(value)}
        )
    return parse_index(match.group(1)), parse_index(match.group(2))
