"""Forms for a kommun's investment profile and its sites."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .concurrency import StaleEditMixin
from .forms import DateInput
from .models import Kommun, KommunFact, KommunProfile, Premises, Sector, Site


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


class PremisesForm(StaleEditMixin, forms.ModelForm):
    class Meta:
        model = Premises
        fields = [
            "name",
            "kind",
            "floor_area_m2",
            "ceiling_height_m",
            "loading_docks",
            "power_mw",
            "year_available",
            "owner",
            "notes",
            "last_confirmed",
        ]
        widgets = {"last_confirmed": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kommun = kommun
        for name in ["ceiling_height_m", "power_mw"]:
            field = self.fields[name]
            field.validators.append(MinValueValidator(Decimal(0)))
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True
        for name in ["floor_area_m2", "ceiling_height_m", "loading_docks", "power_mw", "year_available"]:
            self.fields[name].help_text = _("Leave empty if you do not know; the matching then says so.")

    def clean_year_available(self):
        value = self.cleaned_data["year_available"]
        if value is not None and not 1900 <= value <= 2100:
            raise forms.ValidationError(_("Give a year between 1900 and 2100."))
        return value

    def clean_last_confirmed(self):
        value = self.cleaned_data["last_confirmed"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Premises cannot be confirmed in the future."))
        return value


class KommunFactForm(forms.ModelForm):
    """One fact of a kommun, edited by staff (imports bring most of them)."""

    class Meta:
        model = KommunFact
        fields = ["key", "year", "value", "source"]

    def __init__(self, *args, kommun: Kommun, **kwargs) -> None:
        from .facts import FACTS

        super().__init__(*args, **kwargs)
        self.instance.kommun = kommun
        self.fields["key"] = forms.ChoiceField(label=_("fact"), choices=[(f.key, f.label) for f in FACTS])
        self.fields["value"].localize = True
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["value"].widget.is_localized = True

    def clean_year(self):
        value = self.cleaned_data["year"]
        if not 1950 <= value <= 2100:
            raise forms.ValidationError(_("Give a year between 1950 and 2100."))
        return value

    def clean(self):
        data = super().clean()
        duplicate = KommunFact.objects.filter(
            kommun=self.instance.kommun, key=data.get("key"), year=data.get("year")
        ).exclude(pk=self.instance.pk)
        if data.get("key") and data.get("year") and duplicate.exists():
            raise forms.ValidationError(_("The kommun already has this fact for that year: edit that one."))
        return data


class FactImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("SCB's table as CSV or Excel (.xlsx), or Kolada's answer as JSON. At most 5 MB."),
    )
    fact = forms.ChoiceField(
        label=_("Fact in the file"),
        required=False,
        help_text=_("Only needed when the file has no column saying which fact a row is."),
    )
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("E.g. SCB, Befolkningsstatistik, or Kolada.")
    )

    def __init__(self, *args, **kwargs) -> None:
        from .facts import FACTS

        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = [("", _("Named in the file")), *[(f.key, f.label) for f in FACTS]]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".json")):
            raise forms.ValidationError(_("Upload a CSV, Excel (.xlsx) or JSON file."))
        return upload
