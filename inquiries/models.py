"""Investment inquiries: the inquiry, one dispatch per kommun it is sent to, the kommun's answer
(with attachments), and the outcome. Feedback to a kommun lives on its dispatch.

Confidential: an inquiry's investor identity is for staff. A kommun user reaches an inquiry only
through a dispatch to their kommun (inquiries.selectors), and sees the investor only once staff
have released it on that dispatch.
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.cache import Topic
from members.models import FREE_TEXT_MAX_LENGTH, Contact, Kommun, Premises, Sector, Site
from members.personal import Audience, Basis, Copy, Kind, NotPersonal, Purpose, Retention, marks

from .validators import validate_investment_msek, validate_jobs, validate_not_in_future


class ReferenceCounter(models.Model):
    """The last reference number used in a year; taken with select_for_update (services)."""

    cache_topics = ()  # nothing cached reads it

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Inquiry(models.Model):
    cache_topics = (Topic.INQUIRIES,)
    personal_data = {
        "code_name": NotPersonal("a code word chosen so that it names nobody"),
        "investor_name": NotPersonal("the investing company's name"),
        **marks(
            purpose=Purpose.INVESTOR,
            basis=Basis.LEGITIMATE_INTEREST,
            audience=Audience.STAFF,
            retention=Retention.INVESTOR_CONTACT,
            investor_contact=Kind.CONTACT_DETAILS,
        ),
        **marks(
            purpose=Purpose.INQUIRY,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.KOMMUN,
            retention=Retention.RECORD,
            copies=(Copy.OUTBOX,),
            description=Kind.TEXT,
            responsible=Kind.REFERENCE,
        ),
    }

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ANSWERS_CLOSED = "answers_closed", _("Answers closed")
        WITH_INVESTOR = "with_investor", _("With investor")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        BUSINESS_SWEDEN = "business_sweden", _("Business Sweden")
        DIRECT = "direct", _("Direct")
        CONSULTANT = "consultant", _("Site-selection consultant")
        OTHER = "other", pgettext_lazy("inquiry source", "Other")

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    code_name = models.CharField(_("code name"), max_length=120)
    investor_name = models.CharField(
        _("investor"), max_length=200, help_text=_("Confidential: shown to a kommun only once you release it.")
    )
    investor_contact = models.TextField(_("investor contact"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.BUSINESS_SWEDEN)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("sector"), null=True, blank=True
    )
    description = models.TextField(_("description"), max_length=FREE_TEXT_MAX_LENGTH)
    # Requirements: empty means "not asked for" and is not rated.
    req_area_ha = models.DecimalField(_("site area (ha)"), max_digits=8, decimal_places=1, null=True, blank=True)
    req_municipal_land = models.BooleanField(_("municipal land required"), default=False)
    req_zoning_ready = models.BooleanField(_("zoning ready (detaljplan in force)"), default=False)
    req_power_mw = models.DecimalField(_("power (MW)"), max_digits=7, decimal_places=1, null=True, blank=True)
    req_km_motorway = models.DecimalField(
        _("max. distance to motorway (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    req_km_rail = models.DecimalField(
        _("max. distance to rail freight (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    req_km_port = models.DecimalField(
        _("max. distance to port (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    req_km_airport = models.DecimalField(
        _("max. distance to airport (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    req_premises_m2 = models.PositiveIntegerField(_("premises floor area (m²)"), null=True, blank=True)
    req_premises_kind = models.CharField(
        _("type of premises"), max_length=14, choices=Premises.Kind.choices, blank=True
    )
    planned_jobs = models.PositiveIntegerField(_("planned jobs"), null=True, blank=True, validators=[validate_jobs])
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    answer_deadline = models.DateField(_("answer deadline"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"role": "staff"},
        verbose_name=_("responsible"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["status", "answer_deadline"]),
            # The list's default order: a page is read from the index, not sorted from every row.
            models.Index(fields=["created_at", "id"], name="inquiry_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.code_name}"

    def get_absolute_url(self) -> str:
        return reverse("inquiries:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Dispatch(models.Model):
    """An inquiry sent to one kommun: its rating at the time, its answer deadline, and its fate."""

    cache_topics = (Topic.INQUIRIES,)
    personal_data = {
        "match_snapshot": NotPersonal("the rating when sent: keys, statuses and numbers"),
        **marks(
            purpose=Purpose.INQUIRY,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.KOMMUN,
            retention=Retention.RECORD,
            feedback=Kind.TEXT,
            sent_by=Kind.REFERENCE,
        ),
    }

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("inquiry"))
    kommun = models.ForeignKey(Kommun, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("kommun"))
    deadline = models.DateField(_("answer deadline"))
    match_class = models.CharField(_("match"), max_length=10, blank=True)
    # The rating when it was sent, as plain data (matching.KommunRating.as_json): "why you got this".
    match_snapshot = models.JSONField(_("rating when sent"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_viewed_at = models.DateTimeField(_("first viewed"), null=True, blank=True)
    reopened_until = models.DateField(
        _("reopened until"), null=True, blank=True, help_text=_("Staff reopened the answer after the deadline.")
    )
    investor_released_at = models.DateTimeField(_("investor identity released"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to investor"), null=True, blank=True)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    feedback = models.TextField(_("feedback to the kommun"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "kommun__name"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [models.UniqueConstraint(fields=["inquiry", "kommun"], name="one_dispatch_per_kommun")]
        indexes = [
            models.Index(fields=["kommun", "deadline"]),
            # A kommun's inbox, closed dispatches newest first: a page read from the index.
            models.Index(fields=["kommun", "sent_at"], name="dispatch_kommun_sent_idx"),
            # Reopened dispatches are few: inboxes and the staff overview find them in this small index.
            models.Index(
                fields=["reopened_until"],
                name="dispatch_reopened_idx",
                condition=models.Q(reopened_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry.reference} → {self.kommun}"

    def get_absolute_url(self) -> str:
        return reverse("inquiries:dispatch", args=[self.pk])

    @property
    def investor_released(self) -> bool:
        return self.investor_released_at is not None

    @property
    def open_until(self) -> datetime.date:
        """The last day the kommun may answer or change its answer."""
        return max(self.deadline, self.reopened_until) if self.reopened_until else self.deadline

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Open for answering: before the deadline while the inquiry takes answers, or reopened by staff."""
        today = today or timezone.localdate()
        if self.reopened_until is not None and today <= self.reopened_until:
            return True
        return self.inquiry.status == Inquiry.Status.SENT and today <= self.deadline

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.open_until - (today or timezone.localdate())).days

    def locked_because(self, today: datetime.date | None = None) -> str | None:
        """Why the kommun can no longer answer (a key of LOCK_MESSAGES), or None while it is open.
        Staff's step on the inquiry says more than the date: an inquiry decided before its
        deadline is locked because it was decided."""
        today = today or timezone.localdate()
        if self.is_open(today):
            return None
        by_status = LOCKED_BY_STATUS.get(self.inquiry.status)
        if by_status is not None:
            return by_status
        if self.reopened_until is not None and self.reopened_until >= self.deadline:
            return "reopen_ended"
        return "deadline"

    def lock_message(self, today: datetime.date | None = None) -> str:
        """The reason in the reader's language; empty while the dispatch is open."""
        reason = self.locked_because(today)
        return str(LOCK_MESSAGES[reason]) if reason else ""


