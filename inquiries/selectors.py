"""Reads for inquiries. Everything a user may see goes through the `*_visible_to` functions here,
built on members.access, so lists, pages, attachments and exports never disagree.

- staff see every inquiry, dispatch and answer;
- a kommun user sees an inquiry only through a dispatch to their own kommun, and only that
  dispatch's answer (never another kommun's);
- everybody else sees nothing.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from members import access
from members.models import Contact, Kommun, KommunProfile, Premises, Site

from . import constants, criteria, matching
from .models import Answer, Attachment, Dispatch, Inquiry


@dataclass(frozen=True)
class WhomToCall:
    """Invest Stockholm's contact for a kommun about one inquiry: the responsible staff member, or
    Invest Stockholm's general address when nobody (still working here) is responsible."""

    name: str
    email: str
    phone: str
    is_person: bool


def whom_to_call(inquiry: Inquiry) -> WhomToCall:
    """No query of its own when `inquiry.responsible` is already loaded (select_related)."""
    person = inquiry.responsible
    if person is not None and person.is_active and person.email:
        return WhomToCall(name=person.get_full_name(), email=person.email, phone=person.phone, is_person=True)
    return WhomToCall(name="", email=settings.INVEST_STOCKHOLM_CONTACT_EMAIL, phone="", is_person=False)


# --- Access --------------------------------------------------------------------------------------


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """Staff: all inquiries. Kommun user: those sent to their kommun. Others: none."""
    return access.scope_to_kommun(user, Inquiry.objects.all(), "dispatches__kommun")


def dispatches_visible_to(user) -> QuerySet[Dispatch]:
    return access.scope_to_kommun(
        user,
        Dispatch.objects.select_related("inquiry", "inquiry__sector", "kommun"),
        "kommun",
    )


def answers_visible_to(user) -> QuerySet[Answer]:
    return access.scope_to_kommun(user, Answer.objects.select_related("dispatch"), "dispatch__kommun")


def attachments_visible_to(user) -> QuerySet[Attachment]:
    return access.scope_to_kommun(user, Attachment.objects.all(), "answer__dispatch__kommun")


def get_dispatch_or_404(user, pk: int) -> Dispatch:
    queryset = dispatches_visible_to(user).select_related(
        "inquiry__outcome", "inquiry__outcome__kommun", "inquiry__responsible"
    )
    return access.get_visible_or_404(user, queryset, "kommun", pk=pk)


def get_attachment_or_404(user, pk: int) -> Attachment:
    return access.get_visible_or_404(user, Attachment.objects.all(), "answer__dispatch__kommun", pk=pk)


def get_inquiry_for_staff_or_404(user, pk: int) -> Inquiry:
    """The staff inquiry page (investor identity, every kommun's answer): staff only, else 404."""
    if not access.is_staff(user):
        access.security_log.info("inquiry page refused: user=%s inquiry=%s", getattr(user, "pk", None), pk)
        from django.http import Http404

        raise Http404
    return access.get_visible_or_404(
        user,
        Inquiry.objects.select_related("sector", "responsible", "outcome", "outcome__kommun"),
        "dispatches__kommun",
        pk=pk,
    )


# --- Staff list ----------------------------------------------------------------------------------


def _count_per_inquiry(queryset: QuerySet, path: str) -> Coalesce:
    """COUNT of `queryset` rows whose `path` is the outer inquiry, as a correlated subquery."""
    counted = queryset.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def inquiry_list(*, user) -> QuerySet[Inquiry]:
    """Inquiries with sector, responsible and counts of dispatches and answers (one query).

    The counts are correlated subqueries (index lookups per row shown), not a GROUP BY over every
    dispatch and answer: a page of the list costs the same after ten years of inquiries.
    """
    return (
        inquiries_visible_to(user)
        .select_related("sector", "responsible")
        .annotate(
            dispatch_count=_count_per_inquiry(Dispatch.objects.all(), "inquiry"),
            answer_count=_count_per_inquiry(Answer.objects.all(), "dispatch__inquiry"),
            interested_count=_count_per_inquiry(
                Answer.objects.filter(decision=Answer.Decision.INTERESTED), "dispatch__inquiry"
            ),
        )
    )


