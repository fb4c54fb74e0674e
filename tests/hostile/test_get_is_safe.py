"""No state change on GET: every page, as every persona, leaves every table as it was.

Compared: row count and content hash of every table of the project, history tables included (only
the session table and django-axes' sign-in records are left out: see conftest.VOLATILE_TABLES, and
the one read receipt, a dispatch's first_viewed_at: conftest.READ_RECEIPTS, tested below).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..conftest import client_for
from ..test_access_crawler import PERSONAS
from .conftest import RULES, changed, project_patterns, snapshot

pytestmark = pytest.mark.django_db


def test_no_get_changes_data(world, personas):
    clients = {persona: client_for(personas[persona]) for persona in PERSONAS}
    failures, visited = [], 0
    after = snapshot()  # nothing runs between two requests: the state after one is the state before the next
    for name, _route in project_patterns():
        rule = RULES[name]
        if rule.method != "GET":
            continue
        url = reverse(name, kwargs=rule.kwargs(world))
        for persona in PERSONAS:
            before = after
            response = clients[persona].get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # an export runs while it streams
            visited += 1
            after = snapshot()
            if difference := changed(before, after):
                failures.append(f"GET {name} as {persona} ({response.status_code}) changed {difference}")
    assert failures == [], "\n".join(failures)
    assert visited > 100


def test_two_factor_setup_page_writes_nothing(staff):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = client_for(staff)
    for _ in range(3):
        assert client.get(reverse("members:two_factor_setup")).status_code == 200
    assert not TOTPDevice.objects.exists()


def test_the_read_receipt_is_set_once_and_only_for_the_kommun(world, personas):
    dispatch = world.dispatch
    url = reverse("inquiries:dispatch", kwargs={"pk": dispatch.pk})
    client_for(personas["staff"]).get(url)
    dispatch.refresh_from_db()
    assert dispatch.first_viewed_at is None
    client_for(personas["user_a"]).get(url)
    dispatch.refresh_from_db()
    first = dispatch.first_viewed_at
    assert first is not None
    client_for(personas["user_a"]).get(url)
    dispatch.refresh_from_db()
    assert dispatch.first_viewed_at == first
