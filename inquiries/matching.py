"""Explainable matching: rate every member kommun against an inquiry. Pure and deterministic.

No database access here: selectors load the kommuner's profiles and sites (a fixed number of
queries) into the plain dataclasses below, then call `rate_all`. The same input always gives the
same output, in the same order.

Each requirement of the inquiry is rated against the kommun's *best site* (the site with the fewest
unmet, then fewest near or unknown requirements; ties go to the larger site, then the name):
- MET: the site satisfies it;
- NEAR: it misses by no more than the tolerance in `constants`;
- NOT_MET: it misses by more;
- UNKNOWN: the profile lacks the data. Unknown never excludes a kommun: at worst it makes a
  near-miss, and the reason says what is missing.
The kommun is then a MATCH (everything met), a NEAR_MISS (something near or unknown) or NO_MATCH
(something not met). Each rating carries its parameters, so the one-line reason ("Needs 20 ha —
largest site 12 ha") is rendered in the reader's language when shown, also from a stored snapshot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import constants

MET, NEAR, NOT_MET, UNKNOWN = "met", "near", "not_met", "unknown"
MATCH, NEAR_MISS, NO_MATCH = "match", "near_miss", "no_match"
CLASS_ORDER = {MATCH: 0, NEAR_MISS: 1, NO_MATCH: 2}


@dataclass(frozen=True)
class SiteData:
    name: str
    area_ha: Decimal | None = None
    ownership: str = ""  # municipal / private / mixed / "" (unknown)
    zoning: str = ""  # in_force / in_progress / none / ""
    available_from: datetime.date | None = None
    power_mw: Decimal | None = None
    km_motorway: Decimal | None = None
    km_rail: Decimal | None = None
    km_port: Decimal | None = None
    km_airport: Decimal | None = None
    id: int | None = None


@dataclass(frozen=True)
class ProfileData:
    kommun_id: int
    name: str
    sites: tuple[SiteData, ...] = ()
    wanted_sectors: frozenset[int] = frozenset()
    strong_sectors: frozenset[int] = frozenset()
    appetite: str = "near"  # all / near / matching (members.KommunProfile.Appetite)
    has_profile: bool = False
    code: str = ""


@dataclass(frozen=True)
class Requirements:
    sector_id: int | None = None
    sector_name: str = ""
    area_ha: Decimal | None = None
    municipal_land: bool = False
    zoning_ready: bool = False
    power_mw: Decimal | None = None
    km_motorway: Decimal | None = None
    km_rail: Decimal | None = None
    km_port: Decimal | None = None
    km_airport: Decimal | None = None
    needed_by: datetime.date | None = None


@dataclass(frozen=True)
class Rating:
    """One requirement rated for one kommun. `params` hold the numbers the reason shows."""

    key: str
    status: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return reason_text(self.key, self.status, self.params)

    def as_json(self) -> dict:
        return {"key": self.key, "status": self.status, "params": self.params}


@dataclass(frozen=True)
class KommunRating:
    kommun_id: int
    name: str
    code: str
    match_class: str
    ratings: tuple[Rating, ...]
    best_site: str | None
    appetite: str
    has_profile: bool

    @property
    def counts(self) -> dict[str, int]:
        counts = {MET: 0, NEAR: 0, NOT_MET: 0, UNKNOWN: 0}
        for rating in self.ratings:
            counts[rating.status] += 1
        return counts

    @property
    def selected_by_default(self) -> bool:
        return default_selected(self.match_class, self.appetite)

    def as_json(self) -> dict:
        return {
            "match_class": self.match_class,
            "best_site": self.best_site,
            "ratings": [r.as_json() for r in self.ratings],
        }


def default_selected(match_class: str, appetite: str) -> bool:
    """Whether staff's recipient picker ticks this kommun at first (they may change it)."""
    if appetite == "all":
        return True
    if appetite == "matching":
        return match_class == MATCH
    return match_class in (MATCH, NEAR_MISS)


# --- Rating one site ------------------------------------------------------------------------------

DISTANCE_KEYS = ("km_motorway", "km_rail", "km_port", "km_airport")


def _num(value: Decimal | None) -> str:
    return "" if value is None else str(value.normalize() if isinstance(value, Decimal) else value)


