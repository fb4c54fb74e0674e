"""Personas shared by the whole suite (STYLE.md, habit 3).

- anonymous
- staff: Invest Stockholm
- admin: a superuser (Django admin)
- user_a: näringslivschef of kommun A (Flen, a member)
- user_b: näringslivschef of kommun B (Värmdö, a member)
- user_outside: user of a kommun that is not an SBA member (Kiruna)

The kommun register (290 kommuner, the initial roster) is loaded once into the test database and
serialized with it, so a test with transaction=True and serialized_rollback=True finds it too.

In parallel (pytest-xdist, on by default: pyproject.toml) each worker gw<N> has its own test
database (pytest-django: test_<name>_gw<N>), its own Redis database (pytest_xdist_setupnodes below),
its own tmp_path for media and its own live server port.
"""

import os
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from zeal import zeal_context

from members.models import Kommun, User
from members.services import kommuner_load

from . import db_state
from .factories import UserFactory

KOMMUN_A = "0482"  # Flen
KOMMUN_B = "0120"  # Värmdö
KOMMUN_OUTSIDE = "2584"  # Kiruna, not in the roster
PASSWORD = "correct-horse-battery"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_service(name: str, available: bool) -> None:
    """Skip a service test on a laptop without the service; fail it in CI, where it must run."""
    if available:
        return
    if running_in_ci():
        pytest.fail(f"{name} is required in CI but is not configured or not reachable")
    pytest.skip(f"{name} not available (set it up, or run .ci/run)")


REDIS_DATABASES = 16  # Redis's default number of databases


def worker_redis_url(url: str, index: int) -> str:
    """REDIS_URL for xdist worker `index`: the URL's database number plus the index (redis://h:p/5 →
    /5, /6, …), so no worker's Celery queue, cache or flushdb reaches another's."""
    match = re.fullmatch(r"(rediss?://[^/?#]*)(?:/(\d*))?([?#].*)?", url)
    if match is None:
        raise pytest.UsageError(f"REDIS_URL {url!r}: expected redis://host:port/N")
    base = int(match.group(2) or 0)
    if base + index >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"REDIS_URL {url!r} with {index + 1} xdist workers needs Redis databases up to {base + index}: "
            "use a lower database number or fewer workers (-n)"
        )
    return f"{match.group(1)}/{base + index}{match.group(3) or ''}"


# The longest tests first (the cluster's minute and a half, then the browser's): started early, the
# parallel workers (pytest-xdist, worksteal) share out the many short tests around them and finish
# together; collected last (their directories' place in the alphabet and xdist's split put them
# there), one worker ran the cluster alone for the last minute while the other had nothing left.
LONGEST_FIRST = ("cluster", "browser")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        return next((i for i, mark in enumerate(LONGEST_FIRST) if item.get_closest_marker(mark)), len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: the collection order within each group


@pytest.hookimpl(optionalhook=True)  # an xdist hook: harmless where xdist is not installed
def pytest_xdist_setupnodes(config, specs):
    """Before the xdist workers start (and import the settings): each gets its own Redis database.

    The workers' settings, the Celery broker and the subprocess Celery workers of the service tests
    (tests/outbox/worker.py) all read REDIS_URL from the environment, so setting it per worker here
    keeps every Redis key and queue of one worker out of the others'."""
    for index, spec in enumerate(specs):
        for name in ("REDIS_URL", "CELERY_BROKER_URL"):
            if os.environ.get(name, "").startswith(("redis://", "rediss://")):
                spec.env[name] = worker_redis_url(os.environ[name], index)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connections

    with django_db_blocker.unblock():
        kommuner_load()
        # Django serialized the test database (for serialized_rollback) before the register was
        # loaded; serialize it again so transactional tests start from the register, not nothing.
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "_test_serialized_contents"):
                conn._test_serialized_contents = conn.creation.serialize_db_to_string()
        db_state.keep_base()  # PostgreSQL: what a transactional test returns to (below)


