"""Django's Redis cache, with one Redis client per connection pool instead of one per operation.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` object for every cache call
(session read, cached fragment, version lookups: several per page). Building one costs more than
the call itself (redis-py fills a table of ~170 response callbacks each time: about 0.3 ms). A
`redis.Redis` object is safe to share between threads (it takes a connection from its pool per
command), so this keeps one per pool.

Degrade, don't die: when Redis cannot be reached, reads are misses and writes are dropped (logged
once a minute), so sessions (cached_db) fall back to the database and cached pages are built fresh.
Only counting (`incr`, the rate limits) raises (the built-in ConnectionError), so a limit fails closed
instead of letting everything through. Short socket timeouts keep a dead Redis from hanging pages.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


log = logging.getLogger("sba_portal.cache")


class FailSoftRedisCache(RedisCache):
    """RedisCache that treats an unreachable Redis as an empty cache (see the module docstring)."""

    _last_warning = 0.0

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)

    def _unreachable(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - FailSoftRedisCache._last_warning > 60:
            FailSoftRedisCache._last_warning = now
            log.warning("cache unreachable, serving uncached: %s", exc.__class__.__name__)

    def _errors(self):
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    def _soft(self, call, default):
        try:
            return call()
        except self._errors() as exc:
            self._unreachable(exc)
            return default

    def get(self, key, default=None, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except self._errors() as exc:
            self._unreachable(exc)
            raise ConnectionError("cache unreachable") from exc  # members.ratelimit fails closed

    def ping(self) -> None:
        """Raises when Redis does not answer (for /healthz)."""
        self._cache.get_client().ping()