def _site_ratings(req: Requirements, site: SiteData, all_sites: tuple[SiteData, ...]) -> list[Rating]:
    ratings: list[Rating] = []
    if req.area_ha:
        need = req.area_ha
        if site.area_ha is None:
            ratings.append(Rating("area", UNKNOWN, {"need": _num(need), "site": site.name}))
        elif site.area_ha >= need:
            ratings.append(Rating("area", MET, {"need": _num(need), "have": _num(site.area_ha), "site": site.name}))
        else:
            largest = max((s.area_ha for s in all_sites if s.area_ha is not None), default=site.area_ha)
            status = NEAR if site.area_ha >= need * (1 - constants.AREA_TOLERANCE) else NOT_MET
            params = {"need": _num(need), "have": _num(site.area_ha), "largest": _num(largest), "site": site.name}
            ratings.append(Rating("area", status, params))
    if req.municipal_land:
        if not site.ownership:
            ratings.append(Rating("municipal_land", UNKNOWN, {"site": site.name}))
        elif site.ownership == "municipal":
            ratings.append(Rating("municipal_land", MET, {"site": site.name}))
        elif site.ownership == "mixed":
            ratings.append(Rating("municipal_land", NEAR, {"site": site.name}))
        else:
            only_private = all(s.ownership == "private" for s in all_sites)
            ratings.append(Rating("municipal_land", NOT_MET, {"site": site.name, "only_private": only_private}))
    if req.zoning_ready:
        status = {"in_force": MET, "in_progress": NEAR, "none": NOT_MET}.get(site.zoning, UNKNOWN)
        ratings.append(Rating("zoning", status, {"site": site.name}))
    if req.power_mw:
        need = req.power_mw
        if site.power_mw is None:
            ratings.append(Rating("power", UNKNOWN, {"need": _num(need), "site": site.name}))
        else:
            if site.power_mw >= need:
                status = MET
            elif site.power_mw >= need * (1 - constants.POWER_TOLERANCE):
                status = NEAR
            else:
                status = NOT_MET
            ratings.append(
                Rating("power", status, {"need": _num(need), "have": _num(site.power_mw), "site": site.name})
            )
    for key in DISTANCE_KEYS:
        limit = getattr(req, key)
        if limit is None:
            continue
        have = getattr(site, key)
        if have is None:
            ratings.append(Rating(key, UNKNOWN, {"max": _num(limit), "site": site.name}))
            continue
        slack = max(limit * constants.DISTANCE_TOLERANCE, constants.DISTANCE_TOLERANCE_MIN_KM)
        status = MET if have <= limit else (NEAR if have <= limit + slack else NOT_MET)
        ratings.append(Rating(key, status, {"max": _num(limit), "have": _num(have), "site": site.name}))
    if req.needed_by:
        if site.available_from is None:
            ratings.append(Rating("available", UNKNOWN, {"need": req.needed_by.isoformat(), "site": site.name}))
        else:
            late = (site.available_from - req.needed_by).days
            if late <= 0:
                status = MET
            elif late <= constants.AVAILABILITY_TOLERANCE_DAYS:
                status = NEAR
            else:
                status = NOT_MET
            params = {"need": req.needed_by.isoformat(), "have": site.available_from.isoformat(), "site": site.name}
            ratings.append(Rating("available", status, params))
    return ratings


def _site_needed(req: Requirements) -> bool:
    return bool(
        req.area_ha
        or req.municipal_land
        or req.zoning_ready
        or req.power_mw
        or req.needed_by
        or any(getattr(req, k) is not None for k in DISTANCE_KEYS)
    )


def _score(ratings: list[Rating]) -> tuple[int, int, int]:
    not_met = sum(r.status == NOT_MET for r in ratings)
    soft = sum(r.status in (NEAR, UNKNOWN) for r in ratings)
    met = sum(r.status == MET for r in ratings)
    return (not_met, soft, -met)


def _classify(ratings: tuple[Rating, ...]) -> str:
    statuses = {r.status for r in ratings}
    if NOT_MET in statuses:
        return NO_MATCH
    if statuses & {NEAR, UNKNOWN}:
        return NEAR_MISS
    return MATCH


# --- Rating one kommun and all of them -----------------------------------------------------------


def rate(req: Requirements, profile: ProfileData) -> KommunRating:
    ratings: list[Rating] = []
    best_site: SiteData | None = None
    if req.sector_id is not None:
        params = {"sector": req.sector_name}
        if req.sector_id in profile.wanted_sectors or req.sector_id in profile.strong_sectors:
            ratings.append(Rating("sector", MET, params))
        elif profile.wanted_sectors or profile.strong_sectors:
            ratings.append(Rating("sector", NEAR, params))
        else:
            ratings.append(Rating("sector", UNKNOWN, params))
    if _site_needed(req):
        if not profile.sites:
            ratings.append(Rating("sites", UNKNOWN, {}))
        else:
            candidates = [(s, _site_ratings(req, s, profile.sites)) for s in profile.sites]
            best_site, site_ratings = min(
                candidates,
                key=lambda c: (*_score(c[1]), -(c[0].area_ha or 0), c[0].name),
            )
            ratings.extend(site_ratings)
    result = tuple(ratings)
    return KommunRating(
        kommun_id=profile.kommun_id,
        name=profile.name,
        code=profile.code,
        match_class=_classify(result),
        ratings=result,
        best_site=best_site.name if best_site else None,
        appetite=profile.appetite,
        has_profile=profile.has_profile,
    )


