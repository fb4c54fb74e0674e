"""What an inquiry can ask of a kommun, in one table: CRITERIA.

Each criterion names the inquiry field that holds the requirement, the site (or profile) field it
is compared with, the comparison and its tolerance, the label shown beside the requirement, and
the reason texts per status. The table drives the rating (inquiries.matching), the reasons in the
reader's language, the inquiry form's requirement section and the requirement list on the inquiry
and dispatch pages. Adding a requirement: a field on Inquiry (and on Site when the site lacks it)
with its migration, one Criterion below, and the Swedish texts in the .po file.

Pure: no database access. Numbers in params are plain decimal strings ("50", "12.5": never "5E+1"),
dates ISO strings, so a stored rating (Dispatch.match_snapshot) reads back in any language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, get_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import constants

MET, NEAR, NOT_MET, UNKNOWN = "met", "near", "not_met", "unknown"

# A comparison: (criterion, what the inquiry needs, the site, all the kommun's sites) → (status, params).
Comparison = Callable[["Criterion", object, Mapping, tuple], tuple[str, dict]]
# A reason: a format string over the params, or a function choosing one from them.
Reason = Promise | Callable[[dict], Promise]


def plain_number(value: Decimal | int | None) -> str:
    """A number as stored in params: no exponent, no trailing zeros (50, 12.5, 0.3)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def shown_number(value: str) -> str:
    """A stored number in the reader's convention (12.5 → 12,5 in Swedish)."""
    if value in ("", None):
        return "—"
    whole = value.lstrip("-").partition(".")[0]
    if len(whole) < 4:  # no thousands to group: only the decimal sign (a match page shows hundreds)
        return value.replace(".", get_format("DECIMAL_SEPARATOR"))
    return number_format(Decimal(value), decimal_pos=None, use_l10n=True)


# --- Comparisons ---------------------------------------------------------------------------------


def at_least(criterion: Criterion, need, site: Mapping, all_sites: tuple) -> tuple[str, dict]:
    """The site's value must reach the need; `tolerance` is the share it may fall short and be near."""
    have = site.get(criterion.site_field)
    params = {"need": plain_number(need), "site": site["name"]}
    if have is None:
        return UNKNOWN, params
    params["have"] = plain_number(have)
    if have >= need:
        return MET, params
    status = NEAR if have >= need * (1 - criterion.tolerance) else NOT_MET
    if criterion.report_largest:
        known = [s.get(criterion.site_field) for s in all_sites if s.get(criterion.site_field) is not None]
        params["largest"] = plain_number(max(known, default=have))
    return status, params


def at_most(criterion: Criterion, limit, site: Mapping, all_sites: tuple) -> tuple[str, dict]:
    """The site's value may not exceed the limit; near within `tolerance` = (share, minimum)."""
    have = site.get(criterion.site_field)
    params = {"max": plain_number(limit), "site": site["name"]}
    if have is None:
        return UNKNOWN, params
    params["have"] = plain_number(have)
    share, minimum = criterion.tolerance
    slack = max(limit * share, minimum)
    return (MET if have <= limit else (NEAR if have <= limit + slack else NOT_MET)), params


def available_by(criterion: Criterion, need: datetime.date, site: Mapping, all_sites: tuple) -> tuple[str, dict]:
    """The site must be available by the date; near within `tolerance` days after it."""
    have = site.get(criterion.site_field)
    params = {"need": need.isoformat(), "site": site["name"]}
    if have is None:
        return UNKNOWN, params
    params["have"] = have.isoformat()
    late = (have - need).days
    return (MET if late <= 0 else (NEAR if late <= criterion.tolerance else NOT_MET)), params


def same_kind(criterion: Criterion, need: str, site: Mapping, all_sites: tuple) -> tuple[str, dict]:
    """The place must be of the kind asked for; near when it is of a kind close to it
    (criterion.tolerance maps a kind to the kinds that are near it)."""
    have = site.get(criterion.site_field) or ""
    params = {"need": need, "site": site["name"]}
    if not have:
        return UNKNOWN, params
    params["have"] = have
    if have == need:
        return MET, params
    return (NEAR if have in criterion.tolerance.get(need, ()) else NOT_MET), params


