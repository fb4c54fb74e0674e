from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestRun(models.Model):
    """One run of a digest kind for one period, with its progress.

    The e-mails themselves are made exactly once by the outbox's unique keys, so a run can be
    repeated or resumed at any point. This row is what lets a run killed mid-build be resumed within
    minutes: it is `running` with a heartbeat refreshed after every recipient, and the sweeper
    (digests.services.digest_runs_sweep) re-enqueues a run whose heartbeat stopped, instead of
    waiting for the broker to re-deliver the task after its visibility timeout (an hour).
    """

    cache_topics = ()  # nothing cached reads it

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    kind = models.CharField(_("kind"), max_length=50)
    period = models.CharField(_("period"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("last progress at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    done = models.PositiveIntegerField(_("recipients handled"), default=0)
    queued = models.PositiveIntegerField(_("e-mails queued"), default=0)
    resumed = models.PositiveSmallIntegerField(_("times resumed"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [models.UniqueConstraint(fields=["kind", "period"], name="one_run_per_kind_and_period")]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} ({self.get_status_display()}, {self.done}/{self.recipients})"
