"""Goda exempel: short cases of what a kommun did and with what result, whom to call, tagged by NKI
area, maturity criterion and theme; written by a kommun user for their own kommun or by staff, and
published only after staff review."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.cache import Topic
from members.models import FREE_TEXT_MAX_LENGTH, Contact, Kommun, User
from members.personal import Audience, Basis, Kind, NotPersonal, Purpose, Retention, marks
from nki.models import ServiceArea

from ..maturity.models import MaturityCriterion


class GoodExample(models.Model):
    personal_data = marks(
        purpose=Purpose.DIALOG,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.PORTAL,
        retention=Retention.RECORD,
        what=Kind.TEXT,
        result=Kind.TEXT,
        contact=Kind.REFERENCE,
        review_note=Kind.TEXT,
        created_by=Kind.REFERENCE,
        reviewed_by=Kind.REFERENCE,
    ) | {"title": NotPersonal("a case's title")}

    cache_topics = (Topic.DIALOG,)

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for changes")

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="good_examples", verbose_name=_("kommun"))
    title = models.CharField(_("title"), max_length=200)
    what = models.TextField(_("what the kommun did"), max_length=FREE_TEXT_MAX_LENGTH)
    result = models.TextField(_("result"), max_length=FREE_TEXT_MAX_LENGTH)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contact person")
    )
    areas = models.ManyToManyField(ServiceArea, blank=True, related_name="+", verbose_name=_("NKI areas"))
    criteria = models.ManyToManyField(
        MaturityCriterion, blank=True, related_name="good_examples", verbose_name=_("maturity criteria")
    )
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    review_note = models.TextField(_("note from the review"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")

    def __str__(self) -> str:
        return f"{self.title} ({self.kommun})"

    def get_absolute_url(self) -> str:
        return reverse("overview:knowledge:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ExchangeGroup(models.Model):
    """A group of kommuner that learn from each other (a local NKI group, a large/small exchange).
    Its meetings are dialog entries (DialogEntry.group) with its kommuner, so each meeting is in
    the dialog log of every participating kommun."""

    personal_data = marks(
        purpose=Purpose.DIALOG,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.PORTAL,
        retention=Retention.RECORD,
        description=Kind.TEXT,
    ) | {"name": NotPersonal("a group's name")}

    cache_topics = (Topic.DIALOG,)

    class Kind(models.TextChoices):
        LOCAL_NKI = "local_nki", _("Local NKI group")
        EXCHANGE = "exchange", _("Exchange between large and small kommuner")
        OTHER = "other", _("Other group")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.LOCAL_NKI)
    description = models.TextField(_("description"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    kommuner = models.ManyToManyField(Kommun, related_name="exchange_groups", verbose_name=_("kommuner"))
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[kommuner])

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("overview:knowledge:group_detail", args=[self.pk])
