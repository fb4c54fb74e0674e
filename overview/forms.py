from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Contact, Kommun, User

from .models import Answer, DialogEntry, FollowUp, MaturityCriterion


class AssessmentForm(forms.Form):
    """One yes / partly / no (+ comment) per asked criterion of a track."""

    comment = forms.CharField(
        label=_("Comment on the whole assessment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criteria: list[MaturityCriterion], initial_answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if c.is_asked]
        initial_answers = initial_answers or {}
        for criterion in self.criteria:
            answer, comment = initial_answers.get(criterion.pk, (None, ""))
            self.fields[f"answer_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text,
                choices=Answer.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=answer,
                error_messages={"required": _("Answer yes, partly or no.")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                initial=comment,
                widget=forms.TextInput(),
            )

    def full_clean(self):
        super().full_clean()
        # Screen readers hear which questions were missed and why (WCAG 3.3.1).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def groups(self):
        """[(level, [(criterion, answer field, comment field)])] for the template, in the model's order."""
        grouped: dict[str, list] = {}
        for c in self.criteria:
            grouped.setdefault(c.level, []).append((c, self[f"answer_{c.pk}"], self[f"comment_{c.pk}"]))
        return list(grouped.items())

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"answer_{c.pk}"], self.cleaned_data.get(f"comment_{c.pk}", ""))
            for c in self.criteria
        }


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
        self.fields["contacts"].queryset = Contact.objects.select_related("kommun").order_by("kommun__name", "name")
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
