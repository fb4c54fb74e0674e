"""SBA's own activities: fairs, campaigns, delegations and seminars, with the kommuner that took part
and the leads and inquiries that came of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inquiries.models import Inquiry
from members.cache import Topic
from members.models import FREE_TEXT_MAX_LENGTH, Kommun
from members.personal import Audience, Basis, Kind, NotPersonal, Purpose, Retention, marks


class ActivityKind(models.TextChoices):
    FAIR = "fair", _("Fair")
    CAMPAIGN = "campaign", _("Campaign")
    DELEGATION = "delegation", _("Delegation")
    SEMINAR = "seminar", _("Seminar")


class Activity(models.Model):
    """One activity of Invest Stockholm for the region. Kommun users see those their kommun takes part in."""

    personal_data = marks(
        purpose=Purpose.DIALOG,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.KOMMUN,
        retention=Retention.RECORD,
        description=Kind.TEXT,
        created_by=Kind.REFERENCE,
    ) | {"title": NotPersonal("an activity's title (a fair, a campaign)")}

    cache_topics = (Topic.ACTIVITIES,)

    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True, help_text=_("Empty for a one-day activity."))
    place = models.CharField(_("place"), max_length=120, blank=True)
    kommuner = models.ManyToManyField(
        Kommun, blank=True, related_name="activities", verbose_name=_("kommuner taking part")
    )
    inquiries = models.ManyToManyField(
        Inquiry, blank=True, related_name="activities", verbose_name=_("inquiries that came of it")
    )
    leads = models.PositiveIntegerField(_("leads"), default=0, help_text=_("Contacts with investors it gave."))
    description = models.TextField(_("description"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )

    history = HistoricalRecords(m2m_fields=[kommuner, inquiries])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} {self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("overview:activities:detail", args=[self.pk])
