"""The agreement period's KPI targets (the region report sets them against the actual figures)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.cache import Topic
from members.models import AgreementPeriod


class KpiTarget(models.Model):
    """A target of an agreement period (e.g. "members: 56"), edited in admin.

    The actual figure is computed by the function registered under the same `key`
    (KPI_ACTUALS in overview/reports/region.py); a key without a function shows "not measured yet".
    """

    cache_topics = (Topic.KPI,)

    period = models.ForeignKey(
        AgreementPeriod, on_delete=models.CASCADE, related_name="kpi_targets", verbose_name=_("agreement period")
    )
    key = models.SlugField(_("key"), max_length=40)
    label_sv = models.CharField(_("label (Swedish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__starts_on", "order", "key"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [models.UniqueConstraint(fields=["period", "key"], name="one_target_per_key_and_period")]

    def __str__(self) -> str:
        return f"{self.period} · {self.label}"

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "sv").startswith("en") else self.label_sv