def _transactional_tests_return_to_the_register() -> None:
    """A transactional test empties every table when it ends. Tests run in parallel (xdist) in no
    fixed order, so the next test on the same worker may be an ordinary one expecting the seeded
    data and the kommun register of the session: put them back when it ends.

    On PostgreSQL the base state kept in django_db_setup is put back with COPY, at a transactional
    test's end instead of the flush and at its start instead of serialized rollback's re-saving of
    every object (tests/db_state.py); elsewhere the flush, then the serialized register."""
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown
    if getattr(flush, "_reloads_register", False):
        return
    deserialize = BaseDatabaseCreation.deserialize_db_from_string

    def _fixture_teardown(self):
        from django.db import connections

        if db_state.kept() and list(self._databases_names(include_mirrors=False)) == ["default"]:
            db_state.restore_base()
            return
        flush(self)
        # What serialized_rollback restores at a test's start (the seeded data and the register,
        # serialized in django_db_setup), restored at its end as well.
        for alias in self._databases_names(include_mirrors=False):
            connection = connections[alias]
            if getattr(connection, "_test_serialized_contents", None):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)

    def deserialize_db_from_string(creation, data):
        if db_state.kept() and creation.connection.alias == "default":
            db_state.restore_base()
            return
        deserialize(creation, data)

    _fixture_teardown._reloads_register = True
    TransactionTestCase._fixture_teardown = _fixture_teardown
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string


_transactional_tests_return_to_the_register()


@pytest.fixture(autouse=True)
def _no_n_plus_one():
    """django-zeal around every test: any N+1 query (a lazy load repeated per row) raises."""
    assert "zeal" in settings.INSTALLED_APPS, "run the suite with ZEAL=true (pyproject.toml sets it)"
    with zeal_context():
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Fast password hashing in tests; plain static storage (no collectstatic manifest needed).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Each test gets an empty in-process cache (rate limits, cached sessions); the Redis cache
    # itself is tested in test_platform.py.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    yield
    # A request in English leaves its language active in the thread; the next test starts in Swedish.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo_data() -> None:
    """The demo (members, inquiries, NKI, the overview) in this test's database; ask for it before
    fixtures that create rows. Loaded once per worker, copied back after that (tests/db_state.py)."""
    from .db_state import load_demo

    load_demo()


@pytest.fixture
def kommun_a(db) -> Kommun:
    return Kommun.objects.get(code=KOMMUN_A)


@pytest.fixture
def kommun_b(db) -> Kommun:
    return Kommun.objects.get(code=KOMMUN_B)


@pytest.fixture
def kommun_outside(db) -> Kommun:
    return Kommun.objects.get(code=KOMMUN_OUTSIDE)


@pytest.fixture
def staff(db) -> User:
    return UserFactory(email="staff@investstockholm.example", role=User.Role.STAFF)


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(email="admin@investstockholm.example", role=User.Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def user_a(kommun_a) -> User:
    return UserFactory(email="nlc@flen.example", role=User.Role.KOMMUN, kommun=kommun_a)


@pytest.fixture
def user_b(kommun_b) -> User:
    return UserFactory(email="nlc@varmdo.example", role=User.Role.KOMMUN, kommun=kommun_b)


@pytest.fixture
def user_outside(kommun_outside) -> User:
    return UserFactory(email="nlc@kiruna.example", role=User.Role.KOMMUN, kommun=kommun_outside)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(staff, admin_user, user_a, user_b, user_outside) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "staff": staff,
        "admin": admin_user,
        "user_a": user_a,
        "user_b": user_b,
        "user_outside": user_outside,
    }


@pytest.fixture
def past_rosters(db) -> None:
    """Today's roster as the member list of every seeded agreement period (2017–2028).

    The register seeds the current period only (members.roster: earlier periods say their list is
    missing). Tests whose hand-counted SBA averages are for earlier years and whose members are
    today's members use this; tests of who was a member when build their own memberships.
    """
    import datetime

    from members.models import AgreementPeriod, Membership

    for membership in Membership.objects.filter(starts_on=datetime.date(2025, 1, 1)):
        membership.starts_on = datetime.date(2017, 1, 1)
        membership.save()
    for period in AgreementPeriod.objects.all():
        period.roster_recorded = True
        period.save()
