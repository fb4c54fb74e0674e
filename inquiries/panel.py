"""The panel on a kommun's page (members.panels): inquiries waiting for the kommun's answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from members.models import Kommun

from . import constants, selectors


def open_dispatches_panel(request: HttpRequest, kommun: Kommun) -> dict | None:
    """One query. Shown to the kommun's own users and to staff; an empty state says so."""
    today = timezone.localdate()
    dispatches = selectors.open_dispatches_for_kommun(user=request.user, kommun=kommun, today=today)
    for dispatch in dispatches:
        dispatch.days_left_value = dispatch.days_left(today)
    return {"dispatches": dispatches, "kommun": kommun, "soon": constants.DEADLINE_SOON_DAYS}
