from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS - 1, default_retry_delay=60)
def deliver_message(self, message_id: int) -> bool:
    """Send one queued e-mail; on a transport error retry with back-off until MAX_ATTEMPTS."""
    try:
        return services.deliver(message_id)
    except Exception as exc:
        if self.request.is_eager:
            return False  # in-process mode: the row says queued/failed; the sweeper retries later
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
