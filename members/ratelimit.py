"""A small fixed-window rate limit on the cache (Redis in production), for sign-in side doors.

Used for password reset so that nobody can flood a person's inbox or probe many addresses.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


class Unavailable(Exception):
    """The counter cannot be kept (the cache is down): the caller refuses, with a clear message."""


def hit(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the identity is within `limit` attempts per window.

    Fails closed: when the cache cannot count, raises Unavailable rather than let every attempt by.
    """
    try:
        return _hit(scope, identity, limit=limit, window_seconds=window_seconds)
    except ConnectionError as exc:  # sba_portal/cache_backend.py: Redis unreachable
        raise Unavailable from exc


def _hit(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
