from __future__ import annotations

import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.concurrency import StaleEditMixin
from members.forms import DateInput
from members.models import FREE_TEXT_MAX_LENGTH, Contact, Kommun, Sector, Site, User

from . import constants, criteria
from .models import Answer, Inquiry, Outcome
from .uploads import check_upload


class InquiryForm(StaleEditMixin, forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = [
            "code_name",
            "investor_name",
            "investor_contact",
            "source",
            "sector",
            "description",
            *criteria.inquiry_fields(),  # the requirement section (inquiries/criteria.py)
            "planned_jobs",
            "answer_deadline",
            "responsible",
        ]
        widgets = {
            "investor_contact": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "needed_by": DateInput(),
            "answer_deadline": DateInput(),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(is_active=True)
        self.fields["responsible"].queryset = User.objects.filter(role=User.Role.STAFF, is_active=True)
        for name in self.number_requirements():
            field = self.fields[name]
            field.validators.append(MinValueValidator(Decimal(0)))
            # A decimal comma (12,5) is accepted as well as a point.
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True
        self.fields["req_area_ha"].help_text = _("Leave a requirement empty if the investor did not ask for it.")
        if not self.instance.pk:
            self.initial.setdefault(
                "answer_deadline", timezone.localdate() + datetime.timedelta(days=constants.DEFAULT_ANSWER_DAYS)
            )

    def number_requirements(self) -> list[str]:
        return [c.inquiry_field for c in criteria.CRITERIA if c.unit not in ("", "date", "type")]

    def requirement_fields(self) -> list[tuple[str, object]]:
        """(layout width, bound field) for the form's requirement section, in the criteria's order."""
        width = {"": "col-md-6", "date": "col-md-4", "km": "col-md-3"}
        return [(width.get(c.unit, "col-md-4"), self[c.inquiry_field]) for c in criteria.CRITERIA]

    def clean_answer_deadline(self):
        value = self.cleaned_data["answer_deadline"]
        if value and value < timezone.localdate() and (not self.instance.pk or "answer_deadline" in self.changed_data):
            raise ValidationError(_("The answer deadline cannot be in the past."))
        return value

    def clean_needed_by(self):
        # An old inquiry whose date has passed still saves when the date is left as it was.
        value = self.cleaned_data["needed_by"]
        if value and value < timezone.localdate() and (not self.instance.pk or "needed_by" in self.changed_data):
            raise ValidationError(_("The date the investor needs the site by cannot be in the past."))
        return value


class InquiryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or code name"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Inquiry.Status.choices, empty_label=_("All"))
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"),
        queryset=User.objects.filter(role=User.Role.STAFF),
        empty_label=_("Everyone"),
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("code_name", "code_name"),
            ("status", "status"),
            ("answer_deadline", "deadline"),
            ("created_at", "created"),
        ),
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        from django.db.models import Q

        return queryset.filter(Q(reference__icontains=value) | Q(code_name__icontains=value))


class RecipientsForm(forms.Form):
    """Staff's pick of recipients; the choices are the member kommuner that have not received it."""

    kommuner = forms.MultipleChoiceField(label=_("Send to"), widget=forms.CheckboxSelectMultiple, required=True)
    confirm = forms.BooleanField(
        label=_("I have checked the recipients and want to send the inquiry to them now."), required=True
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].choices = choices
        self.fields["kommuner"].error_messages["required"] = _("Choose at least one kommun.")
        self.fields["confirm"].error_messages["required"] = _("Tick the box to confirm the sending.")

    def clean_kommuner(self) -> list[int]:
        return [int(v) for v in self.cleaned_data["kommuner"]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AnswerForm(StaleEditMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Your answer"), choices=Answer.Decision.choices, widget=forms.RadioSelect)
    offer = forms.CharField(
        label=_("Your offer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        help_text=_("What you can offer the investor: sites, premises, support, timeline."),
    )
    proposed_sites = forms.ModelMultipleChoiceField(
        label=_("Proposed sites"), queryset=Site.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    contact = forms.ModelChoiceField(label=_("Contact person"), queryset=Contact.objects.none(), required=False)
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images (PNG, JPEG, GIF, WebP) or Office documents."),
    )
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"), choices=[("", "—"), *Answer.DeclineReason.choices], required=False
    )
    decline_text = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
    )

    VERSIONED_FIELDS = ["decision", "offer", "proposed_sites", "contact", "decline_reason", "decline_text"]

    def __init__(self, *args, kommun: Kommun, answer: Answer | None = None, **kwargs) -> None:
        self.versioned = (answer, self.VERSIONED_FIELDS) if answer is not None else (None, [])
        super().__init__(*args, **kwargs)
        self.fields["proposed_sites"].queryset = Site.objects.filter(kommun=kommun).order_by("name")
        # Contacts in service, and the one this answer already names even if since deactivated.
        current = answer.contact_id if answer is not None else None
        self.fields["contact"].queryset = (
            Contact.objects.filter(kommun=kommun).filter(Q(is_active=True) | Q(pk=current)).order_by("name")
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.get_role_display()})"
        self.fields["files"].help_text = _(
            "PDF, images (PNG, JPEG, GIF, WebP) or Office documents, at most %(mb)s MB each."
        ) % {"mb": max(1, round(settings.UPLOAD_MAX_BYTES / 1024 / 1024))}

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == Answer.Decision.INTERESTED:
            if not (data.get("offer") or "").strip():
                self.add_error("offer", _("Describe your offer."))
            if not data.get("contact"):
                self.add_error("contact", _("Choose the contact person for the investor."))
        elif data.get("decision") == Answer.Decision.DECLINED and not data.get("decline_reason"):
            self.add_error("decline_reason", _("Choose a reason for declining."))
        return data


class ReopenForm(forms.Form):
    until = forms.DateField(label=_("Open for answers until"), widget=DateInput())

    def clean_until(self):
        value = self.cleaned_data["until"]
        if value < timezone.localdate():
            raise ValidationError(_("Choose today or a later day."))
        return value


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback to the kommun"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        help_text=_("For example why the offer was or was not chosen. The kommun's contacts get an e-mail."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Inquiry.Status.choices)


class OutcomeForm(StaleEditMixin, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["decision", "kommun", "lost_to", "jobs", "investment_msek", "decided_on", "notes"]
        widgets = {"decided_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommun"].queryset = Kommun.objects.members().order_by("name")
        self.fields["investment_msek"].localize = True
        self.fields["investment_msek"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["investment_msek"].widget.is_localized = True

    # Which fields a decision takes, the bounds and the date are checked by the model
    # (Outcome.clean and its field validators), so this form and Django admin agree.
