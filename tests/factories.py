"""factory-boy factories for the ground floor. Feature apps add theirs beside these."""

import factory

from members.models import Contact, Kommun, Membership, User


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    kommun = factory.LazyFunction(lambda: Kommun.objects.get(code="0482"))
    name = factory.Faker("name", locale="sv_SE")
    title = "Näringslivschef"
    role = Contact.Role.NARINGSLIVSCHEF
    email = factory.Sequence(lambda n: f"contact{n}@kommun.example")
    phone = "08-123 456"


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
