"""The signed-in user read through the cache (members.backends): fewer queries, never stale."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import backends
from members.models import User

from .conftest import client_for

pytestmark = pytest.mark.django_db

PAGE = reverse("members:my_kommun")


def user_queries(client, url=PAGE) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum('FROM "members_user"' in q["sql"] for q in queries.captured_queries)


def settled(user: User) -> None:
    """As a while after the user's last write: the write's tombstone has expired."""
    cache.delete(backends._key(user.pk))


def test_a_signed_in_request_reads_its_user_from_the_cache_after_the_first(user_a):
    client = client_for(user_a)
    settled(user_a)
    assert user_queries(client) == (200, 1)  # read from the database, and kept
    assert user_queries(client) == (200, 0)  # from the cache
    assert user_queries(client) == (200, 0)


def test_a_deactivated_user_is_signed_out_on_the_next_request(user_a):
    client = client_for(user_a)
    settled(user_a)
    client.get(PAGE)
    user_a.is_active = False
    user_a.save(update_fields=["is_active"])
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_ends_other_sessions_at_once(user_a):
    client = client_for(user_a)
    settled(user_a)
    client.get(PAGE)
    user_a.set_password("another-long-password-42")
    user_a.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_role_shows_at_once(user_a, kommun_b):
    client = client_for(user_a)
    settled(user_a)
    assert client.get(kommun_b.get_absolute_url()).status_code == 404
    user_a.kommun = kommun_b
    user_a.save()
    assert client.get(kommun_b.get_absolute_url()).status_code == 200


def test_a_deleted_user_is_anonymous_on_the_next_request(user_a):
    client = client_for(user_a)
    settled(user_a)
    client.get(PAGE)
    User.objects.filter(pk=user_a.pk).get().delete()
    assert client.get(PAGE).status_code == 302


def test_a_row_read_before_a_write_is_not_put_back_over_it(user_a):
    """A request that read the user just before another request changed it must not cache the old
    row: the write leaves a tombstone that a reader's add() cannot replace."""
    settled(user_a)
    stale = User.objects.get(pk=user_a.pk)  # read by a slow request …
    user_a.is_active = False
    user_a.save(update_fields=["is_active"])  # … while another deactivates the user
    assert cache.add(backends._key(user_a.pk), stale, backends.TIMEOUT) is False
    assert backends.CachedUserBackend().get_user(user_a.pk) is None


def test_without_the_cache_the_user_comes_from_the_database(user_a, settings):
    settings.CACHES = {
        "default": {"BACKEND": "sba_portal.cache_backend.FailSoftRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    client = client_for(user_a)
    assert user_queries(client) == (200, 1)
    assert user_queries(client) == (200, 1)
