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

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import criteria
from .criteria import MET, NEAR, NOT_MET, UNKNOWN

MATCH, NEAR_MISS, NO_MATCH = "match", "near_miss", "no_match"
CLASS_ORDER = {MATCH: 0, NEAR_MISS: 1, NO_MATCH: 2}
__all__ = ["MATCH", "MET", "NEAR", "NEAR_MISS", "NOT_MET", "NO_MATCH", "UNKNOWN"]


class SiteData:
    """One site as plain data: its name, id and the fields the criteria compare (criteria.py)."""

    __slots__ = ("id", "name", "values")

    def __init__(self, name: str, *, id: int | None = None, **values) -> None:
        unknown = set(values) - set(criteria.site_fields())
        if unknown:
            raise TypeError(f"no criterion compares the site field(s) {sorted(unknown)}")
        self.name, self.id, self.values = name, id, values

    def get(self, name: str, default=None):
        return self.name if name == "name" else self.values.get(name, default)

    def __getitem__(self, name: str):
        return self.get(name)

    def __getattr__(self, name: str):
        if name in criteria.site_fields():  # site.area_ha as on the model; None when not given
            return object.__getattribute__(self, "values").get(name)
        raise AttributeError(name)

    def __eq__(self, other) -> bool:
        return isinstance(other, SiteData) and (self.name, self.id, self.values) == (other.name, other.id, other.values)

    def __hash__(self) -> int:
        return hash((self.name, self.id))

    def __repr__(self) -> str:
        return f"SiteData({self.name!r}, id={self.id!r}, **{self.values!r})"


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
    lan_code: str = ""  # shown and filtered on the inquiry page; not rated
    lan_name: str = ""

    @property
    def has_data(self) -> bool:
        """Whether there is anything to rate on: sites or sectors. Without either the rating is
        all "unknown", which says nothing about the kommun."""
        return bool(self.sites or self.wanted_sectors or self.strong_sectors)


class Requirements:
    """What an inquiry asks for: its sector, and a value per criterion by its need_name (e.g.
    area_ha=Decimal(20), needed_by=date(…)); empty values are not asked for."""

    def __init__(self, *, sector_id: int | None = None, sector_name: str = "", **needs) -> None:
        known = {c.need_name for c in criteria.CRITERIA}
        if set(needs) - known:
            raise TypeError(f"no criterion for {sorted(set(needs) - known)}")
        self.sector_id, self.sector_name, self.needs = sector_id, sector_name, needs

    def asked(self) -> list[tuple[criteria.Criterion, object]]:
        """(criterion, need) for each criterion the inquiry asks for, in table order."""
        found = []
        for criterion in criteria.CRITERIA:
            need = self.needs.get(criterion.need_name)
            if criterion.asked(need):
                found.append((criterion, need))
        return found


@dataclass(frozen=True)
class Rating:
    """One requirement rated for one kommun. `params` hold the numbers the reason shows (stored);
    `names` what the reader's language names (the sector), filled when rated or read back."""

    key: str
    status: str
    params: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict, compare=False)

    @property
    def reason(self) -> str:
        return reason_text(self.key, self.status, {**self.params, **self.names})

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
    has_data: bool = True  # sites or sectors known (ProfileData.has_data)
    lan_code: str = ""
    lan_name: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts = {MET: 0, NEAR: 0, NOT_MET: 0, UNKNOWN: 0}
        for rating in self.ratings:
            counts[rating.status] += 1
        return counts

    @property
    def selected_by_default(self) -> bool:
        """Ticked at first: by the kommun's appetite, and never on no data at all (a member with no
        sites and no sectors would otherwise come out a near-miss on "unknown" alone)."""
        return self.has_data and default_selected(self.match_class, self.appetite)

    def as_json(self) -> dict:
        return snapshot_of(self)


# --- The stored rating (Dispatch.match_snapshot): written and read here, nowhere else ------------


def snapshot_of(rating: KommunRating) -> dict:
    """Plain data for the database: keys, statuses, ids and plain decimal strings; no text in
    anyone's language (the reasons are rendered when read)."""
    return {
        "match_class": rating.match_class,
        "best_site": rating.best_site,
        "ratings": [r.as_json() for r in rating.ratings],
    }


