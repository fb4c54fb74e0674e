"""NKI results: service areas as data, one result per kommun × year × area, and where it came from."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.cache import Topic
from members.models import Kommun
from members.personal import Audience, Basis, Kind, NotPersonal, Purpose, Retention, marks

index_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _index_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=4, decimal_places=1, validators=index_validators, **kwargs)


class ServiceArea(models.Model):
    """A myndighetsområde measured by NKI, or Totalt. The set changes over the years, so it is data.

    `counts_in_total_*` says for which ärendeår the area is part of NKI totalt (from 2024 only the
    four mandatory areas are); `active_*` for which years it is measured within NKI at all
    (upphandling until 2019, from 2020 it is NUI). Empty bounds are open.
    """

    cache_topics = (Topic.NKI,)
    personal_data = {
        "name_sv": NotPersonal("a service area's name"),
        "name_en": NotPersonal("a service area's name"),
        "aliases": NotPersonal("other names of the service area"),
    }

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sv = models.CharField(_("Swedish name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    aliases = models.TextField(
        _("other names in files"),
        blank=True,
        help_text=_("One per line: names this area goes by in spreadsheets (any case)."),
    )
    is_total = models.BooleanField(_("is NKI totalt"), default=False)
    counts_in_total_from = models.PositiveSmallIntegerField(_("counts in Totalt from year"), null=True, blank=True)
    counts_in_total_until = models.PositiveSmallIntegerField(_("counts in Totalt until year"), null=True, blank=True)
    active_from = models.PositiveSmallIntegerField(_("measured from year"), null=True, blank=True)
    active_until = models.PositiveSmallIntegerField(_("measured until year"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    @staticmethod
    def _within(year: int, start: int | None, end: int | None) -> bool:
        return (start is None or year >= start) and (end is None or year <= end)

    def is_active(self, year: int) -> bool:
        return self._within(year, self.active_from, self.active_until)

    def counts_in_total(self, year: int) -> bool:
        if self.is_total or (self.counts_in_total_from is None and self.counts_in_total_until is None):
            return False
        return self._within(year, self.counts_in_total_from, self.counts_in_total_until)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class MethodBreak(models.Model):
    """From `year` on, an area's values are not comparable with earlier years (e.g. Totalt 2024)."""

    cache_topics = (Topic.NKI,)
    personal_data = {
        "description_sv": NotPersonal("describes a change of survey method"),
        "description_en": NotPersonal("describes a change of survey method"),
    }

    area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, related_name="method_breaks", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("first year of the new method"))
    description_sv = models.CharField(_("Swedish description"), max_length=300)
    description_en = models.CharField(_("English description"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "year"]
        verbose_name = _("method break")
        verbose_name_plural = _("method breaks")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="nki_method_break_once")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "sv").startswith("en") else self.description_sv


class ReferenceValue(models.Model):
    """A published figure, e.g. Kolada's national average NKI, used where the store has too few values."""

    cache_topics = (Topic.NKI,)
    personal_data = {"note": NotPersonal("about a published statistic")}

    class Source(models.TextChoices):
        NATIONAL = "national", _("National average (Kolada)")
        SBA = "sba", _("SBA published figure")

    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="references", verbose_name=_("area"))
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    value = _index_field(_("NKI"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "source", "year"]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        constraints = [models.UniqueConstraint(fields=["area", "year", "source"], name="nki_reference_once")]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.get_source_display()}: {self.value}"


class KoladaKpi(models.Model):
    """Which Kolada KPI id holds which figure for which area (Kolada's ids are data, not code)."""

    cache_topics = (Topic.NKI,)
    personal_data = {"note": NotPersonal("about a Kolada key figure")}

    class Measure(models.TextChoices):
        NKI = "nki", _("NKI")
        ANSWERS = "answers", _("Number of answers")
        INFORMATION = "information", _("Information")
        TILLGANGLIGHET = "tillganglighet", _("Accessibility")
        BEMOTANDE = "bemotande", _("Treatment")
        KOMPETENS = "kompetens", _("Competence")
        RATTSSAKERHET = "rattssakerhet", _("Legal certainty")
        EFFEKTIVITET = "effektivitet", _("Efficiency")

    kpi = models.CharField(_("Kolada KPI id"), max_length=20, unique=True)
    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="kolada_kpis", verbose_name=_("area"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.NKI)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi"]
        verbose_name = _("Kolada KPI")
        verbose_name_plural = _("Kolada KPIs")

    def __str__(self) -> str:
        return f"{self.kpi} → {self.area} ({self.get_measure_display()})"