def one_of(criterion: Criterion, need, site: Mapping, all_sites: tuple) -> tuple[str, dict]:
    """A required yes/no: the site's choice decides (criterion.tolerance maps choice → status)."""
    value = site.get(criterion.site_field) or ""
    params = {"site": site["name"]}
    if not value:
        return UNKNOWN, params
    status = criterion.tolerance.get(value, NOT_MET)
    if status == NOT_MET and criterion.key == "municipal_land":
        params["only_private"] = all(s.get(criterion.site_field) == "private" for s in all_sites)
    return status, params


# --- The table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str  # the rating's key, stored in snapshots: never rename
    inquiry_field: str  # Inquiry field with the requirement (empty / False: not asked for)
    site_field: str  # Site field compared with it
    compare: Comparison
    tolerance: object  # what `compare` allows as near (constants.py)
    label: Promise  # the requirement's name on pages ("Site area")
    unit: str  # shown after the requirement's value: "ha", "MW", "km", "" (yes/no), "date"
    reasons: dict[str, Reason]  # status → reason text; "other": any status not listed
    report_largest: bool = False  # at_least: name the kommun's largest value when not met
    words: dict[str, Promise] = field(default_factory=dict)  # extra params for the reason texts
    choices: dict[str, Promise] = field(default_factory=dict)  # same_kind: a stored value → its name

    @property
    def need_name(self) -> str:
        """The requirement's name in matching.Requirements (the inquiry field without req_)."""
        return self.inquiry_field.removeprefix("req_")

    def asked(self, need) -> bool:
        """Whether an inquiry asks for this at all (a distance of 0 km is asked; an area of 0 is not)."""
        return need is not None if self.compare is at_most else bool(need)

    def need_text(self, need) -> str:
        """What the inquiry asks, short, in the reader's language: "≥ 20 ha", "≤ 5 km", "by 2027-06-30"."""
        if self.unit == "":
            return str(_("required"))
        if self.unit == "date":
            return str(_("by %(date)s") % {"date": date_format(need, "SHORT_DATE_FORMAT")})
        if self.choices:  # a kind (same_kind): its name
            return str(self.choices.get(need, need))
        sign = "≤" if self.compare is at_most else "≥"
        return f"{sign} {shown_number(plain_number(need))} {self.unit}"

    def rate(self, need, site: Mapping, all_sites: tuple) -> tuple[str, dict]:
        return self.compare(self, need, site, all_sites)

    def reason(self, status: str, params: dict) -> str:
        shown = {**params, **{name: str(word) for name, word in self.words.items()}}
        for name in ("need", "have", "max", "largest"):
            if name in shown and self.choices:
                shown[name] = str(self.choices.get(shown[name], shown[name]))
            elif name in shown and self.compare is not available_by:
                shown[name] = shown_number(shown[name])
        text = self.reasons.get(status) or self.reasons["other"]
        if callable(text) and not isinstance(text, Promise):
            text = text(shown)
        return str(text) % shown


def _area_not_met(p: dict) -> Promise:
    if p.get("largest", p["have"]) == p["have"]:
        return _("Needs %(need)s ha — largest site %(have)s ha")
    return _("Needs %(need)s ha — %(site)s has %(have)s ha (largest site %(largest)s ha)")


def _not_municipal(p: dict) -> Promise:
    if p.get("only_private"):
        return _("Municipal land required — only private land listed")
    return _("Municipal land required — %(site)s is privately owned")


def _distance(key: str, label: Promise, what: Promise) -> Criterion:
    return Criterion(
        key=key,
        inquiry_field=f"req_{key}",
        site_field=key,
        compare=at_most,
        tolerance=(constants.DISTANCE_TOLERANCE, constants.DISTANCE_TOLERANCE_MIN_KM),
        label=label,
        unit="km",
        reasons={
            UNKNOWN: _("%(what)s within %(max)s km — distance from %(site)s not given"),
            "other": _("%(what)s within %(max)s km — %(site)s is %(have)s km away"),
        },
        words={"what": what},
    )


