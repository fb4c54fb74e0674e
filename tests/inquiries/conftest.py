"""Fixtures for the inquiries tests: a sent inquiry with dispatches to kommun A and B."""

import pytest

from inquiries import services
from inquiries.models import Inquiry
from members.models import Contact

from ..factories import ContactFactory, InquiryFactory, SiteFactory

# The investor's name is confidential: it must appear in no kommun page before release.
INVESTOR = "Nordlys Battery Holdings AB"


@pytest.fixture
def contacts(kommun_a, kommun_b):
    return {
        "a_nlc": ContactFactory(kommun=kommun_a, role=Contact.Role.NARINGSLIVSCHEF, email="nlc@flen.example"),
        "a_inv": ContactFactory(kommun=kommun_a, role=Contact.Role.INVESTMENT, email="invest@flen.example"),
        "a_kso": ContactFactory(kommun=kommun_a, role=Contact.Role.KSO, email="kso@flen.example"),
        "b_nlc": ContactFactory(kommun=kommun_b, role=Contact.Role.NARINGSLIVSCHEF, email="nlc@varmdo.example"),
    }


@pytest.fixture
def sites(kommun_a, kommun_b):
    return {
        "a": SiteFactory(kommun=kommun_a, name="Flen Stora Industriområde", area_ha=30),
        "b": SiteFactory(kommun=kommun_b, name="Värmdö Hamnområde", area_ha=12),
    }


@pytest.fixture
def inquiry(staff):
    return InquiryFactory(investor_name=INVESTOR, responsible=staff)


@pytest.fixture
def sent(inquiry, staff, kommun_a, kommun_b, contacts, sites):
    """The inquiry sent to A and B: {"inquiry", "a", "b"} (dispatches)."""
    dispatches = services.inquiry_dispatch(inquiry=inquiry, kommun_ids=[kommun_a.pk, kommun_b.pk], user=staff)
    by_kommun = {d.kommun_id: d for d in dispatches}
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SENT
    return {"inquiry": inquiry, "a": by_kommun[kommun_a.pk], "b": by_kommun[kommun_b.pk]}
