"""The staff overview (Invest Stockholm's start page) and the maturity panel on a kommun's page.

The start page answers "what needs doing today" first: key figures (answers awaited, past the
deadline, follow-ups overdue, members not met lately) and short lists (each capped, with a link to
the full list), the region map beside them, then the region's figures (NKI averages, maturity,
members per län). Every function uses a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries import selectors as inquiry_selectors
from inquiries.models import Inquiry
from members import access, cache, links, palette
from members.cache import Topic
from members.models import AgreementPeriod, Kommun
from nki import selectors as nki_selectors

from . import measures
from .dialog.models import FollowUp
from .dialog.selectors import follow_ups_open, last_meeting, members_without_contact
from .map import render_svg
from .maturity.models import Track
from .maturity.selectors import latest_assessments, maturity_distribution

# --- Panels: blocks at the top of the start page --------------------------------------------------


@dataclass(frozen=True)
class Panel:
    key: str  # where the start page places it (overview/index.html)
    context: Callable[[HttpRequest], dict | None]  # None: nothing to show
    topics: tuple[Topic, ...]  # what context() reads (members/cache.py)


# The short lists on the start page: the first few, each with a link to its full list.
OPEN_INQUIRIES_SHOWN = 5
FOLLOW_UPS_SHOWN = 5
WITHOUT_CONTACT_SHOWN = 10


def open_inquiries_panel(request) -> dict | None:
    """Inquiries taking answers with their deadline and answers awaited, and the region's answers
    awaited (three queries)."""
    user = request.user
    if not access.is_staff(user):
        return None
    # The same for all staff: cached until the next write to inquiries, dispatches or answers.
    return cache.get_or_build(
        "open-inquiries-panel", topics=(Topic.INQUIRIES,), by_date=True, build=lambda: _open_inquiries(user)
    )


def _open_inquiries(user) -> dict:
    today = timezone.localdate()
    inquiries = list(
        inquiry_selectors.inquiry_list(user=user)
        .filter(status=Inquiry.Status.SENT)
        .select_related(None)
        .only("pk", "reference", "code_name", "answer_deadline", "status")
        .order_by("answer_deadline", "pk")[: OPEN_INQUIRIES_SHOWN + 1]
    )
    for inquiry in inquiries:
        inquiry.awaited = inquiry.dispatch_count - inquiry.answer_count
        inquiry.days_left = (inquiry.answer_deadline - today).days
    visible = inquiry_selectors.dispatches_visible_to(user)
    awaited = (
        visible.filter(pk__in=inquiry_selectors.in_progress_ids(visible, today, [Inquiry.Status.SENT]))
        .filter(answer__isnull=True)
        .filter(inquiry_selectors.open_q(today) | Q(inquiry__status=Inquiry.Status.SENT))
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(reopened_until__gte=today)),
            soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=2))),
            kommuner=Count("kommun", distinct=True),
        )
    )
    return {
        "inquiries": inquiries[:OPEN_INQUIRIES_SHOWN],
        "more": len(inquiries) > OPEN_INQUIRIES_SHOWN,
        "awaited": awaited,
        "today": today,
    }


def nki_averages_panel(request) -> dict | None:
    """The latest year's SBA and national average per area (nki.selectors.region_averages)."""
    if not access.is_staff(request.user):
        return None
    # Cached until the next NKI or register write (or midnight: members are counted by date).
    return cache.get_or_build(
        "nki-region-averages", topics=(Topic.NKI, Topic.REGISTER), by_date=True, build=nki_selectors.region_averages
    )


PANELS = [
    Panel("inquiries", open_inquiries_panel, topics=(Topic.INQUIRIES, Topic.USERS)),
    Panel("nki", nki_averages_panel, topics=(Topic.NKI, Topic.REGISTER)),
]

PANEL_TOPICS = tuple(sorted({topic for panel in PANELS for topic in panel.topics}))


# --- Today's work and the region ------------------------------------------------------------------


def staff_overview() -> dict:
    """Today's work on the staff start page: follow-ups due (the first few, with the counts of all
    open ones overdue and due within a week) and members not met lately (the first few, and how
    many). Four queries: follow-ups (+ their kommuner), the follow-up counts, members by contact.

    Members not met are cached until the next dialog or register write (or midnight).
    """
    today = timezone.localdate()
    without = cache.get_or_build(
        "members-without-contact",
        settings.DIALOG_NO_CONTACT_DAYS,
        topics=(Topic.DIALOG, Topic.REGISTER),
        by_date=True,
        build=members_without_contact,
    )
    follow_ups = list(follow_ups_open(due_within_days=7)[: FOLLOW_UPS_SHOWN + 1])
    counts = FollowUp.objects.filter(done_at__isnull=True).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        week=Count("pk", filter=Q(due_on__lte=today + datetime.timedelta(days=7))),
    )
    return {
        "follow_ups": follow_ups[:FOLLOW_UPS_SHOWN],
        "follow_ups_overdue": counts["overdue"],
        "follow_ups_week": counts["week"],
        "without_contact": without[:WITHOUT_CONTACT_SHOWN],
        "without_contact_count": len(without),
        "no_contact_days": settings.DIALOG_NO_CONTACT_DAYS,
        "today": today,
    }


# What the region part of the staff start page is built from, besides the chosen map measure.
REGION_TOPICS = (Topic.REGISTER, Topic.MATURITY)


def region_figures() -> dict:
    """Members per län and maturity levels for the staff start page; a fixed number of queries."""
    members_per_lan = list(
        Kommun.objects.members().values("lan__code", "lan__name").annotate(count=Count("id")).order_by("lan__code")
    )
    return {
        "member_count": sum(row["count"] for row in members_per_lan),
        "members_per_lan": members_per_lan,
        "kommun_count": Kommun.objects.count(),
        "period": AgreementPeriod.current(),
        "distribution": maturity_distribution(),
    }


def region_map(*, measure_key: str = "") -> dict:
    """The region map coloured by a measure (the first one if the key is unknown).

    Queries: the members, plus the measure's own (fixed) queries; the outlines are cached.
    """
    measure = measures.measure(measure_key)
    members = list(Kommun.objects.members().only("pk", "code", "name").order_by("name"))
    values = measure.values([k.pk for k in members])
    kommun_url = links.maker("members:kommun_detail")
    for kommun in members:
        kommun.url = kommun_url(kommun.code)  # built once, not per row
    none_label = _("No value")
    return {
        "measures": measures.MEASURES,
        "measure": measure,
        "measure_label": measure.label(),
        "legend": [*measure.legend(), (palette.fill(palette.NONE), none_label)],
        "map_svg": render_svg(
            kommuner=members,
            values=values,
            title=_("Map of the SBA member kommuner: %(measure)s") % {"measure": measure.label()},
            none_class=palette.fill(palette.NONE),
            none_label=none_label,
        ),
        "map_rows": [(k, values.get(k.pk)) for k in members],
        "none_label": none_label,
    }


def kommun_panel(kommun: Kommun) -> dict:
    """For the kommun page: level per track, confirmed or not, and the last meeting (2 queries)."""
    latest = {a.track: a for a in latest_assessments().filter(kommun=kommun)}
    return {
        "tracks": [(str(label), latest.get(track)) for track, label in Track.choices],
        "last_meeting": last_meeting(kommun),
    }


def kommun_panel_for(request: HttpRequest, kommun: Kommun) -> dict | None:
    """The kommun page's maturity panel (members.panels), for staff and the kommun's own users."""
    if not access.can_see_kommun(request.user, kommun):
        return None
    return kommun_panel(kommun)
