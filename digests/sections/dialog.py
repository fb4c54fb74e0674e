"""Sections from the overview's dialog log (staff digest)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from members import access
from overview.dialog.selectors import members_without_contact

from ..constants import LIST_LIMIT
from ..periods import Period
from ..recipients import Recipient


def kommuner_without_contact(recipient: Recipient, period: Period) -> dict | None:
    """Members with no logged contact for DIALOG_NO_CONTACT_DAYS days, longest first (one query).

    The dialog log is staff's own: only a staff recipient gets this section."""
    if not access.is_staff(recipient.viewer):
        return None
    kommuner = members_without_contact()
    if not kommuner:
        return None
    return {
        "days": settings.DIALOG_NO_CONTACT_DAYS,
        "count": len(kommuner),
        "rows": [{"name": k.name, "last_contact": k.last_contact} for k in kommuner[:LIST_LIMIT]],
        "more": max(len(kommuner) - LIST_LIMIT, 0),
        "url": settings.SITE_URL + reverse("overview:dialog:contacts"),
    }
