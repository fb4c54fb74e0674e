"""The kommun page's "coming up" panel: the next SBA activities the kommun takes part in (one query)."""

from __future__ import annotations

from . import selectors


def upcoming_panel(request, kommun) -> dict | None:
    upcoming = selectors.upcoming_for_kommun(kommun)
    return {"upcoming": upcoming} if upcoming else None
