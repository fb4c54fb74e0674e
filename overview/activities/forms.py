from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry
from members.forms import DateInput
from members.models import Kommun

from .models import Activity


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "starts_on", "ends_on", "place", "kommuner", "leads", "inquiries", "description"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "kommuner": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].queryset = Kommun.objects.members().order_by("name")
        self.fields["inquiries"].queryset = Inquiry.objects.order_by("-pk")
        self.fields["inquiries"].required = False

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        return data