# --- Matching ------------------------------------------------------------------------------------


def requirements_of(inquiry: Inquiry) -> matching.Requirements:
    """The inquiry's requirements as plain data: one value per criterion (inquiries/criteria.py)."""
    return matching.Requirements(
        sector_id=inquiry.sector_id,
        sector_name=str(inquiry.sector) if inquiry.sector_id else "",
        **{c.need_name: getattr(inquiry, c.inquiry_field) for c in criteria.CRITERIA},
    )


_SITE_COLUMNS = frozenset(field.name for field in Site._meta.concrete_fields)


def member_profiles(*, on: datetime.date | None = None, kommun_ids: list[int] | None = None) -> list:
    """Every member kommun's profile, sites and premises as plain data, in four queries whatever the
    data: kommuner (+ profile, län), their sites, their premises, their wanted and strong sectors.
    Sites are read as values(), not model instances: the inquiry page pays this on every request.
    Sites and premises are the places an inquiry is rated against; what a place lacks (a site's
    floor area, premises' zoning) is unknown for it."""
    kommuner = Kommun.objects.members(on).order_by("name")
    if kommun_ids is not None:
        kommuner = kommuner.filter(pk__in=kommun_ids)
    rows = list(kommuner.values("pk", "name", "code", "lan__code", "lan__name", "profile__pk", "profile__appetite"))
    ids = [row["pk"] for row in rows]
    site_fields = criteria.site_fields()
    sites: dict[int, list[matching.SiteData]] = defaultdict(list)
    on_sites = [name for name in site_fields if name in _SITE_COLUMNS]
    for site in (
        Site.objects.filter(kommun_id__in=ids).order_by("name", "pk").values("pk", "kommun_id", "name", *on_sites)
    ):
        sites[site["kommun_id"]].append(
            matching.SiteData(site["name"], id=site["pk"], **{name: site.get(name) for name in site_fields})
        )
    # Premises as instances: their "available from" is a property (from the year available).
    for place in Premises.objects.filter(kommun_id__in=ids).order_by("name", "pk"):
        sites[place.kommun_id].append(
            matching.SiteData(place.name, id=place.pk, **{name: getattr(place, name, None) for name in site_fields})
        )
    # The sector links are read straight from the link tables (both in one query), so the count
    # does not depend on whether any profile exists yet.
    sectors: tuple[dict[int, set[int]], dict[int, set[int]]] = (defaultdict(set), defaultdict(set))
    links = [
        through.objects.filter(kommunprofile__kommun_id__in=ids)
        .annotate(kind=Value(kind, output_field=IntegerField()))
        .values_list("kommunprofile__kommun_id", "sector_id", "kind")
        for kind, through in enumerate((KommunProfile.wanted_sectors.through, KommunProfile.strong_sectors.through))
    ]
    for kommun_id, sector_id, kind in links[0].union(links[1], all=True):
        sectors[kind][kommun_id].add(sector_id)
    wanted, strong = sectors
    return [
        matching.ProfileData(
            kommun_id=row["pk"],
            name=row["name"],
            code=row["code"],
            sites=tuple(sites[row["pk"]]),
            wanted_sectors=frozenset(wanted[row["pk"]]),
            strong_sectors=frozenset(strong[row["pk"]]),
            appetite=row["profile__appetite"] or "near",
            has_profile=row["profile__pk"] is not None,
            lan_code=row["lan__code"],
            lan_name=row["lan__name"],
        )
        for row in rows
    ]


