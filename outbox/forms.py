from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class NotificationSettingsForm(forms.Form):
    """One checkbox per optional kind for the person's audience; ticked = wanted."""

    def __init__(self, *args, kinds: list[Kind], unsubscribed: set[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.code] = forms.BooleanField(
                label=kind.label,
                help_text=kind.description,
                required=False,
                initial=kind.code not in unsubscribed,
            )

    def chosen(self) -> dict[str, bool]:
        return {kind.code: bool(self.cleaned_data.get(kind.code)) for kind in self.kinds}


class ResubscribeForm(forms.Form):
    action = forms.ChoiceField(choices=[("unsubscribe", _("Unsubscribe")), ("resubscribe", _("Subscribe again"))])
