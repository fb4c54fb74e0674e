from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import ServiceArea


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx), CSV or a Kolada API answer saved as .json."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt,.json"}),
    )
    area = forms.ModelChoiceField(
        label=_("Area, if the file has no area column"),
        queryset=ServiceArea.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Given in the file"),
    )
    year = forms.IntegerField(
        label=_("Year, if the file has no year column"), required=False, min_value=2000, max_value=2100
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s. Split it, or save only the NKI sheet.")
                % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        return upload