# Why an answer is locked: the inquiry's step (staff moved it on) or the date.
LOCKED_BY_STATUS = {
    Inquiry.Status.ANSWERS_CLOSED: "answers_closed",
    Inquiry.Status.WITH_INVESTOR: "with_investor",
    Inquiry.Status.DECIDED: "decided",
    Inquiry.Status.CLOSED: "closed",
}
LOCK_MESSAGES = {
    "deadline": _("The deadline has passed; the answer can no longer be changed."),
    "reopen_ended": _("The time Invest Stockholm reopened the answer for has ended; it can no longer be changed."),
    "answers_closed": _("Invest Stockholm has closed the inquiry for answers; the answer can no longer be changed."),
    "with_investor": _("The offers have gone to the investor; the answer can no longer be changed."),
    "decided": _("The investor has decided; the answer can no longer be changed."),
    "closed": _("The inquiry is closed; the answer can no longer be changed."),
}


class Answer(models.Model):
    cache_topics = (Topic.INQUIRIES,)
    personal_data = {
        "decline_reason": NotPersonal("a choice from a fixed list"),
        **marks(
            purpose=Purpose.INQUIRY,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.KOMMUN,
            retention=Retention.RECORD,
            copies=(Copy.EXPORTS,),
            offer=Kind.TEXT,
            decline_text=Kind.TEXT,
            contact=Kind.REFERENCE,
            answered_by=Kind.REFERENCE,
        ),
    }

    class Decision(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("Declined")

    class DeclineReason(models.TextChoices):
        NO_LAND = "no_land", _("No suitable land")
        NO_POWER = "no_power", _("No power")
        ZONING = "zoning", _("Zoning (detaljplan)")
        TIMELINE = "timeline", _("Timeline")
        SECTOR = "sector", _("Sector not a priority")
        CAPACITY = "capacity", _("No capacity")
        OTHER = "other", pgettext_lazy("decline reason", "Other")

    dispatch = models.OneToOneField(
        Dispatch, on_delete=models.CASCADE, related_name="answer", verbose_name=_("dispatch")
    )
    decision = models.CharField(_("answer"), max_length=10, choices=Decision.choices)
    offer = models.TextField(_("offer"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    proposed_sites = models.ManyToManyField(Site, blank=True, related_name="+", verbose_name=_("proposed sites"))
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contact person")
    )
    decline_reason = models.CharField(_("reason"), max_length=10, choices=DeclineReason.choices, blank=True)
    decline_text = models.TextField(_("explanation"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[proposed_sites])

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="interested") | ~Q(decline_reason=""), name="declined_answer_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dispatch}: {self.get_decision_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random name: nothing of the uploader's file name reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"inquiries/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    cache_topics = (Topic.INQUIRIES,)
    personal_data = marks(
        purpose=Purpose.INQUIRY,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.KOMMUN,
        retention=Retention.RECORD,
        original_name=Kind.TEXT,
        uploaded_by=Kind.REFERENCE,
    )

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("answer"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("inquiries:attachment", args=[self.pk])


class Outcome(models.Model):
    """What the investor decided. Which fields a decision takes is checked in clean() (forms and
    admin alike): an establishment names the member kommun and nothing lost, a loss names where it
    went and no kommun, a withdrawn or unknown outcome neither."""

    cache_topics = (Topic.INQUIRIES,)
    personal_data = marks(
        purpose=Purpose.INQUIRY,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.STAFF,
        retention=Retention.RECORD,
        notes=Kind.TEXT,
    )

    class Decision(models.TextChoices):
        ESTABLISHED = "established", _("Established in a member kommun")
        LOST_REGION = "lost_region", _("Lost to another region")
        LOST_COUNTRY = "lost_country", _("Lost to another country")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNKNOWN = "unknown", _("Unknown")

    LOST = (Decision.LOST_REGION, Decision.LOST_COUNTRY)

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("inquiry"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    kommun = models.ForeignKey(
        Kommun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("established in"),
    )
    lost_to = models.CharField(_("lost to (region or country)"), max_length=120, blank=True)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True, validators=[validate_jobs])
    investment_msek = models.DecimalField(
        _("investment (MSEK)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validate_investment_msek],
    )
    decided_on = models.DateField(_("decided on"), default=timezone.localdate, validators=[validate_not_in_future])
    notes = models.TextField(_("notes"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.inquiry.reference}: {self.get_decision_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        lost_to = self.lost_to.strip()
        if self.decision == self.Decision.ESTABLISHED:
            if self.kommun_id is None:
                errors["kommun"] = _("Choose the kommun where the investor established.")
            if lost_to:
                errors["lost_to"] = _(
                    "An investment established in a member kommun was not lost: leave “lost to” empty."
                )
        elif self.decision in self.LOST:
            if not lost_to:
                errors["lost_to"] = _("Say which region or country the investment went to.")
            else:
                member = _member_named(lost_to, on=self.decided_on)
                if member is not None:
                    errors["lost_to"] = _(
                        "%(kommun)s is an SBA member kommun: if the investor established there, choose "
                        "“Established in a member kommun”."
                    ) % {"kommun": member.name}
                elif self.decision == self.Decision.LOST_COUNTRY and lost_to.casefold() in SWEDEN:
                    errors["lost_to"] = _(
                        "Sweden is not another country: choose “Lost to another region” and name the region."
                    )
            if self.kommun_id is not None:
                errors["kommun"] = _(
                    "A lost investment was not established in a member kommun: leave the kommun empty."
                )
        elif self.decision:  # withdrawn or unknown: it went nowhere we know of
            if self.kommun_id is not None:
                errors["kommun"] = _("Only an established investment has a kommun: leave it empty.")
            if lost_to:
                errors["lost_to"] = _("Only a lost investment was lost to someone: leave “lost to” empty.")
        if errors:
            raise ValidationError(errors)


SWEDEN = {"sverige", "sweden"}


def _member_named(text: str, *, on: datetime.date | None) -> Kommun | None:
    """The SBA member kommun (on the day) that `text` names ("Flen", "flens kommun"), if any.
    Compared in Python: the database's case folding may not know å, ä and ö."""
    name = text.strip().casefold().removesuffix("kommun").strip()
    candidates = {name, name.removesuffix("s")} - {""}
    day = on if isinstance(on, datetime.date) else None
    for kommun in Kommun.objects.members(day).only("pk", "name"):
        if kommun.name.casefold() in candidates:
            return kommun
    return None