class Source(models.TextChoices):
    INSIKT = "insikt", _("SBA/Insikt")
    KOLADA = "kolada", _("Kolada")
    MANUAL = "manual", _("Manual")


class NkiImport(models.Model):
    """One import that changed something: who, when, which file, what it did."""

    cache_topics = ()  # nothing cached reads it
    personal_data = marks(
        purpose=Purpose.NKI,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.STAFF,
        retention=Retention.RECORD,
        file_name=Kind.TEXT,
        imported_by=Kind.REFERENCE,
    )

    class Kind(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        CSV = "csv", _("CSV")
        KOLADA = "kolada", _("Kolada JSON")
        DEMO = "demo", _("Demo data")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    file_hash = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("values in the file"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("import count", "created"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("import count", "updated"), default=0)
    unchanged = models.PositiveIntegerField(pgettext_lazy("import count", "unchanged"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("NKI import")
        verbose_name_plural = _("NKI imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class NkiResultQuerySet(models.QuerySet):
    def for_year(self, year: int) -> NkiResultQuerySet:
        return self.filter(year=year)


class NkiResult(models.Model):
    """The NKI of one kommun for one service area and ärendeår, with what it rests on."""

    cache_topics = (Topic.NKI,)

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="nki_results", verbose_name=_("kommun"))
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="results", verbose_name=_("area"))
    nki = _index_field(_("NKI"))
    answers = models.PositiveIntegerField(_("number of answers"), null=True, blank=True)
    ci_low = _index_field(_("confidence interval, low"), null=True, blank=True)
    ci_high = _index_field(_("confidence interval, high"), null=True, blank=True)
    information = _index_field(_("Information"), null=True, blank=True)
    tillganglighet = _index_field(_("Accessibility"), null=True, blank=True)
    bemotande = _index_field(_("Treatment"), null=True, blank=True)
    kompetens = _index_field(_("Competence"), null=True, blank=True)
    rattssakerhet = _index_field(_("Legal certainty"), null=True, blank=True)
    effektivitet = _index_field(_("Efficiency"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.INSIKT)
    nki_import = models.ForeignKey(
        NkiImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("import"),
    )

    history = HistoricalRecords()
    objects = NkiResultQuerySet.as_manager()

    class Meta:
        ordering = ["kommun__name", "year", "area__order"]
        verbose_name = _("NKI result")
        verbose_name_plural = _("NKI results")
        constraints = [
            models.UniqueConstraint(fields=["kommun", "year", "area"], name="nki_result_once"),
            models.CheckConstraint(condition=Q(nki__gte=0) & Q(nki__lte=100), name="nki_result_in_range"),
            models.CheckConstraint(
                condition=Q(ci_low__isnull=True) | Q(ci_high__isnull=True) | Q(ci_low__lte=models.F("ci_high")),
                name="nki_result_ci_ordered",
            ),
        ]
        indexes = [models.Index(fields=["area", "year"]), models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.kommun} {self.year} {self.area}: {self.nki}"


class NkiYearCoverage(models.Model):
    """Which kommuner and areas have results in a year, and each area's sum and count of NKI values
    over all of them: one row per year, kept by every write of NkiResult
    (nki.services.coverage_refresh), so that the years' completeness, the year lists and the
    national averages read ≤ 30 small rows instead of scanning every result in history."""

    cache_topics = (Topic.NKI,)  # written with the results, which retire the topic themselves
    personal_data = {
        "kommun_ids": NotPersonal("ids of kommuner with NKI results"),
        "area_ids": NotPersonal("ids of service areas with NKI results"),
        "area_sums": NotPersonal("sums and counts of NKI values per service area"),
    }

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    kommun_ids = models.JSONField(_("kommuner with results"), default=list)
    area_ids = models.JSONField(_("areas with results"), default=list)
    # {"<area id>": ["<sum of NKI as a decimal string>", <number of results>]}: exact, unlike a float.
    area_sums = models.JSONField(_("NKI sums per area"), default=dict)

    class Meta:
        ordering = ["year"]
        verbose_name = _("NKI year coverage")
        verbose_name_plural = _("NKI year coverage")

    def __str__(self) -> str:
        return f"{self.year}: {len(self.kommun_ids)} kommuner, {len(self.area_ids)} areas"

    def mean(self, area_id: int) -> tuple[Decimal, int] | None:
        """The plain mean of the year's values in the area over every kommun, and their number."""
        total, n = self.area_sums.get(str(area_id), (None, 0))
        return (Decimal(total) / n, n) if n else None
