import django_filters
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Message


def kind_choices() -> list[tuple[str, str]]:
    """Registered kinds plus any kind found in the log (one query), by label."""
    codes = {k.code for k in kinds.all_kinds()} | set(
        Message.objects.order_by().values_list("kind", flat=True).distinct()
    )
    return sorted(((code, str(kinds.get(code).label)) for code in codes), key=lambda c: c[1].lower())


class MessageFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Message.Status.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=kind_choices, empty_label=_("All kinds"))
    to = django_filters.CharFilter(label=_("Recipient"), lookup_expr="icontains")

    class Meta:
        model = Message
        fields: list[str] = []
