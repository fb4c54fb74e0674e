"""The Celery app, configured from Django settings (the CELERY_ namespace).

Without a broker (the embedded default) settings make every task run in-process
(`task_always_eager`); with REDIS_URL set, a worker and beat do the work.
See https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")

app = Celery("sba_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id travels with every task published and is set around every task run (logs.py).
from . import logs  # noqa: E402, F401
