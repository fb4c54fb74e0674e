"""The annual member survey: questions kept as data, invitations by single-use token, and
responses stored with no link to the person, the kommun or the token.

What links a person to the survey is the Invitation: the contact, the token's hash, "has answered"
and the draft of a respondent who has not submitted yet. On submit the answers become a Response
with no foreign key to any of them (and no time stamp: the order of answering is not kept either;
its key is a random UUID); the draft is emptied. At close, unsubmitted drafts become incomplete
responses the same way and every Invitation is deleted. Invitation has no history on purpose.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members import personal
from members.models import FREE_TEXT_MAX_LENGTH, Contact
from members.personal import Basis, Kind, NotPersonal, Purpose, Retention, marks

from .constants import SCALE_MAX, SCALE_MIN, Audience


class Survey(models.Model):
    personal_data = {
        "title": NotPersonal("a survey's title"),
        "intro": NotPersonal("the survey's introduction, written by staff"),
    }

    cache_topics = ()

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    intro = models.TextField(_("introduction"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.NARINGSLIVSCHEF
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day answers are taken."))
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Kept at close, when the invitations are deleted: the response rate's denominator.
    invited_count = models.PositiveIntegerField(_("invited"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-opens_on"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None or timezone.localdate() > self.closes_on

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.closed_at is None and self.opens_on <= day <= self.closes_on


class Question(models.Model):
    personal_data = {"text": NotPersonal("a question's text"), "choices": NotPersonal("a question's answer options")}

    cache_topics = ()

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1–10")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    page = models.PositiveSmallIntegerField(_("page"), default=1, help_text=_("Questions are asked page by page."))
    key = models.SlugField(
        _("question key"),
        max_length=60,
        help_text=_("The same key in another year's survey makes the answers one trend line."),
    )
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    low_label = models.CharField(_("label at 1"), max_length=100, blank=True)
    high_label = models.CharField(_("label at 10"), max_length=100, blank=True)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One choice per line (choice questions)."))
    required = models.BooleanField(_("required"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "page", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="question_key_once_per_survey")]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def scale_values(self) -> range:
        return range(SCALE_MIN, SCALE_MAX + 1)


class Invitation(models.Model):
    """One person invited to one survey. Deleted when the survey closes; no history (its changes
    would date each answer)."""

    personal_data = marks(
        purpose=Purpose.MEMBER_CONTACT,
        basis=Basis.PUBLIC_TASK,
        audience=personal.Audience.ADMIN,
        retention=Retention.RECORD,
        contact=Kind.REFERENCE,
        draft=Kind.TEXT,
    )

    cache_topics = ()

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    answered = models.BooleanField(default=False)
    # The respondent's answers so far ({question id: value}), held only until submit or close.
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "contact"], name="one_invitation_per_contact")]

    def __str__(self) -> str:
        return f"{self.survey} → {self.contact_id}"


class Response(models.Model):
    """One respondent's answers, with no link to a person, a kommun or a token. The group
    attributes are blank where the group is smaller than constants.MIN_GROUP kommuner."""

    cache_topics = ()

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    complete = models.BooleanField(default=True)
    lan_code = models.CharField(max_length=2, blank=True)
    size_group = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["id"]  # random: not the order of answering

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class ResponseAnswer(models.Model):
    personal_data = marks(
        purpose=Purpose.MEMBER_CONTACT,
        basis=Basis.PUBLIC_TASK,
        audience=personal.Audience.STAFF,
        retention=Retention.RECORD,
        text=Kind.TEXT,
    ) | {"chosen": NotPersonal("the options chosen, not linked to anyone")}

    cache_topics = ()

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen = models.JSONField(default=list, blank=True)  # the choices picked (choice questions)
    text = models.TextField(blank=True, max_length=FREE_TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
