from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question, Survey


class DateInput(forms.DateInput):
    input_type = "date"


class SurveyForm(forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        queryset=Survey.objects.none(),
        required=False,
        label=_("Copy the questions of"),
        help_text=_("Repeated questions keep their key, so the years line up as a trend."),
    )

    class Meta:
        model = Survey
        fields = ["title", "year", "intro", "audience", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(format="%Y-%m-%d"), "closes_on": DateInput(format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Survey.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["copy_from"].queryset = others

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The survey must close on or after the day it opens."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "key", "page", "order", "low_label", "high_label", "choices", "required"]

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = Question.objects.filter(survey=self.survey, key=key)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another question of this survey has that key."))
        return key

    def clean(self):
        data = super().clean()
        choices = [c for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        return data
