"""Django's Redis cache, with one Redis client per connection pool instead of one per operation.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` object for every cache call
(session read, cached fragment, version lookups: several per page). Building one costs more than
the call itself (redis-py fills a table of ~170 response callbacks each time: about 0.3 ms). A
`redis.Redis` object is safe to share between threads (it takes a connection from its pool per
command), so this keeps one per pool. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

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
