"""Factories for the inquiries app and the kommun profile/sites it matches against."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from inquiries.models import Inquiry
from members.models import Site


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Site {n}")
    area_ha = Decimal("25")
    ownership = Site.Ownership.MUNICIPAL
    zoning = Site.Zoning.IN_FORCE
    available_from = factory.LazyFunction(lambda: timezone.localdate())
    power_mw = Decimal("40")
    km_motorway = Decimal("2")
    km_rail = Decimal("5")
    km_port = Decimal("40")
    km_airport = Decimal("30")


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    reference = factory.Sequence(lambda n: f"SBA-2099-{n + 1:04d}")
    code_name = factory.Sequence(lambda n: f"Project {n}")
    investor_name = "Nordlys Battery Holdings AB"
    investor_contact = "cfo@nordlys.example"
    source = Inquiry.Source.BUSINESS_SWEDEN
    description = "A battery-module plant for the Nordic market."
    req_area_ha = Decimal("20")
    req_municipal_land = False
    req_zoning_ready = False
    req_power_mw = None
    answer_deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
