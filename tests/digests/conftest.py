import datetime

import pytest
from django.utils import timezone

from digests import periods
from members.models import Contact, Kommun, Membership

from ..factories import ContactFactory, UserFactory


@pytest.fixture
def week() -> periods.Period:
    return periods.default(periods.WEEK, timezone.localdate())


@pytest.fixture
def quarter() -> periods.Period:
    return periods.default(periods.QUARTER, timezone.localdate())


def full_contacts(kommun: Kommun, prefix: str) -> list[Contact]:
    """Every role a member needs, with an e-mail address: nothing is missing."""
    return [
        ContactFactory(
            kommun=kommun, role=role, is_primary=True, name=f"{prefix} {role}", email=f"{role}@{prefix}.example"
        )
        for role in ("kso", "kommundirektor", "naringslivschef", "investment", "nki")
    ]


@pytest.fixture
def flen_with_gaps(kommun_a, user_a):
    """Flen: a KSO and a kommundirektör, but no näringslivschef or investment contact; the
    membership ends in 30 days with nothing after it. Secret names to look for elsewhere."""
    ContactFactory(kommun=kommun_a, role="kso", is_primary=True, name="Flensk Ordförande", email="kso@flen.example")
    ContactFactory(
        kommun=kommun_a, role="kommundirektor", is_primary=True, name="Flensk Direktör", email="kd@flen.example"
    )
    Membership.objects.filter(kommun=kommun_a).update(ends_on=timezone.localdate() + datetime.timedelta(days=30))
    return kommun_a


@pytest.fixture
def varmdo_with_gaps(kommun_b, user_b):
    ContactFactory(kommun=kommun_b, role="kso", is_primary=True, name="Värmdösk Ordförande", email="kso@varmdo.example")
    Membership.objects.filter(kommun=kommun_b).update(ends_on=timezone.localdate() + datetime.timedelta(days=40))
    return kommun_b


@pytest.fixture
def english_staff(db):
    return UserFactory(email="en-staff@investstockholm.example", role="staff", language="en")


from ..outbox.worker import celery_worker  # noqa: E402, F401 - fixtures
