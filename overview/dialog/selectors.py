"""Reads of the dialog log: entries by who may see them, members by last contact, follow-ups.

Every function uses a fixed number of queries whatever the length of the log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from members import access
from members.models import Kommun

from .models import DialogEntry, DialogKind, FollowUp


def dialog_entries_visible_to(user) -> QuerySet[DialogEntry]:
    """Staff: every entry. A kommun user: the entries their kommun took part in. Others: none."""
    return access.scope_to_kommun(user, DialogEntry.objects.all(), "kommuner")


def dialog_list(*, user) -> QuerySet[DialogEntry]:
    """Entries the user may see, newest first, with kommuner prefetched (2 queries a page)."""
    return (
        dialog_entries_visible_to(user)
        .prefetch_related(Prefetch("kommuner", queryset=Kommun.objects.order_by("name")))
        .order_by("-date", "-pk")
    )


def dialog_entry_page(*, user, pk: int) -> DialogEntry:
    """One entry the user may see (404 otherwise). A kommun user gets only their own contacts."""
    contacts = access.contacts_visible_to(user).order_by("kommun__name", "name")
    queryset = DialogEntry.objects.prefetch_related(
        Prefetch("kommuner", queryset=Kommun.objects.order_by("name")),
        Prefetch("contacts", queryset=contacts),
        "staff",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
    )
    return access.get_visible_or_404(user, queryset, "kommuner", pk=pk)


def members_by_contact(*, order: str = "contact") -> QuerySet[Kommun]:
    """Members with their last contact and last visit in the kommun; longest without first (1 query)."""
    queryset = (
        Kommun.objects.members()
        .select_related("lan")
        .annotate(
            last_contact=Max("dialog_entries__date"),
            last_visit=Max("dialog_entries__date", filter=Q(dialog_entries__kind=DialogKind.VISIT)),
        )
    )
    field = "last_visit" if order == "visit" else "last_contact"
    return queryset.order_by(F(field).asc(nulls_first=True), "name")


def days_since(day: datetime.date | None, today: datetime.date | None = None) -> int | None:
    if day is None:
        return None
    return ((today or timezone.localdate()) - day).days


def members_without_contact(*, days: int | None = None) -> list[Kommun]:
    """Members with no dialog entry in the last `days` days (setting DIALOG_NO_CONTACT_DAYS).

    The members met recently are excluded first (entries since then, by the date index), so the
    last-contact aggregate only runs over the few members left, not over years of dialog.
    """
    days = days if days is not None else settings.DIALOG_NO_CONTACT_DAYS
    since = timezone.localdate() - datetime.timedelta(days=days)
    met_since = DialogEntry.kommuner.through.objects.filter(kommun=OuterRef("pk"), dialogentry__date__gte=since)
    return list(members_by_contact().exclude(Exists(met_since)))


def follow_ups_open(*, owner=None, due_within_days: int | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups, earliest due first, with entry and owner (1 query + kommuner prefetch)."""
    queryset = (
        FollowUp.objects.filter(done_at__isnull=True)
        .select_related("entry", "owner")
        .prefetch_related(Prefetch("entry__kommuner", queryset=Kommun.objects.order_by("name")))
        .order_by("due_on", "pk")
    )
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if due_within_days is not None:
        queryset = queryset.filter(due_on__lte=timezone.localdate() + datetime.timedelta(days=due_within_days))
    return queryset


def last_meeting(kommun: Kommun) -> DialogEntry | None:
    return kommun.dialog_entries.order_by("-date", "-pk").first()
