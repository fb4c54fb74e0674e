"""The dialog log: contacts between Invest Stockholm and the members, and the follow-ups agreed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.cache import Topic
from members.models import FREE_TEXT_MAX_LENGTH, Contact, Kommun
from members.personal import Audience, Basis, Kind, Purpose, Retention, marks


class DialogKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit in the kommun")
    CALL = "call", _("Call")
    WORKSHOP = "workshop", _("Workshop")
    KSO_MEETING = "kso", _("KSO-träff")
    BUSINESS_CHIEFS = "nlc_network", _("Näringslivschefsnätverk")
    STEERING_GROUP = "styrgrupp", _("Styrgrupp")


NETWORK_KINDS = {DialogKind.KSO_MEETING, DialogKind.BUSINESS_CHIEFS, DialogKind.STEERING_GROUP}


class DialogEntry(models.Model):
    """A contact between Invest Stockholm and one or more kommuner.

    `notes` are shared with the kommuner that took part; `internal_notes` are for staff only and are
    never rendered for a kommun user. A network meeting involves many kommuner.
    """

    cache_topics = (Topic.DIALOG,)
    personal_data = {
        **marks(
            purpose=Purpose.DIALOG,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.KOMMUN,
            retention=Retention.RECORD,
            title=Kind.TEXT,
            notes=Kind.TEXT,
            contacts=Kind.REFERENCE,
            staff=Kind.REFERENCE,
            created_by=Kind.REFERENCE,
        ),
        **marks(
            purpose=Purpose.DIALOG,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.STAFF,
            retention=Retention.RECORD,
            internal_notes=Kind.TEXT,
        ),
    }

    kind = models.CharField(_("kind"), max_length=12, choices=DialogKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("subject"), max_length=200)
    kommuner = models.ManyToManyField(Kommun, related_name="dialog_entries", verbose_name=_("kommuner"))
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="dialog_entries", verbose_name=_("participants from the kommuner")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="dialog_entries",
        verbose_name=_("participants from Invest Stockholm"),
    )
    notes = models.TextField(_("notes (shared with the kommun)"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    internal_notes = models.TextField(_("internal notes (staff only)"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A meeting of a group of kommuner (overview.knowledge): the entry names the group's kommuner.
    group = models.ForeignKey(
        "overview.ExchangeGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("group"),
    )

    history = HistoricalRecords(m2m_fields=[kommuner, contacts, staff])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("dialog entry")
        verbose_name_plural = _("dialog entries")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("overview:dialog:detail", args=[self.pk])


class FollowUp(models.Model):
    """An action agreed in a dialog, owned by a staff member, with a due date. Staff only."""

    cache_topics = (Topic.DIALOG,)
    personal_data = marks(
        purpose=Purpose.DIALOG,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.STAFF,
        retention=Retention.RECORD,
        text=Kind.TEXT,
        owner=Kind.REFERENCE,
    )

    entry = models.ForeignKey(DialogEntry, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("entry"))
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("owner"),
        limit_choices_to=Q(role="staff"),
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
