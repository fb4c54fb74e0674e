"""Forms of the dialog log."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Contact, Kommun, User

from .models import DialogEntry, FollowUp


class DialogEntryForm(forms.ModelForm):
    class Meta:
        model = DialogEntry
        fields = ["kind", "date", "title", "kommuner", "contacts", "staff", "notes", "internal_notes"]
        widgets = {
            "date": DateInput(),
            "kommuner": forms.SelectMultiple(attrs={"size": 8}),
            "contacts": forms.SelectMultiple(attrs={"size": 8}),
            "staff": forms.SelectMultiple(attrs={"size": 5}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "notes": _("The kommuner that took part see these notes."),
            "internal_notes": _("Only Invest Stockholm staff see these notes."),
            "contacts": _("Hold Ctrl (Cmd on a Mac) to choose several."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].queryset = Kommun.objects.order_by("name")
        # Contacts in service, and those this entry already names even if since deactivated.
        named = list(self.instance.contacts.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["contacts"].queryset = (
            Contact.objects.filter(Q(is_active=True) | Q(pk__in=named))
            .select_related("kommun")
            .order_by("kommun__name", "name")
        )
        self.fields["contacts"].label_from_instance = lambda c: f"{c.kommun.name}: {c.name} ({c.get_role_display()})"
        self.fields["staff"].queryset = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by(
            "first_name", "email"
        )
        self.fields["kommuner"].error_messages["required"] = _("Choose at least one kommun.")

    def clean(self):
        data = super().clean()
        kommuner, contacts = data.get("kommuner"), data.get("contacts")
        if kommuner is not None and contacts:
            chosen = {k.pk for k in kommuner}
            outside = [c for c in contacts if c.kommun_id not in chosen]
            if outside:
                self.add_error(
                    "contacts",
                    _("%(names)s belong to a kommun not chosen above. Add the kommun or remove the person.")
                    % {"names": ", ".join(c.name for c in outside)},
                )
        return data


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["text", "owner", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by(
            "first_name", "email"
        )


class DialogFilterForm(forms.Form):
    kommun = forms.ChoiceField(label=_("Kommun"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kommuner, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommun"].choices = [("", _("All kommuner")), *[(k.code, k.name) for k in kommuner]]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]
