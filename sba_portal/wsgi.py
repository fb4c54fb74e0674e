"""WSGI entry point, used by gunicorn in production: `gunicorn sba_portal.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sba_portal.settings")

application = get_wsgi_application()
