"""The demo data set (members, inquiries, NKI, the overview) for tests that look at pages full of it.

Loading it through the apps' loaders takes seconds (every row through its service, history and
coverage included), and several tests in a worker need it: the browser's screenshots and layout
checks, the printed and PDF reports. On PostgreSQL the first load in a worker is therefore kept as
one COPY of every table, and a later test gets the same rows back by TRUNCATE and COPY, its
sequences set past the copied ids — the very state a fresh load gave, in a fraction of the time.
The loaders themselves are tested where they are the subject (tests/overview/test_demo.py and
the apps' demo tests), always with a real load.

Works inside a test's transaction (pytest-django's `db`) and in a transactional test (then the
restore is one transaction: the foreign keys, deferred, are checked when it commits). On SQLite
the demo is simply loaded.
"""

from __future__ import annotations

import io

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

_copy: dict[str, bytes] = {}  # table → its rows as COPY text, from this worker's first load


def _tables() -> list[str]:
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    return sorted({m._meta.db_table for m in models})


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
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if not _copy:
            _load()
            for table in _tables():
                buffer = io.BytesIO()
                cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
                _copy[table] = buffer.getvalue()
            return
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in _copy)}")
        for table, rows in _copy.items():
            if rows:
                cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(rows))
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
