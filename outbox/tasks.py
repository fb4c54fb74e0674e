from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None)
def deliver_message(self, message_id: int) -> bool:
    """Send one queued e-mail; on a transport error retry with exponential back-off until the row
    has used OUTBOX_MAX_ATTEMPTS, then it stays `failed` with the error (staff can send it again).

    The attempts are counted on the row, not by Celery, so a retry lost with a dead worker does not
    reset the count and the sweeper can pick the row up again.
    """
    try:
        return services.deliver(message_id)
    except services.DeliveryFailed as exc:
        if exc.final or self.request.is_eager:
            return False  # in-process mode: the row says queued/failed; the sweeper retries later
        raise self.retry(countdown=exc.countdown) from exc


@shared_task
def sweep_outbox() -> dict[str, int]:
    """Periodic (django-celery-beat): re-queue rows stuck in flight, re-enqueue lost deliveries."""
    return services.outbox_sweep()
