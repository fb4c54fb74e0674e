"""/healthz for load balancers and monitoring: each dependency's state, 503 when one the portal
needs is down.

Needed: the database (nothing works without it) and, where configured, the cache (Redis): without
it the portal still serves pages, slower and with password reset closed (sba_portal/cache_backend.py),
so the instance reports itself unhealthy for the operator while it degrades. The broker is
reported only: mail and digests wait in the outbox until it is back.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _state(check) -> str:
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure is "unreachable" to a health check
        return f"unreachable: {exc.__class__.__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # Redis; the in-process cache of the embedded default is always there
        ping()


def _broker() -> None:
    from .celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    states = {"database": _state(_database), "cache": _state(_cache)}
    states["broker"] = _state(_broker) if settings.CELERY_BROKER_URL else "not configured (tasks run in-process)"
    healthy = states["database"] == "ok" and states["cache"] == "ok"
    return JsonResponse(states, status=200 if healthy else 503)
