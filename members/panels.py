"""Sections that apps above the ground floor add to a kommun's page.

members/ may not import inquiries/ or nki/, yet the kommun page should show the kommun's profile,
sites, inquiries and NKI. Those apps register a panel here in their AppConfig.ready(); the kommun
page renders every registered panel in order. A panel is called with the request and the kommun
(already access-checked) and returns the context for its template, or None to show nothing; it
must use a fixed number of queries, and name the cache topics it reads: the kommun page caches
the panels per kommun and role until one of those is written (members/cache.py). A panel holds no
form with a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .cache import Topic
from .models import Kommun


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[HttpRequest, Kommun], dict | None]
    topics: tuple[Topic, ...]  # what context() reads (required: a cached panel must say)
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def render_context(request: HttpRequest, kommun: Kommun) -> list[tuple[str, dict]]:
    """[(template, context), …] for every panel that has something to show, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, kommun)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def topics() -> tuple[Topic, ...]:
    """Every topic the registered panels read."""
    return tuple(sorted({topic for panel in _panels.values() for topic in panel.topics}))
