from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.personal import Audience, Basis, Kind, Purpose, Retention, marks


class MessageQuerySet(models.QuerySet):
    def stuck_in_flight(self, *, before):
        """Rows claimed before `before` and never marked sent or failed: their worker is gone."""
        return self.filter(status=Message.Status.IN_FLIGHT, claimed_at__lt=before)

    def lost_in_queue(self, *, before):
        """Queued rows whose delivery should have started before `before` (the task was lost)."""
        return self.filter(status=Message.Status.QUEUED, next_attempt_at__lt=before)


class Message(models.Model):
    """One e-mail to one recipient, written in the same transaction as the event that causes it.

    `key` is unique: (kind, recipient, event or period), so the same notification or digest can
    never be queued twice, whatever retries or re-runs happen.
    """

    cache_topics = ()  # nothing cached reads it
    personal_data = {
        **marks(
            purpose=Purpose.EMAIL,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.STAFF,
            retention=Retention.RECORD,
            to=Kind.EMAIL,
            key=Kind.TEXT,  # "kind:address:event"
            subject=Kind.TEXT,
            user=Kind.REFERENCE,
            resent_by=Kind.REFERENCE,
            last_error=Kind.TEXT,
        ),
        **marks(
            purpose=Purpose.EMAIL,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.STAFF,
            retention=Retention.OUTBOX_BODY,
            body_text=Kind.TEXT,
            body_html=Kind.TEXT,
        ),
    }

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        IN_FLIGHT = "in_flight", _("In flight")
        SENT = "sent", pgettext_lazy("e-mail status", "Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    to = models.EmailField(_("to"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="sv")
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    # When the next delivery attempt is due (set on queueing and on each failed attempt); the
    # sweeper re-enqueues a queued row well past it, as its task was evidently lost.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set when the sweeper found the row in flight with its worker gone: the server may or may not
    # have it, so the resend may arrive twice (with the same Message-ID). Never cleared.
    delivery_unknown_at = models.DateTimeField(_("delivery unknown since"), null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent again by"),
    )
    resent_at = models.DateTimeField(_("sent again at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("message", "e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.get_status_display()})"


class Unsubscribe(models.Model):
    """A recipient who does not want e-mails of one kind, by address.

    Keyed by e-mail address, not user, so people without a login (KSO, kommundirektör) can
    unsubscribe too, and a user's choice holds for every e-mail sent to their address.
    """

    cache_topics = ()  # nothing cached reads it
    personal_data = marks(
        purpose=Purpose.EMAIL,
        basis=Basis.LEGITIMATE_INTEREST,
        audience=Audience.SELF,
        retention=Retention.RECORD,
        email=Kind.EMAIL,
    )

    class Source(models.TextChoices):
        LINK = "link", _("Link in an e-mail")
        SETTINGS = "settings", _("Notification settings")
        STAFF = "staff", _("Staff")

    email = models.EmailField(_("e-mail"))
    kind = models.CharField(_("kind"), max_length=50)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.LINK)
    created_at = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["email", "kind"]
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="unsubscribe_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.email} ✗ {self.kind}"

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)
