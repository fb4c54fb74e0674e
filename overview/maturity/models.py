"""The maturity model (NEUTRAL → AKTIV → PROAKTIV): criteria as data, self-assessments, answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.cache import Topic
from members.models import FREE_TEXT_MAX_LENGTH, Kommun
from members.personal import Audience, Basis, Kind, NotPersonal, Purpose, Retention, marks


class Track(models.TextChoices):
    NKI = "nki", _("NKI")
    INVESTMENT = "investment", _("Investment promotion and international marketing")


class Level(models.TextChoices):
    NEUTRAL = "neutral", "NEUTRAL"
    AKTIV = "aktiv", "AKTIV"
    PROAKTIV = "proaktiv", "PROAKTIV"


# The order of the levels: each holds the criteria of the one below.
LEVEL_ORDER = [Level.NEUTRAL, Level.AKTIV, Level.PROAKTIV]


class Dimension(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership")
    DEVELOPMENT = "development", _("Development")
    CAPACITY = "capacity", _("Capacity")
    USE_OF_SBA = "use_of_sba", _("Use of SBA")


class MaturityCriterion(models.Model):
    """One criterion of the model "Vägen framåt för kommunerna" (Startpoint 2020), as data.

    How the level is reached (overview.maturity.compute_level):
    - NEUTRAL is the floor every member has; its criteria describe that baseline and are not asked.
    - AKTIV is reached when every active AKTIV criterion is met.
    - PROAKTIV is reached when every active AKTIV and PROAKTIV criterion is met.
    - Only "yes" meets a criterion; "partly" and "no" do not.
    - The kommun's answer counts. A criterion with an evidence_key is checked against the portal's
      own data as well, shown beside the answer; where they disagree the page says so and Invest
      Stockholm decides (MaturityAnswer.decision): confirm the kommun's answer, or go by the data.
      Until staff decide, the kommun's answer counts; the data never overrides it silently.
    """

    cache_topics = (Topic.MATURITY,)
    personal_data = {
        "text_sv": NotPersonal("a criterion's wording"),
        "text_en": NotPersonal("a criterion's wording"),
    }

    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    text_sv = models.TextField(_("text (Swedish)"))
    text_en = models.TextField(_("text (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    evidence_key = models.CharField(
        _("evidence"),
        max_length=40,
        blank=True,
        help_text=_("Key of a check against the portal's own data (overview/maturity/evidence.py), or empty."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["track", "order", "pk"]
        verbose_name = _("maturity criterion")
        verbose_name_plural = _("maturity criteria")

    def __str__(self) -> str:
        return f"{self.get_track_display()} · {self.level.upper()} · {self.text[:60]}"

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "sv").startswith("en") else self.text_sv

    @property
    def is_asked(self) -> bool:
        return self.level != Level.NEUTRAL


class MaturityAssessment(models.Model):
    """One submitted self-assessment of a kommun on one track. Its answers are never edited: a
    change is a new row (saving the same answers again writes nothing).

    `level` is computed from its answers as decided (the evidence of that day is kept on each
    answer, so the history reads the same tomorrow); a staff decision on a disagreement computes
    it again, and the change is in its history.
    """

    cache_topics = (Topic.MATURITY,)
    personal_data = marks(
        purpose=Purpose.MATURITY,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.KOMMUN,
        retention=Retention.RECORD,
        comment=Kind.TEXT,
        submitted_by=Kind.REFERENCE,
        confirmed_by=Kind.REFERENCE,
    )

    kommun = models.ForeignKey(
        Kommun, on_delete=models.CASCADE, related_name="maturity_assessments", verbose_name=_("kommun")
    )
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kommun__name", "track", "-submitted_at", "-pk"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        indexes = [models.Index(fields=["kommun", "track", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.kommun} · {self.get_track_display()} · {self.submitted_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("overview:maturity:assessment", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def awaits_decision(self) -> bool:
        """Some answer disagrees with the data and staff have not decided (reads the answers)."""
        return any(a.awaits_decision for a in self.answers.all())


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Decision(models.TextChoices):
    """What Invest Stockholm decided where the kommun's answer and the portal's data disagree."""

    ANSWER = "answer", _("The kommun's answer counts")
    DATA = "data", _("The portal's data counts")


def answer_disagrees(answer: str | None, evidence_met: bool | None) -> bool:
    """The kommun's answer and the portal's data disagree ("partly" counts as not met).

    No answer or no data: nothing to disagree about.
    """
    return answer is not None and evidence_met is not None and evidence_met != (answer == Answer.YES)


class MaturityAnswer(models.Model):
    """The kommun's answer to one criterion, with the portal's evidence as it stood that day."""

    cache_topics = (Topic.MATURITY,)
    personal_data = marks(
        purpose=Purpose.MATURITY,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.KOMMUN,
        retention=Retention.RECORD,
        comment=Kind.TEXT,
        evidence_text=Kind.TEXT,
        decided_by=Kind.REFERENCE,
    )

    assessment = models.ForeignKey(
        MaturityAssessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        MaturityCriterion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("criterion")
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    evidence_met = models.BooleanField(_("met according to the portal's data"), null=True, blank=True)
    evidence_text = models.CharField(_("evidence"), max_length=300, blank=True)
    # Where answer and data disagree: staff decide which counts (empty: not decided, the answer
    # counts). Who and when are kept here, every change in the history.
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        verbose_name = _("maturity answer")
        verbose_name_plural = _("maturity answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="one_answer_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.answer}"

    @property
    def disagrees(self) -> bool:
        return answer_disagrees(self.answer, self.evidence_met)

    @property
    def awaits_decision(self) -> bool:
        return self.disagrees and not self.decision
