"""Forms for a kommun's investment profile and its sites."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .concurrency import StaleEditMixin
from .forms import DateInput
from .models import Kommun, KommunProfile, Sector, Site


class KommunProfileForm(StaleEditMixin, forms.ModelForm):
    class Meta:
        model = KommunProfile
        fields = ["wanted_sectors", "strong_sectors", "appetite", "notes"]
        widgets = {
            "wanted_sectors": forms.CheckboxSelectMultiple,
            "strong_sectors": forms.CheckboxSelectMultiple,
            "appetite": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kommun = kommun
        sectors = Sector.objects.filter(is_active=True)
        self.fields["wanted_sectors"].queryset = sectors
        self.fields["strong_sectors"].queryset = sectors


class SiteForm(StaleEditMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = [
            "name",
            "area_ha",
            "ownership",
            "zoning",
            "available_from",
            "power_mw",
            "km_motorway",
            "km_rail",
            "km_port",
            "km_airport",
            "notes",
            "last_confirmed",
        ]
        widgets = {
            "available_from": DateInput(),
            "last_confirmed": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kommun = kommun
        for name in ["area_ha", "power_mw", "km_motorway", "km_rail", "km_port", "km_airport"]:
            field = self.fields[name]
            field.validators.append(MinValueValidator(Decimal(0)))
            # Swedish users type a decimal comma: a localized text input accepts 12,5 as well as 12.5.
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True
            self.fields[name].help_text = _("Leave empty if you do not know; the matching then says so.")

    def clean_last_confirmed(self):
        value = self.cleaned_data["last_confirmed"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A site cannot be confirmed in the future."))
        return value
