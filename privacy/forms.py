from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail address"), max_length=200, required=False)


class CorrectForm(forms.Form):
    q = forms.CharField(widget=forms.HiddenInput, max_length=200)
    name = forms.CharField(label=_("New name"), max_length=120, required=False)
    email = forms.EmailField(label=_("New e-mail address"), required=False)
    phone = forms.CharField(label=_("New phone number"), max_length=40, required=False)


class EraseForm(forms.Form):
    q = forms.CharField(widget=forms.HiddenInput, max_length=200)
    confirm = forms.BooleanField(
        label=_("I have checked that no other duty (archiving, an open inquiry) requires keeping this data."),
        required=True,
    )