def profile_contacts(*, kommun_ids) -> dict[int, str]:
    """The address to ask a kommun for its profile: whoever holds investment, else the
    näringslivschef (one query for all the kommuner)."""
    found: dict[int, str] = {}
    for kommun_id, email in (
        Contact.objects.active()
        .receiving_inquiries()
        .filter(kommun_id__in=kommun_ids)
        .exclude(email="")
        .order_by("kommun_id", "-holds_investment", "pk")
        .values_list("kommun_id", "email")
    ):
        found.setdefault(kommun_id, email)
    return found


def rate_members(inquiry: Inquiry) -> list[matching.KommunRating]:
    return matching.rate_all(requirements_of(inquiry), member_profiles())


# --- Staff inquiry page --------------------------------------------------------------------------


def inquiry_dispatches(inquiry: Inquiry) -> list[Dispatch]:
    """The inquiry's dispatches, by kommun name, with kommun, answer and answer contact (one
    query), and for the answered ones `proposed` (site name, area) and `files` (attachment id,
    name, size) as plain rows: one values() query each, and none when nothing is answered yet."""
    dispatches = list(
        inquiry.dispatches.select_related("kommun", "answer", "answer__contact").order_by("kommun__name", "pk")
    )
    answered = {d.answer.pk: d for d in dispatches if answer_of(d) is not None}
    for d in dispatches:
        d.proposed, d.files = [], []
    if answered:
        through = Answer.proposed_sites.through
        for row in (
            through.objects.filter(answer_id__in=answered)
            .order_by("site__name")
            .values("answer_id", "site__name", "site__area_ha")
        ):
            answered[row["answer_id"]].proposed.append(row)
        for row in (
            Attachment.objects.filter(answer_id__in=answered)
            .order_by("uploaded_at", "pk")
            .values("pk", "answer_id", "original_name", "size")
        ):
            answered[row["answer_id"]].files.append(row)
    return dispatches


def answer_of(dispatch: Dispatch) -> Answer | None:
    """The dispatch's answer, or None, without a query (select_related)."""
    try:
        return dispatch.answer
    except Answer.DoesNotExist:
        return None


# --- Kommun inbox --------------------------------------------------------------------------------


def open_q(today: datetime.date) -> Q:
    return Q(inquiry__status=Inquiry.Status.SENT, deadline__gte=today) | Q(reopened_until__gte=today)


ACTIVE_STATUSES = [Inquiry.Status.SENT, Inquiry.Status.ANSWERS_CLOSED, Inquiry.Status.WITH_INVESTOR]


def in_progress_ids(dispatches: QuerySet[Dispatch], today: datetime.date, statuses) -> list[int]:
    """Ids of the dispatches (of those given) whose inquiry has one of `statuses`, or reopened (one query).

    Open and in-progress dispatches are always among these. Finding them from the few inquiries in
    progress (status index) and the reopened-dispatch index keeps the cost with the work in
    progress: filtering all dispatches joined to all answers grew with every year of history.
    """
    by_status = dispatches.filter(inquiry__status__in=statuses).values_list("pk", flat=True).order_by()
    reopened = dispatches.filter(reopened_until__gte=today).values_list("pk", flat=True).order_by()
    return list(by_status.union(reopened))


INBOX_DEFERRED = (
    "match_snapshot",
    "inquiry__description",
    "inquiry__investor_name",
    "inquiry__investor_contact",
    "answer__offer",
    "answer__decline_text",
    "inquiry__outcome__notes",
)


