"""The change detector itself (conftest.snapshot): every kind of write shows, on either path.

On PostgreSQL inside the test's transaction a snapshot re-reads only the tables PostgreSQL reports
written since they were last read; these make sure that shortcut misses nothing the full read sees.
"""

from __future__ import annotations

import pytest
from django.db import connection

from members.models import Kommun, Lan, Sector
from nki.models import ReferenceValue

from .conftest import changed, snapshot, table_hash, tables

pytestmark = pytest.mark.django_db


def full_snapshot() -> dict:
    with connection.cursor() as cursor:
        return {table: table_hash(cursor, table) for table in tables()}


def test_a_snapshot_is_the_full_read(kommun_a):
    assert snapshot() == full_snapshot()
    Kommun.objects.filter(pk=kommun_a.pk).update(name="Ändrad")
    assert snapshot() == full_snapshot()


def test_every_kind_of_write_is_seen():
    before = snapshot()
    Sector.objects.create(code="zz-test", name_sv="Test", name_en="Test")
    after_insert = snapshot()
    assert changed(before, after_insert) == [Sector._meta.db_table]

    lan = Lan.objects.order_by("pk").first()
    Lan.objects.filter(pk=lan.pk).update(name=lan.name + "x")
    after_update = snapshot()
    assert changed(after_insert, after_update) == [Lan._meta.db_table]

    table = ReferenceValue._meta.db_table
    assert ReferenceValue.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our table name
    after_delete = snapshot()
    assert changed(after_update, after_delete) == [table]
    assert after_delete == full_snapshot()


def test_truncate_is_seen(kommun_a):
    table = ReferenceValue._meta.db_table
    before = snapshot()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)}")
        else:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our table name
    assert changed(before, snapshot()) == [table]