def ratings_from_snapshot(snapshot: dict | None, *, sector_name: str = "") -> list[Rating]:
    """The ratings of a stored snapshot, their reasons in the reader's language (the sector by the
    name the caller gives, i.e. the inquiry's sector as the reader's language names it)."""
    ratings = []
    for stored in (snapshot or {}).get("ratings", []):
        params = dict(stored.get("params", {}))
        params.pop("sector", None)  # snapshots from before 2026-12 held the rater's sector name
        names = {"sector": sector_name} if stored["key"] == "sector" else {}
        ratings.append(Rating(stored["key"], stored["status"], params, names))
    return ratings


def default_selected(match_class: str, appetite: str) -> bool:
    """Whether staff's recipient picker ticks this kommun at first (they may change it)."""
    if appetite == "all":
        return True
    if appetite == "matching":
        return match_class == MATCH
    return match_class in (MATCH, NEAR_MISS)


# --- Rating one site ------------------------------------------------------------------------------


def _site_ratings(asked: list, site: SiteData, all_sites: tuple[SiteData, ...]) -> list[Rating]:
    ratings = []
    for criterion, need in asked:
        status, params = criterion.rate(need, site, all_sites)
        ratings.append(Rating(criterion.key, status, params))
    return ratings


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
        params, names = {"sector_id": req.sector_id}, {"sector": req.sector_name}
        if req.sector_id in profile.wanted_sectors or req.sector_id in profile.strong_sectors:
            ratings.append(Rating("sector", MET, params, names))
        elif profile.wanted_sectors or profile.strong_sectors:
            ratings.append(Rating("sector", NEAR, params, names))
        else:
            ratings.append(Rating("sector", UNKNOWN, params, names))
    asked = req.asked()
    if asked:
        if not profile.sites:
            ratings.append(Rating("sites", UNKNOWN, {}))
        else:
            candidates = [(s, _site_ratings(asked, s, profile.sites)) for s in profile.sites]
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
        has_data=profile.has_data,
        lan_code=profile.lan_code,
        lan_name=profile.lan_name,
    )


def unmet_everywhere(reqs: Iterable[Requirements], profiles: list[ProfileData]) -> list[list[str]]:
    """For each requirement set, the keys of the asked requirements that no site of any of these
    kommuner meets (MET as `rate` rates a site: near or unknown is not met), in table order. The
    sector is not a site's and is left out, as is a kommun without sites.

    Only the verdict is computed: each requirement stops at the first site that meets it, and the
    verdict for one (criterion, need) is reused for every requirement set asking the same, since it
    depends on nothing else. No ratings, reasons or best sites are built."""
    met: dict[tuple[str, object], bool] = {}
    found = []
    for req in reqs:
        unmet = []
        for criterion, need in req.asked():
            asked = (criterion.key, need)
            if asked not in met:
                met[asked] = any(
                    criterion.rate(need, site, profile.sites)[0] == MET
                    for profile in profiles
                    for site in profile.sites
                )
            if not met[asked]:
                unmet.append(criterion.key)
        found.append(unmet)
    return found


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


def reason_text(key: str, status: str, params: dict) -> str:
    """The one-line reason for a rating, in the active language."""
    if key == "sector":
        if status == MET:
            return _("%(sector)s is one of the kommun's sectors") % params
        if status == NEAR:
            return _("%(sector)s is not among the kommun's chosen sectors") % params
        return _("%(sector)s — the profile lists no sectors") % params
    if key == "sites":
        return _("No sites listed in the profile")
    criterion = criteria.by_key(key)
    return criterion.reason(status, params) if criterion else key


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
# One requirement's status as a column of the inquiry page's match table (icon + word).
CELL_LABELS = {
    MET: gettext_lazy("Match"),
    NEAR: gettext_lazy("Near"),
    NOT_MET: gettext_lazy("No match"),
    UNKNOWN: pgettext_lazy("requirement status", "Unknown"),
}