def inbox(*, user, today: datetime.date | None = None) -> dict:
    """A kommun user's inbox in three queries: candidates, open and in-progress dispatches, then closed.

    new: open, not yet opened; awaiting: open, opened, not answered; answered: answered, inquiry
    still in progress; closed: everything else (paginated by the view).
    """
    today = today or timezone.localdate()
    visible = dispatches_visible_to(user)
    # The inbox rows need none of the long fields: not the rating snapshot (JSON parsed per row),
    # the description, the investor's identity, or the answer's texts.
    base = visible.select_related("answer", "inquiry__outcome").defer(*INBOX_DEFERRED).order_by("deadline", "pk")
    current = list(
        base.filter(pk__in=in_progress_ids(visible, today, ACTIVE_STATUSES)).filter(
            open_q(today) | Q(answer__isnull=False, inquiry__status__in=ACTIVE_STATUSES)
        )
    )
    groups: dict[str, list[Dispatch]] = {"new": [], "awaiting": [], "answered": []}
    for dispatch in current:
        dispatch.days_left_value = dispatch.days_left(today)
        answered = hasattr(dispatch, "answer")
        if answered and dispatch.inquiry.status in ACTIVE_STATUSES:
            groups["answered"].append(dispatch)
        elif dispatch.first_viewed_at is None:
            groups["new"].append(dispatch)
        else:
            groups["awaiting"].append(dispatch)
    closed = base.exclude(pk__in=[d.pk for d in current]).order_by("-sent_at", "-pk")
    groups["closed"] = closed
    return groups


def open_dispatches_for_kommun(*, user, kommun: Kommun, today: datetime.date | None = None) -> list[Dispatch]:
    """Dispatches to the kommun still waiting for its answer, soonest deadline first (one query)."""
    today = today or timezone.localdate()
    return list(
        dispatches_visible_to(user)
        .filter(kommun=kommun, answer__isnull=True)
        .filter(open_q(today))
        .order_by("deadline", "pk")
    )


# --- Insight -------------------------------------------------------------------------------------


def _median_days(durations: list[float]) -> float | None:
    return round(statistics.median(durations), 1) if durations else None


def _answer_rows(dispatches: QuerySet[Dispatch], today: datetime.date) -> list[dict]:
    return list(
        dispatches.values(
            "kommun_id",
            "kommun__name",
            "kommun__lan__name",
            "deadline",
            "sent_at",
            "answer__answered_at",
            "answer__decision",
            "answer__decline_reason",
            "forwarded_at",
            "shortlisted",
        ).order_by("kommun__name")
    )


def _figures(rows: list[dict], today: datetime.date) -> dict:
    """Answer rate (of dispatches whose deadline has passed or that were answered) and median time."""
    due = [r for r in rows if r["answer__answered_at"] is not None or r["deadline"] < today]
    answered = [r for r in rows if r["answer__answered_at"] is not None]
    durations = [(r["answer__answered_at"] - r["sent_at"]).total_seconds() / 86400 for r in answered]
    return {
        "received": len(rows),
        "due": len(due),
        "answered": len(answered),
        "answer_rate": round(100 * len(answered) / len(due)) if due else None,
        "median_days": _median_days(durations),
        "interested": sum(r["answer__decision"] == Answer.Decision.INTERESTED for r in rows),
        "declined": sum(r["answer__decision"] == Answer.Decision.DECLINED for r in rows),
        "forwarded": sum(r["forwarded_at"] is not None for r in rows),
        "shortlisted": sum(bool(r["shortlisted"]) for r in rows),
        "decline_reasons": Counter(r["answer__decline_reason"] for r in rows if r["answer__decline_reason"]),
    }


def answer_figures(dispatches: QuerySet[Dispatch], *, today: datetime.date | None = None) -> dict:
    """The insight figures of these dispatches (received, due, answered, answer_rate in %,
    median_days, interested, declined, forwarded, shortlisted), counted as on the insight pages.
    One query. For other apps (overview, digests) that pass an already scoped queryset."""
    today = today or timezone.localdate()
    return _figures(_answer_rows(dispatches, today), today)


def answer_figures_per_kommun(
    dispatches: QuerySet[Dispatch], *, today: datetime.date | None = None
) -> tuple[dict[int, dict], dict]:
    """({kommun_id: figures}, figures of all of them together), as answer_figures, in one query."""
    today = today or timezone.localdate()
    rows = _answer_rows(dispatches, today)
    by_kommun: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_kommun[row["kommun_id"]].append(row)
    return {k: _figures(r, today) for k, r in by_kommun.items()}, _figures(rows, today)


