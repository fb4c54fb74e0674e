"""CSRF: every URL of the project refuses a POST without a token (403), signed in or not.

Django's CSRF middleware checks before the view runs, so this covers every view that accepts a POST
— whatever the view does with it. The one exception is the one-click unsubscribe link (RFC 8058):
mail clients POST to it without a session; its signed token is the credential. The exception must
stay exactly that one, and be documented in docs/SECURITY.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import RULES, changed, entitled, project_patterns, snapshot, url_patterns

pytestmark = pytest.mark.django_db

DOCUMENTED_EXEMPT = {"outbox:unsubscribe"}
SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md"


def csrf_exempt_views() -> set[str]:
    return {
        name
        for name, route, pattern in url_patterns()
        if not route.startswith("admin/") and getattr(pattern.callback, "csrf_exempt", False)
    }


def test_the_only_csrf_exempt_view_is_the_documented_unsubscribe():
    assert csrf_exempt_views() == DOCUMENTED_EXEMPT
    text = SECURITY_MD.read_text()
    assert all(name in text for name in DOCUMENTED_EXEMPT)
    assert "RFC 8058" in text


def test_every_post_without_a_token_is_refused(world, personas):
    failures = []
    for name, _route in project_patterns():
        if name in DOCUMENTED_EXEMPT:
            continue
        rule = RULES[name]
        url = reverse(name, kwargs=rule.kwargs(world))
        for persona in entitled(rule) or ["anonymous"]:
            client = Client(enforce_csrf_checks=True)
            if personas[persona] is not None:
                client.force_login(personas[persona])
            before = snapshot()
            response = client.post(url, rule.data(world))
            if response.status_code != 403:
                failures.append(f"{name} as {persona}: {response.status_code}")
            elif changed(before, snapshot()):
                failures.append(f"{name} as {persona}: refused but data changed")
    assert failures == [], "\n".join(failures)


def test_unsubscribe_without_token_still_needs_its_signed_link(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("outbox:unsubscribe", kwargs={"token": "forged"}), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404
