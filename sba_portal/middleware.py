"""Security headers Django has no setting for, control characters refused at the door, the
refused-access log line with its address, and a read retried when the database connection drops."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404

from members.access import client_address

security_log = logging.getLogger("sba_portal.security")


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response: the portal uses no camera, microphone, location …"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharacterMiddleware:
    """No address of the portal holds a control character, and no filter or search takes one: a
    NUL in a kommun code would reach PostgreSQL (which refuses NUL in text) as a 500. A path with
    one is a 404, a query parameter with one a 400, both with the portal's error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path):
            raise Http404
        if any(CONTROL.search(key) or any(CONTROL.search(v) for v in values) for key, values in request.GET.lists()):
            raise BadRequest("control character in a query parameter")
        return self.get_response(request)


class RefusedAccessLogMiddleware:
    """Log every refused request — who, what, from where (the log line has the time).

    The access module answers an outsider with 404 (never 403), so a 404 for a signed-in user is
    either a refused access or a mistyped address; 403 is a failed CSRF check. The access module's
    own line adds which object was asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            security_log.info(
                "refused: status=%s user=%s method=%s path=%s ip=%s",
                response.status_code,
                user.pk if user is not None and user.is_authenticated else None,
                request.method,
                request.path,
                client_address(request),
            )
        return response


DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseRetryMiddleware:
    """A database connection lost in the middle of a request (the server restarted, a failover, an
    idle connection cut by a proxy) ends in sba_portal.errors.server_error's 503, wherever it
    happened (session, user, view or template). A request that only reads (GET/HEAD) is then tried
    once more on a fresh connection, so the visitor does not notice. A write is never repeated
    behind the user's back: its 503 page says the change may not be saved. Outermost, so the retry
    runs every other middleware again. CONN_HEALTH_CHECKS replaces a connection that died between
    requests before it is used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "database_outage", False) and request.method in ("GET", "HEAD"):
            if not connection.in_atomic_block:
                connection.close()  # the broken one; the next query opens a fresh connection
            security_log.warning("database connection lost during %s %s; tried once more", request.method, request.path)
            response = self.get_response(request)
        return response
