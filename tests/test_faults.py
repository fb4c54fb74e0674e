"""Degrade, don't die: the portal with its Redis gone (a port where nothing listens).

Sessions live in the database behind the cache (cached_db), cached pages are built fresh, the
password-reset limiter fails closed with a clear message, and /healthz says 503 and why.
"""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from members.models import Kommun

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "sba_portal.cache_backend.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


@pytest.fixture
def redis_down(settings):
    """The portal's cache pointed at a Redis that is not there; restored after the test."""
    settings.CACHES = DEAD_REDIS  # Django drops its cache connections on this change (and back)


def test_the_backend_is_an_empty_cache_while_redis_is_down(redis_down):
    started = time.monotonic()
    assert cache.get("anything") is None
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    cache.set("a", 1)
    cache.delete("a")
    with pytest.raises(ConnectionError):  # counting fails closed
        cache.incr("a")
    assert time.monotonic() - started < 10  # short timeouts: a dead Redis does not hang a page


def test_sign_in_and_pages_work_without_redis(redis_down, staff, user_a, kommun_a):
    client = Client()
    response = client.post(reverse("login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    # The session survives in the database: the next requests are signed in.
    for url in (
        reverse("overview:index"),
        reverse("members:kommun_list"),
        kommun_a.get_absolute_url(),
        reverse("nki:index"),
        reverse("inquiries:index"),
    ):
        assert client.get(url).status_code == 200, url
    own = Client()
    assert own.post(reverse("login"), {"username": user_a.email, "password": PASSWORD}).status_code == 302
    assert own.get(reverse("members:my_kommun")).status_code == 200
    # Access holds as ever: another kommun's page is still a 404.
    other = Kommun.objects.get(code="0120")
    assert own.get(other.get_absolute_url()).status_code == 404


def test_password_reset_is_closed_with_a_clear_message_without_redis(redis_down, user_a):
    response = Client().post(reverse("password_reset"), {"email": user_a.email})
    assert response.status_code == 503
    assert "kan inte skicka" in response.content.decode()
    assert mail.outbox == []


def test_healthz_says_503_and_which_part_is_down(redis_down, client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["cache"].startswith("unreachable")
