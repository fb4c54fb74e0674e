"""Sessions in the database behind the cache (cached_db), with a lost database connection told
apart from a deleted session.

Django's database session turns every database error on save into UpdateError, which the session
middleware answers with 400 ("the session was deleted"). A connection the database server cut is
an outage, not a deleted session: it is raised as what it is, so the portal answers 503 and a read
is tried again (sba_portal.errors, sba_portal.middleware.DatabaseRetryMiddleware).
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError


class SessionStore(cached_db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            if isinstance(exc.__context__, (OperationalError, InterfaceError)):
                raise exc.__context__ from None
            raise
