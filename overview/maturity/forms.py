"""The self-assessment form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import FREE_TEXT_MAX_LENGTH

from .models import Answer, MaturityCriterion


class AssessmentForm(forms.Form):
    """One yes / partly / no (+ comment) per asked criterion of a track."""

    comment = forms.CharField(
        label=_("Comment on the whole assessment"),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
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