def _reason_rows(counter: Counter) -> list[tuple[str, int]]:
    labels = dict(Answer.DeclineReason.choices)
    return [(labels.get(code, code), counter[code]) for code, _label in Answer.DeclineReason.choices if counter[code]]


def _counts_per_kommun(dispatches: QuerySet[Dispatch], today: datetime.date) -> list[dict]:
    """The countable figures of _figures per kommun, counted by the database (one query)."""
    answered = Q(answer__answered_at__isnull=False)
    return list(
        dispatches.order_by()
        .values("kommun_id", "kommun__name", "kommun__lan__name")
        .annotate(
            received=Count("pk"),
            due=Count("pk", filter=answered | Q(deadline__lt=today)),
            answered=Count("pk", filter=answered),
            interested=Count("pk", filter=Q(answer__decision=Answer.Decision.INTERESTED)),
            declined=Count("pk", filter=Q(answer__decision=Answer.Decision.DECLINED)),
            forwarded=Count("pk", filter=Q(forwarded_at__isnull=False)),
            shortlisted=Count("pk", filter=Q(shortlisted=True)),
        )
    )


def staff_insight(*, user, today: datetime.date | None = None) -> dict:
    """Region-wide figures: per kommun, decline reasons per kommun and region, regional gaps.

    The figures are those of _figures, but counted and grouped by the database, so the page does
    not read every dispatch ever sent: counts per kommun (1), decline reasons per kommun (1), the
    answered dispatches' times to answer for the medians (1); then the gaps (regional_gaps).
    """
    today = today or timezone.localdate()
    dispatches = dispatches_visible_to(user)
    counted = _counts_per_kommun(dispatches, today)
    reasons: dict[int, Counter] = defaultdict(Counter)
    for kommun_id, reason, n in (
        dispatches.exclude(answer__decline_reason="")
        .filter(answer__decline_reason__isnull=False)
        .order_by()
        .values("kommun_id", "answer__decline_reason")
        .annotate(n=Count("pk"))
        .values_list("kommun_id", "answer__decline_reason", "n")
    ):
        reasons[kommun_id][reason] += n
    days: dict[int, list[float]] = defaultdict(list)
    for kommun_id, taken in (
        dispatches.filter(answer__answered_at__isnull=False)
        .order_by()
        .annotate(taken=ExpressionWrapper(F("answer__answered_at") - F("sent_at"), output_field=DurationField()))
        .values_list("kommun_id", "taken")
    ):
        days[kommun_id].append(taken.total_seconds() / 86400)

    def figures(counts: dict, decline_reasons: Counter, durations: list[float]) -> dict:
        due, answered = counts["due"], counts["answered"]
        return {
            **{k: counts[k] for k in _COUNTED},
            "answer_rate": round(100 * answered / due) if due else None,
            "median_days": _median_days(durations),
            "decline_reasons": decline_reasons,
        }

    per_kommun = []
    by_lan: dict[str, Counter] = defaultdict(Counter)
    for row in counted:
        kommun_id = row["kommun_id"]
        f = figures(row, reasons[kommun_id], days[kommun_id])
        f["name"], f["lan"] = row["kommun__name"], row["kommun__lan__name"]
        f["reasons"] = _reason_rows(f["decline_reasons"])
        per_kommun.append(f)
        if reasons[kommun_id]:
            by_lan[row["kommun__lan__name"]].update(reasons[kommun_id])
    per_kommun.sort(key=lambda f: f["name"])
    totals = {k: sum(row[k] for row in counted) for k in _COUNTED}
    region = figures(totals, sum(reasons.values(), Counter()), [d for ds in days.values() for d in ds])
    return {
        "per_kommun": per_kommun,
        "region": region,
        "region_reasons": _reason_rows(region["decline_reasons"]),
        "reasons_by_lan": sorted((lan, _reason_rows(c)) for lan, c in by_lan.items()),
        "gaps": regional_gaps(user=user),
    }


