from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Contact, Kommun
from nki.models import ServiceArea

from ..maturity.models import MaturityCriterion
from .models import ExchangeGroup, GoodExample


class ExampleForm(forms.ModelForm):
    class Meta:
        model = GoodExample
        fields = ["kommun", "title", "what", "result", "contact", "areas", "criteria", "theme"]
        widgets = {"areas": forms.CheckboxSelectMultiple, "criteria": forms.CheckboxSelectMultiple}

    def __init__(self, *args, kommun: Kommun | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A kommun user writes for their own kommun only: the field is fixed.
        if kommun is not None:
            del self.fields["kommun"]
            self.kommun = kommun
            contacts = Contact.objects.active().filter(kommun=kommun).select_related("kommun")
        else:
            self.kommun = None
            self.fields["kommun"].queryset = Kommun.objects.members()
            contacts = Contact.objects.active().select_related("kommun")
        if self.instance.contact_id:
            contacts = (contacts | Contact.objects.filter(pk=self.instance.contact_id)).select_related("kommun")
        self.fields["contact"].queryset = contacts
        self.fields["areas"].queryset = ServiceArea.objects.exclude(code="totalt")
        self.fields["criteria"].queryset = MaturityCriterion.objects.filter(is_active=True).exclude(level="neutral")

    def clean_contact(self):
        contact = self.cleaned_data.get("contact")
        kommun = self.kommun or self.cleaned_data.get("kommun")
        if contact and kommun and contact.kommun_id != kommun.pk:
            raise forms.ValidationError(_("Choose a contact person of the kommun itself."))
        return contact


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.CharField(required=False, max_length=40)
    criterion = forms.IntegerField(required=False, min_value=1)
    kommun = forms.CharField(required=False, max_length=4)


class GroupForm(forms.ModelForm):
    class Meta:
        model = ExchangeGroup
        fields = ["name", "kind", "description", "kommuner", "is_active"]
        widgets = {"kommuner": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].queryset = Kommun.objects.members()


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("subject"), max_length=200)
    notes = forms.CharField(
        label=_("notes (shared with the kommuner)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
    )