CRITERIA: list[Criterion] = [
    Criterion(
        key="area",
        inquiry_field="req_area_ha",
        site_field="area_ha",
        compare=at_least,
        tolerance=constants.AREA_TOLERANCE,
        label=_("Site area"),
        unit="ha",
        reasons={
            MET: _("Needs %(need)s ha — %(site)s has %(have)s ha"),
            UNKNOWN: _("Needs %(need)s ha — no area given for %(site)s"),
            "other": _area_not_met,
        },
        report_largest=True,
    ),
    Criterion(
        key="municipal_land",
        inquiry_field="req_municipal_land",
        site_field="ownership",
        compare=one_of,
        tolerance={"municipal": MET, "mixed": NEAR},
        label=_("Municipal land"),
        unit="",
        reasons={
            MET: _("Municipal land required — %(site)s is municipal"),
            NEAR: _("Municipal land required — %(site)s is partly municipal"),
            UNKNOWN: _("Municipal land required — ownership of %(site)s not given"),
            "other": _not_municipal,
        },
    ),
    Criterion(
        key="zoning",
        inquiry_field="req_zoning_ready",
        site_field="zoning",
        compare=one_of,
        tolerance={"in_force": MET, "in_progress": NEAR},
        label=_("Zoning ready"),
        unit="",
        reasons={
            MET: _("Zoning ready required — detaljplan in force at %(site)s"),
            NEAR: _("Zoning ready required — detaljplan in progress at %(site)s"),
            NOT_MET: _("Zoning ready required — no detaljplan at %(site)s"),
            "other": _("Zoning ready required — zoning of %(site)s not given"),
        },
    ),
    Criterion(
        key="power",
        inquiry_field="req_power_mw",
        site_field="power_mw",
        compare=at_least,
        tolerance=constants.POWER_TOLERANCE,
        label=_("Power"),
        unit="MW",
        reasons={
            UNKNOWN: _("Needs %(need)s MW — no grid power given for %(site)s"),
            "other": _("Needs %(need)s MW — %(site)s has %(have)s MW"),
        },
    ),
    _distance("km_motorway", _("Motorway within"), _("Motorway")),
    _distance("km_rail", _("Rail freight within"), _("Rail freight")),
    _distance("km_port", _("Port within"), _("Port")),
    _distance("km_airport", _("Airport within"), _("Airport")),
    Criterion(
        key="premises_area",
        inquiry_field="req_premises_m2",
        site_field="floor_area_m2",
        compare=at_least,
        tolerance=constants.PREMISES_AREA_TOLERANCE,
        label=_("Premises floor area"),
        unit="m²",
        reasons={
            MET: _("Needs premises of %(need)s m² — %(site)s has %(have)s m²"),
            UNKNOWN: _("Needs premises of %(need)s m² — no premises floor area given for %(site)s"),
            "other": _("Needs premises of %(need)s m² — %(site)s has %(have)s m²"),
        },
    ),
    Criterion(
        key="premises_kind",
        inquiry_field="req_premises_kind",
        site_field="kind",
        compare=same_kind,
        tolerance=constants.PREMISES_NEAR_KINDS,
        label=_("Type of premises"),
        unit="type",
        reasons={
            MET: _("Premises for %(need)s required — %(site)s is %(have)s"),
            NEAR: _("Premises for %(need)s required — %(site)s is %(have)s, which may serve"),
            NOT_MET: _("Premises for %(need)s required — %(site)s is %(have)s"),
            "other": _("Premises for %(need)s required — %(site)s has no premises type given"),
        },
        choices=constants.PREMISES_KINDS,
    ),
    Criterion(
        key="available",
        inquiry_field="needed_by",
        site_field="available_from",
        compare=available_by,
        tolerance=constants.AVAILABILITY_TOLERANCE_DAYS,
        label=_("Needed by"),
        unit="date",
        reasons={
            UNKNOWN: _("Needed by %(need)s — availability of %(site)s not given"),
            "other": _("Needed by %(need)s — %(site)s available from %(have)s"),
        },
    ),
]


def by_key(key: str) -> Criterion | None:
    return next((c for c in CRITERIA if c.key == key), None)


def site_fields() -> list[str]:
    return [c.site_field for c in CRITERIA]


def inquiry_fields() -> list[str]:
    return [c.inquiry_field for c in CRITERIA]


def requirement_rows(inquiry) -> list[tuple[Criterion, object]]:
    """(criterion, value) for the requirement list on the inquiry and dispatch pages, in table order:
    what the inquiry asks for, and every yes/no requirement (shown as required or not)."""
    rows = []
    for criterion in CRITERIA:
        value = getattr(inquiry, criterion.inquiry_field)
        if criterion.asked(value) or criterion.unit == "":
            rows.append((criterion, criterion.choices.get(value, value) if criterion.choices else value))
    return rows