_COUNTED = ("received", "due", "answered", "interested", "declined", "forwarded", "shortlisted")


def _gap_label(key: str):
    # The criterion's own label where this list has no wording of its own (the premises' criteria).
    return REQUIREMENT_LABELS.get(key) or criteria.by_key(key).label


class GapInquiry(NamedTuple):
    """An inquiry as the regional gaps list it: its reference, linked to its page by pk."""

    pk: int
    reference: str


def regional_gaps(*, user) -> list[dict]:
    """Requirements that no member kommun could meet, over the inquiries sent in the gap window:
    [{"key", "label", "inquiries": [GapInquiry, …] newest first}], the most asked-for gap first.

    Each inquiry's requirements are checked against today's profiles (matching.unmet_everywhere: a
    requirement is a gap when no site of any member meets it), so a gap closes as soon as a kommun
    adds a site that meets it. One query for the inquiries (their requirement columns, pk and
    reference), plus the member profiles (member_profiles).
    """
    since = timezone.now() - datetime.timedelta(days=constants.GAP_WINDOW_DAYS)
    rows = list(
        inquiries_visible_to(user)
        .exclude(status=Inquiry.Status.DRAFT)
        .filter(Q(sent_at__gte=since) | Q(sent_at__isnull=True))
        .order_by("-sent_at", "-pk")
        .values_list("pk", "reference", *criteria.inquiry_fields())
    )
    unmet = matching.unmet_everywhere(
        (
            matching.Requirements(**{c.need_name: value for c, value in zip(criteria.CRITERIA, row[2:], strict=True)})
            for row in rows
        ),
        member_profiles(),
    )
    gaps: dict[str, dict] = {}
    for row, keys in zip(rows, unmet, strict=True):
        for key in sorted(keys):  # ties in the count keep the order gaps were first found in
            if key not in gaps:
                gaps[key] = {"key": key, "label": _gap_label(key), "inquiries": []}
            gaps[key]["inquiries"].append(GapInquiry(row[0], row[1]))
    return sorted(gaps.values(), key=lambda g: -len(g["inquiries"]))


def kommun_insight(*, user, kommun: Kommun, today: datetime.date | None = None) -> dict:
    """One kommun's own figures (one query)."""
    today = today or timezone.localdate()
    rows = _answer_rows(dispatches_visible_to(user).filter(kommun=kommun), today)
    figures = _figures(rows, today)
    figures["reasons"] = _reason_rows(figures["decline_reasons"])
    return figures


def _labels() -> dict:
    from django.utils.translation import gettext_lazy as _

    return {
        "area": _("Site area"),
        "municipal_land": _("Municipal land"),
        "zoning": _("Zoning ready"),
        "power": _("Grid power"),
        "km_motorway": _("Distance to motorway"),
        "km_rail": _("Distance to rail freight"),
        "km_port": _("Distance to port"),
        "km_airport": _("Distance to airport"),
        "available": _("Available in time"),
        "sector": _("Sector"),
        "sites": _("Sites"),
    }


REQUIREMENT_LABELS = _labels()


ANSWER_RATE_WINDOW_DAYS = 365  # "the last 12 months" of the maturity evidence and the region map


def answer_figures_recent(kommun_ids: list[int], *, today: datetime.date | None = None) -> dict[int, dict]:
    """{kommun_id: answer figures} over the dispatches sent in the last 12 months (one query).

    Used where a kommun's recent answering is judged (maturity evidence, the region map); a kommun
    with no dispatch in the window is absent."""
    today = today or timezone.localdate()
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=ANSWER_RATE_WINDOW_DAYS),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    dispatches = Dispatch.objects.filter(kommun_id__in=kommun_ids, sent_at__gte=start)
    per_kommun, _region = answer_figures_per_kommun(dispatches, today=today)
    return per_kommun
