"""The portal's answer to an unexpected error: its own page, never a traceback.

A database that cannot be reached (a connection terminated mid-request, a server restarting) is
an outage, not a bug: 503 with Retry-After and a page that says what happened and that a change
may not have been saved. Everything else is the 500 page. Neither page touches the database or
the session: they render without a request context.
"""

from __future__ import annotations

import sys

from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .middleware import DATABASE_ERRORS

RETRY_AFTER_SECONDS = 5


@requires_csrf_token
def server_error(request) -> HttpResponse:
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        page = loader.get_template("503.html").render({"method": request.method})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.database_outage = True  # sba_portal.middleware.DatabaseRetryMiddleware retries a read
        # The failed connection is closed now, so the next request does not meet it first.
        if not connection.in_atomic_block:
            connection.close()
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({}))
