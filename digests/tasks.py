import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task
def send_digests(kind: str, period: str | None = None) -> dict:
    """Scheduled by django-celery-beat (seeded by digests/migrations). Idempotent: a repeated or
    resumed run queues only what is missing for the period."""
    report = services.digests_send(kind=kind, period=services.period_for(kind, period))
    result = {
        "kind": kind,
        "period": report.period.label,
        "recipients": report.recipients,
        "queued": report.queued,
        "already": report.already,
        "unsubscribed": report.unsubscribed,
        "empty": report.empty,
    }
    log.info("digests sent: %s", result)
    return result


@shared_task
def sweep_digest_runs() -> list[str]:
    """Periodic (django-celery-beat, every 2 minutes): resume digest runs whose worker died."""
    resumed = [f"{run.kind} {run.period}" for run in services.digest_runs_sweep()]
    if resumed:
        log.warning("digest runs resumed: %s", resumed)
    return resumed
