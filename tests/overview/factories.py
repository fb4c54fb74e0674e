"""Factories for the overview app's models."""

import datetime

import factory

from overview.models import DialogEntry, DialogKind, FollowUp, KpiTarget


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
