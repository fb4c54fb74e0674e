from celery import shared_task

from . import services


@shared_task
def close_due_surveys() -> int:
    """Daily (django-celery-beat, seeded by surveys/migrations): close surveys past their last day,
    which detaches unsubmitted drafts and deletes the invitations. Idempotent."""
    return services.surveys_close_due()
