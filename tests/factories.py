"""factory-boy factories for the whole suite, in one place: members, inquiries, overview.

Fixtures (tests/conftest.py and each app's conftest) build the personas and worlds from these; a
test that needs one more object of a kind calls the factory with the fields it cares about.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from inquiries.models import Inquiry
from members.models import Contact, Kommun, Membership, Site, User
from overview.models import DialogEntry, DialogKind, FollowUp, KpiTarget

# --- members -------------------------------------------------------------------------------------


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    kommun = factory.LazyFunction(lambda: Kommun.objects.get(code="0482"))
    name = factory.Faker("name", locale="sv_SE")
    title = "Näringslivschef"
    role = Contact.Role.NARINGSLIVSCHEF
    email = factory.Sequence(lambda n: f"contact{n}@kommun.example")
    phone = "08-123 456"
    # A role that names a responsibility holds it, as the contact form makes it.
    holds_nki = factory.LazyAttribute(lambda o: o.role == Contact.Role.NKI)
    holds_investment = factory.LazyAttribute(lambda o: o.role == Contact.Role.INVESTMENT)
    holds_bygglov = factory.LazyAttribute(lambda o: o.role == Contact.Role.BYGGLOVSCHEF)
    holds_miljo = factory.LazyAttribute(lambda o: o.role == Contact.Role.MILJOCHEF)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    starts_on = factory.Faker("date_between", start_date="-3y", end_date="-1y")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    role = User.Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SiteFactory(factory.django.DjangoModelFactory):
    """A kommun's site, the kind an inquiry is matched against."""

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


# --- inquiries -----------------------------------------------------------------------------------


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


# --- overview ------------------------------------------------------------------------------------


class DialogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogEntry
        skip_postgeneration_save = True

    kind = DialogKind.MEETING
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    title = factory.Sequence(lambda n: f"Möte {n}")
    notes = "Delade anteckningar"
    internal_notes = ""

    @factory.post_generation
    def kommuner(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.kommuner.add(*extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    entry = factory.SubFactory(DialogEntryFactory)
    text = factory.Sequence(lambda n: f"Åtgärd {n}")
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=3))


class KpiTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiTarget

    key = factory.Sequence(lambda n: f"kpi-{n}")
    label_sv = factory.Sequence(lambda n: f"Mål {n}")
    label_en = factory.Sequence(lambda n: f"Target {n}")
    target_value = 10
