"""The dialog log's filters (django-filter, as every list in the portal)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from members.models import Kommun

from .models import DialogEntry, DialogKind


class DialogFilter(django_filters.FilterSet):
    """By kommun (its kommunkod) and kind. An unknown value shows the form's error and filters nothing."""

    kommun = django_filters.ModelChoiceFilter(
        label=_("Kommun"),
        queryset=Kommun.objects.order_by("name"),
        to_field_name="code",
        field_name="kommuner",
        empty_label=_("All kommuner"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DialogKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = DialogEntry
        fields: list[str] = []
