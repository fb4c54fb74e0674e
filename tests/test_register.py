"""The kommun register and SBA membership, loaded from the shipped SCB data."""

import datetime

import pytest

from members.models import Kommun, Lan, Membership
from members.services import kommuner_load

pytestmark = pytest.mark.django_db


def test_all_290_kommuner_with_codes_and_lan():
    assert Kommun.objects.count() == 290
    assert Lan.objects.count() == 21
    expected = {"0482": ("Flen", "04"), "0120": ("Värmdö", "01"), "1880": ("Örebro", "18"), "1984": ("Arboga", "19")}
    found = Kommun.objects.select_related("lan").in_bulk(list(expected), field_name="code")
    for code, (name, lan_code) in expected.items():
        assert (found[code].name, found[code].lan.code) == (name, lan_code)
    # Codes keep their leading zero and are all four digits.
    assert all(len(code) == 4 and code.isdigit() for code in Kommun.objects.values_list("code", flat=True))
    assert Kommun.objects.get(code="0114").name == "Upplands Väsby"


def test_load_is_idempotent_and_keeps_staff_corrections():
    flen = Kommun.objects.get(code="0482")
    Membership.objects.filter(kommun=flen).update(ends_on=datetime.date(2025, 6, 30))
    before = (Kommun.objects.count(), Membership.objects.count())

    result = kommuner_load()

    assert (result.kommuner_created, result.kommuner_updated, result.memberships_created) == (0, 0, 0)
    assert (Kommun.objects.count(), Membership.objects.count()) == before
    assert Membership.objects.get(kommun=flen).ends_on == datetime.date(2025, 6, 30)


def test_members_are_counted_from_membership_records():
    today = datetime.date(2026, 11, 27)
    seeded = Kommun.objects.members(on=today).count()
    assert seeded == 52  # the shipped roster; never a constant in product code

    kiruna = Kommun.objects.get(code="2584")
    Membership.objects.create(kommun=kiruna, starts_on=datetime.date(2026, 1, 1))
    flen_membership = Membership.objects.get(kommun__code="0482")
    flen_membership.ends_on = datetime.date(2026, 6, 30)
    flen_membership.save()

    members = set(Kommun.objects.members(on=today).values_list("code", flat=True))
    assert "2584" in members and "0482" not in members
    assert len(members) == seeded
    # Flen was a member on a day before its membership ended.
    assert Kommun.objects.members(on=datetime.date(2026, 3, 1)).filter(code="0482").exists()
