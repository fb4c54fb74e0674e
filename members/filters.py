import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Kommun, Lan


class KommunFilter(django_filters.FilterSet):
    """Search by name or kommunkod, filter by län and membership, sort by column."""

    q = django_filters.CharFilter(label=_("Name or kommunkod"), method="filter_q")
    lan = django_filters.ModelChoiceFilter(
        label=_("Län"), queryset=Lan.objects.all(), to_field_name="code", empty_label=_("All län")
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=[("member", _("SBA members")), ("non_member", _("Not members"))],
        empty_label=_("All kommuner"),
        method="filter_membership",
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("code", "code"), ("lan__code", "lan")),
        field_labels={"name": _("Name"), "code": _("Kommunkod"), "lan__code": _("Län")},
    )

    class Meta:
        model = Kommun
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))

    def filter_membership(self, queryset, name, value):
        # The queryset is annotated with `is_member` by the selector.
        return queryset.filter(is_member=(value == "member"))
