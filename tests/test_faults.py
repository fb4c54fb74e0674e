"""Degrade, don't die: the portal with its Redis gone (a port where nothing listens), and with its
database connections terminated by the server mid-request.

Sessions live in the database behind the cache (cached_db), cached pages are built fresh, the
password-reset limiter fails closed with a clear message, and /healthz says 503 and why. A read
that lost its connection is tried again; a write says 503 and that it may not be saved; in a burst
of terminations nothing answers 500 and no acknowledged write is lost (real PostgreSQL in CI).
"""

import threading
import time
from contextlib import closing

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from members.models import Contact, Kommun

from .conftest import PASSWORD, require_service

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


# --- The database connection lost mid-request --------------------------------------------------


def _other_connection():
    import psycopg2

    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db.get("PASSWORD") or None,
    )


def _terminate(pids) -> None:
    with closing(_other_connection()) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def postgres(request):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    yield
    connection.close()  # whatever a test terminated, the teardown gets a fresh connection


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)  # as a browser sees it: the response, not the error
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_whose_connection_was_cut_is_tried_again_and_served(postgres, staff, kommun_a):
    client = _signed_in(staff)
    assert client.get(kommun_a.get_absolute_url()).status_code == 200
    _terminate([_backend_pid()])  # the server cut the connection the portal holds

    response = client.get(kommun_a.get_absolute_url())

    assert response.status_code == 200
    assert kommun_a.name in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_whose_connection_was_cut_says_so_stores_nothing_and_works_when_sent_again(postgres, staff, kommun_a):
    client = _signed_in(staff)
    url = reverse("members:contact_create", args=[kommun_a.code])
    data = {"name": "Ny Kontakt", "role": Contact.Role.OTHER, "email": "", "phone": "", "title": "", "notes": ""}
    assert client.get(url).status_code == 200
    _terminate([_backend_pid()])

    response = client.post(url, data)

    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Ändringen kanske inte sparades" in page and "Traceback" not in page
    assert not Contact.objects.filter(name="Ny Kontakt").exists()
    assert client.post(url, data).status_code == 302
    assert Contact.objects.filter(name="Ny Kontakt").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connections_terminated_during_a_burst_give_no_error_page_and_lose_no_write(postgres, staff, kommun_a):
    """Four browsers at once, reading and writing, while the database server terminates every
    connection of the portal every 200 ms: never a 500 or traceback; each write acknowledged (302)
    is stored; a read is served or says 503."""
    stop = threading.Event()
    outcomes: list[tuple[str, int, str]] = []
    lock = threading.Lock()

    clients = [_signed_in(staff) for _ in range(4)]  # signed in before the terminations start

    def browser(n: int) -> None:
        client = clients[n]
        try:
            for i in range(12):
                if i % 3 == 2:
                    name = f"Burst {n}-{i}"
                    data = {"name": name, "role": Contact.Role.OTHER}
                    status = client.post(reverse("members:contact_create", args=[kommun_a.code]), data).status_code
                    with lock:
                        outcomes.append(("write", status, name))
                else:
                    status = client.get(kommun_a.get_absolute_url()).status_code
                    with lock:
                        outcomes.append(("read", status, ""))
        finally:
            connection.close()

    def terminator() -> None:
        with closing(_other_connection()) as other:
            other.autocommit = True
            with other.cursor() as cursor:
                while not stop.is_set():
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                    )
                    time.sleep(0.2)

    killer = threading.Thread(target=terminator)
    killer.start()
    browsers = [threading.Thread(target=browser, args=(n,)) for n in range(4)]
    for thread in browsers:
        thread.start()
    for thread in browsers:
        thread.join(120)
    stop.set()
    killer.join(10)
    connection.close()

    statuses = {status for _kind, status, _name in outcomes}
    assert len(outcomes) == 48
    assert statuses <= {200, 302, 503}, outcomes
    acknowledged = {name for kind, status, name in outcomes if kind == "write" and status == 302}
    stored = set(Contact.objects.filter(name__startswith="Burst ").values_list("name", flat=True))
    assert acknowledged <= stored  # no acknowledged write lost
    assert any(kind == "read" and status == 200 for kind, status, _ in outcomes), outcomes
    assert acknowledged, outcomes  # writes did get through between the terminations
