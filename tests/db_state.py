"""Whole-database states for tests, kept and put back with PostgreSQL's COPY.

Two states, each kept once per worker as one COPY of every table of the project:
- the base state: the migrated database with the kommun register (tests/conftest.py's
  django_db_setup). A transactional test (`transaction=True`) returns to it when it ends and starts
  from it: the tables that differ emptied and copied back, a fraction of a second, instead of
  Django's flush command followed by re-saving the serialized register object by object (seconds
  per test);
- the demo (members, inquiries, NKI, the overview): `load_demo()`, for tests that look at pages full
  of it. The first load in a worker goes through the apps' loaders and is kept; later tests get the
  same rows back. The loaders themselves are tested where they are the subject
  (tests/overview/test_demo.py and the apps' demo tests), always with a real load.

Ids come back as they were kept; the sequences are never set back (they only grow), so a restored
row's id is never handed out again. A restore is one transaction: the foreign keys, deferred, are
checked when it commits (inside a test's own transaction it is rolled back with it). On SQLite
nothing is kept: transactional tests use Django's flush and serialized rollback, the demo is loaded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction


@dataclass
class _State:
    rows: dict[str, bytes] = field(default_factory=dict)  # table → its rows as COPY text
    fingerprints: dict[str, tuple] = field(default_factory=dict)  # table with rows → (rows, hash)


_base = _State()  # the migrated database and the register
_demo = _State()  # the same, with the demo loaded


def kept() -> bool:
    """Is there a base state to put back (PostgreSQL, after django_db_setup)?"""
    return bool(_base.rows)


def tables() -> list[str]:
    """Every table of the project's models (history and many-to-many tables included)."""
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed})


def _capture() -> dict[str, bytes]:
    quote = connection.ops.quote_name
    copy = {}
    with connection.cursor() as cursor:
        for table in tables():
            buffer = io.BytesIO()
            cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
            copy[table] = buffer.getvalue()
    return copy


def _fingerprint(cursor, tables: list[str]) -> dict[str, tuple]:
    """(rows, a hash of their text) per table, in one query."""
    if not tables:
        return {}
    quote = connection.ops.quote_name
    cursor.execute(
        " UNION ALL ".join(
            f"SELECT {i}, count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM {quote(table)} t"  # noqa: S608
            for i, table in enumerate(tables)
        )
    )
    return {tables[i]: (rows, digest) for i, rows, digest in cursor.fetchall()}


def _nonempty(cursor, tables: list[str]) -> set[str]:
    quote = connection.ops.quote_name
    cursor.execute(
        " UNION ALL ".join(
            f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - our table names
            for i, table in enumerate(tables)
        )
    )
    return {tables[i] for (i,) in cursor.fetchall()}


def _restore(state: _State) -> None:
    """Every table as kept. Only what differs is touched: the tables holding rows now are emptied
    (DELETE: cheap for the few rows a test writes; TRUNCATE costs milliseconds per table, and a
    test leaves most tables empty), except kept tables whose rows are still exactly as kept."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        nonempty = _nonempty(cursor, list(state.rows))
        same = _fingerprint(cursor, sorted(nonempty & state.fingerprints.keys())).items() & state.fingerprints.items()
        unchanged = {table for table, _ in same}
        stale = sorted(nonempty - unchanged)
        if stale:
            cursor.execute("; ".join(f"DELETE FROM {quote(t)}" for t in stale))  # noqa: S608
        for table in sorted(state.fingerprints.keys() - unchanged):
            cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(state.rows[table]))


def _keep(state: _State) -> None:
    state.rows = _capture()
    with connection.cursor() as cursor:
        state.fingerprints = _fingerprint(cursor, [table for table, rows in state.rows.items() if rows])


def keep_base() -> None:
    if connection.vendor == "postgresql":
        _keep(_base)


def restore_base() -> None:
    _restore(_base)


def _load() -> None:
    from inquiries import demo as inquiries_demo
    from members import demo as members_demo
    from nki import demo as nki_demo
    from overview import demo as overview_demo

    members_demo.load()
    inquiries_demo.load()
    nki_demo.load()
    overview_demo.load()


def load_demo() -> None:
    """Put the demo into the test database: loaded the first time, copied back after that.

    First thing in a test (before any fixture that creates rows): the copy is of the database as
    the demo leaves the register, and putting it back empties every table first."""
    from members.models import User

    assert not User.objects.exists(), "load the demo before any fixture that creates users or other rows"
    if connection.vendor != "postgresql":
        _load()
    elif _demo.rows:
        _restore(_demo)
    else:
        with transaction.atomic():
            _load()
            _keep(_demo)
