from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from members import tabular

from . import constants
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


SCOPES = ("members", "non_members", "all")


class QueryValue(forms.Field):
    """A query-string value as the text given ('' if absent), with no validation of its own: the
    form's clean_<name> turns it into a value or the default."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> str:
        return "" if value is None else str(value)


class NkiQuery(forms.Form):
    """The query string of the NKI pages. Never invalid: a missing or bad value is its default
    (no year: the latest; an unknown scope: SBA's members; an unknown size group or export format:
    none), so any link or hand-edited address shows a page rather than an error."""

    year = QueryValue()
    scope = QueryValue()
    lan = QueryValue()
    size = QueryValue()
    sort = QueryValue()
    export = QueryValue()
    table = QueryValue()
    years = QueryValue()  # the kommun page: "all" for every year, else the latest KOMMUN_PAGE_YEARS

    def clean_year(self) -> int | None:
        try:
            return int(self.cleaned_data["year"])
        except ValueError:
            return None

    def clean_scope(self) -> str:
        scope = self.cleaned_data["scope"]
        return scope if scope in SCOPES else "members"

    def clean_lan(self) -> str:
        return self.cleaned_data["lan"][:2]

    def clean_size(self) -> str:
        size = self.cleaned_data["size"]
        return size if size in {g.code for g in constants.SIZE_GROUPS} else ""

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"][:40] or "name"

    def clean_export(self) -> str:
        export = self.cleaned_data["export"]
        return export if export in tabular.FORMATS else ""

    def clean_years(self) -> str:
        return "all" if self.cleaned_data["years"] == "all" else ""

    @property
    def values(self) -> dict:
        """Every parameter cleaned (the form is always valid)."""
        self.is_valid()
        return self.cleaned_data

    def overview_params(self) -> dict:
        """The parameters of selectors.overview."""
        return {name: self.values[name] for name in ("year", "scope", "lan", "size", "sort")}
