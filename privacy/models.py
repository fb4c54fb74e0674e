"""Retention rules (data, editable in admin) and the audit log of privacy actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.personal import Audience, Basis, Kind, NotPersonal, Purpose, Retention, marks


class RetentionRule(models.Model):
    """How long one kind of personal data is kept (members.personal.Retention names the kinds that
    have a number). Seeded by a data migration; administrators change the numbers in admin."""

    cache_topics = ()  # nothing cached reads it

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        YEARS = "years", _("years")

    kind = models.CharField(_("kind"), max_length=30, unique=True, choices=Retention.choices)
    keep = models.PositiveIntegerField(_("keep for"))
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.YEARS)
    enabled = models.BooleanField(
        _("applied by the nightly run"), default=True, help_text=_("Off: the rule is shown but nothing is removed.")
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.keep} {self.get_unit_display()}"

    @property
    def days(self) -> int:
        return self.keep * 365 if self.unit == self.Unit.YEARS else self.keep


class PrivacyAction(models.Model):
    """One action on personal data: an export, an erasure, a correction, a retention run.

    Holds who did it, when, and how many rows of which tables it touched: never the person's name,
    e-mail or phone (an erasure must not keep what it erased)."""

    cache_topics = ()  # nothing cached reads it
    personal_data = {
        "counts": NotPersonal("numbers of rows per table"),
        **marks(
            purpose=Purpose.ACCOUNTABILITY,
            basis=Basis.LEGAL_OBLIGATION,
            audience=Audience.ADMIN,
            retention=Retention.RECORD,
            actor=Kind.REFERENCE,
        ),
    }

    class Action(models.TextChoices):
        EXPORT = "export", _("Export of one person's data")
        ERASE = "erase", _("Erasure of one person's data")
        CORRECT = "correct", _("Correction of one person's data")
        RETENTION = "retention", _("Retention run")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    counts = models.JSONField(_("rows per table"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("privacy action")
        verbose_name_plural = _("privacy actions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