def rate_all(req: Requirements, profiles: list[ProfileData]) -> list[KommunRating]:
    """Every kommun rated, ranked: match, near-miss, no match; within a class most met first."""
    rated = [rate(req, p) for p in profiles]
    return sorted(
        rated,
        key=lambda r: (
            CLASS_ORDER[r.match_class],
            -r.counts[MET],
            r.counts[NOT_MET],
            r.counts[UNKNOWN],
            r.name,
            r.kommun_id,
        ),
    )


# --- Reasons, in the reader's language ------------------------------------------------------------


def _n(value: str) -> str:
    """A stored number shown with the reader's decimal separator (12.5 → 12,5 in Swedish)."""
    if value in ("", None):
        return "—"
    return number_format(Decimal(value), decimal_pos=None, use_l10n=True)


def reason_text(key: str, status: str, params: dict) -> str:
    p = dict(params)
    for k in ("need", "have", "max", "largest"):
        if k in p and key not in ("available",):
            p[k] = _n(p[k])
    site = p.get("site", "")
    if key == "sector":
        if status == MET:
            return _("%(sector)s is one of the kommun's sectors") % p
        if status == NEAR:
            return _("%(sector)s is not among the kommun's chosen sectors") % p
        return _("%(sector)s — the profile lists no sectors") % p
    if key == "sites":
        return _("No sites listed in the profile")
    if key == "area":
        if status == MET:
            return _("Needs %(need)s ha — %(site)s has %(have)s ha") % p
        if status == UNKNOWN:
            return _("Needs %(need)s ha — no area given for %(site)s") % p
        if p.get("largest", p["have"]) == p["have"]:
            return _("Needs %(need)s ha — largest site %(have)s ha") % p
        return _("Needs %(need)s ha — %(site)s has %(have)s ha (largest site %(largest)s ha)") % p
    if key == "municipal_land":
        if status == MET:
            return _("Municipal land required — %(site)s is municipal") % p
        if status == NEAR:
            return _("Municipal land required — %(site)s is partly municipal") % p
        if status == UNKNOWN:
            return _("Municipal land required — ownership of %(site)s not given") % p
        if p.get("only_private"):
            return _("Municipal land required — only private land listed")
        return _("Municipal land required — %(site)s is privately owned") % p
    if key == "zoning":
        return {
            MET: _("Zoning ready required — detaljplan in force at %(site)s"),
            NEAR: _("Zoning ready required — detaljplan in progress at %(site)s"),
            NOT_MET: _("Zoning ready required — no detaljplan at %(site)s"),
        }.get(status, _("Zoning ready required — zoning of %(site)s not given")) % {"site": site}
    if key == "power":
        if status == UNKNOWN:
            return _("Needs %(need)s MW — no grid power given for %(site)s") % p
        return _("Needs %(need)s MW — %(site)s has %(have)s MW") % p
    if key in DISTANCE_KEYS:
        what = {
            "km_motorway": _("Motorway"),
            "km_rail": _("Rail freight"),
            "km_port": _("Port"),
            "km_airport": _("Airport"),
        }[key]
        p["what"] = what
        if status == UNKNOWN:
            return _("%(what)s within %(max)s km — distance from %(site)s not given") % p
        return _("%(what)s within %(max)s km — %(site)s is %(have)s km away") % p
    if key == "available":
        if status == UNKNOWN:
            return _("Needed by %(need)s — availability of %(site)s not given") % p
        return _("Needed by %(need)s — %(site)s available from %(have)s") % p
    return key


STATUS_LABELS = {
    MET: gettext_lazy("Met"),
    NEAR: gettext_lazy("Near"),
    NOT_MET: gettext_lazy("Not met"),
    UNKNOWN: gettext_lazy("Unknown"),
}
CLASS_LABELS = {
    MATCH: gettext_lazy("Match"),
    NEAR_MISS: gettext_lazy("Near-miss"),
    NO_MATCH: gettext_lazy("No match"),
}
