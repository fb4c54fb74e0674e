from pathlib import Path

import pytest

from outbox import services

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """A tiny e-mail template (testmail/hello) for outbox tests; retries without waiting."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}]
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 1


def queue(to="nlc@flen.example", key="event-1", kind="test_notice", user=None, what="world"):
    return services.queue_email(kind=kind, key=key, to=to, template="testmail/hello", context={"what": what}, user=user)


from .worker import celery_worker  # noqa: E402, F401 - fixtures
