"""Sign-in backend: Django's ModelBackend, with the signed-in user read from the cache.

Every signed-in request loads its user; from the database that is one query and the ORM's work
around it, most of what a signed-in request costs before the page does anything (the benchmark's
signed-in floor, docs/PERFORMANCE.md). The user row is kept in the cache under `sba:user:<pk>`
for a few minutes. It is never stale after a write:

- every save or delete of a user (deactivation, a new password, a changed role or kommun) puts a
  *tombstone* in its place for TOMBSTONE_SECONDS, at once and again on commit;
- a reader stores the row it read with `add` (only if the key is empty), so a request that read
  the row just before a concurrent write cannot put the old row back over the tombstone.

A write that bypasses signals (`QuerySet.update` on users, raw SQL) calls `forget_user(pk)` for
each user it changes; a cached row lives TIMEOUT seconds at most. With the cache down the row comes
from the database, as without this backend.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

PREFIX = "sba:user:"
TIMEOUT = 5 * 60
TOMBSTONE_SECONDS = 10  # longer than a request that read the row before the write takes
_TOMBSTONE = "written"


def _key(pk) -> str:
    return f"{PREFIX}{pk}"


def forget_user(pk) -> None:
    """After any change to user `pk`: the next request reads the row from the database."""
    cache.set(_key(pk), _TOMBSTONE, TOMBSTONE_SECONDS)
    transaction.on_commit(lambda: cache.set(_key(pk), _TOMBSTONE, TOMBSTONE_SECONDS))


class CachedUserBackend(ModelBackend):
    """ModelBackend whose get_user (once per signed-in request) reads through the cache."""

    def get_user(self, user_id):
        cached = cache.get(_key(user_id))
        if cached is not None and cached != _TOMBSTONE:
            return cached if self.user_can_authenticate(cached) else None
        user = super().get_user(user_id)
        if user is not None and cached is None:
            cache.add(_key(user_id), user, TIMEOUT)
        return user


def _user_changed(sender, instance=None, **kwargs) -> None:
    if instance is not None and instance.pk is not None:
        forget_user(instance.pk)
