import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task
def apply_retention() -> dict[str, int]:
    """Nightly (django-celery-beat, seeded by privacy/migrations): apply the retention rules.
    Idempotent: what one run removed, the next does not find."""
    done = services.retention_apply()
    log.info("retention applied: %s", done.counts)
    return done.counts
