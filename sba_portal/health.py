"""/healthz for load balancers and monitoring: each dependency's state, 503 when one the portal
needs is down.

Needed: the database (nothing works without it) and, where configured, the cache (Redis): without
it the portal still serves pages, slower and with password reset closed (sba_portal/cache_backend.py),
so the instance reports itself unhealthy for the operator while it degrades. The broker is
reported only: mail and digests wait in the outbox until it is back.

For a load balancer (several web nodes, docs/OPERATIONS.md):
- /healthz/live — liveness: the process answers (no dependency is asked); restart the node if not.
- /healthz/ready — readiness: database, cache and the upload storage (the S3 bucket when
  configured) answer, so the node can serve; the balancer sends it no traffic while it says 503.
  The broker is reported, not required (as in /healthz).
"""

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
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


def _storage() -> None:
    # A HEAD request on the bucket (S3) or a look at the directory (local disk): reachable and allowed.
    default_storage.exists("healthz-probe")


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    states = {"database": _state(_database), "cache": _state(_cache), "storage": _state(_storage)}
    states["broker"] = _state(_broker) if settings.CELERY_BROKER_URL else "not configured (tasks run in-process)"
    healthy = all(states[name] == "ok" for name in ("database", "cache", "storage"))
    return JsonResponse(states, status=200 if healthy else 503)
