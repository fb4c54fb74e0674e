"""Versioned caching for what is read far more often than it is written (NKI tables, the register).

A *topic* names a set of tables that cached values are built from ("nki", "register", …). Every
write to a topic's models gives the topic a new version:

- ordinary saves and deletes through model signals: each app says which of its models belong to
  which topic with `track(Model, "topic")` in its `AppConfig.ready()`;
- writes that bypass signals (raw SQL, `bulk_create`, `QuerySet.update`) call `bump("topic")`
  themselves: the NKI import, the demo loaders.

A cached value's key holds the versions of every topic it is built from (`key()`), so one write
retires every value built on it at once; nothing has to know which keys exist, and retired entries
expire on their own. Versions are random tokens, not counters, so a version lost from the cache
can never come back and match an old entry.

A bump happens twice: at once, so the writing request (inside its transaction) never reads a value
built before its write, and again on commit, so a value another request built from the data as it
was before the commit cannot outlive it.

`RELEASE` (a digest of the code, templates and translations at start-up) is part of every key, so a
deploy that changes how a page looks never serves fragments rendered by the old code.

Views use this with Django's `{% cache %}` template tag: the view passes the selector's result as a
lazy object and a `fragment_key` built here; on a hit the selector never runs.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

PREFIX = "sba:v:"
TIMEOUT = 6 * 60 * 60  # seconds a cached fragment lives at most (writes retire it sooner)
_SOURCE_SUFFIXES = {".py", ".html", ".mo", ".txt", ".js", ".css", ".svg", ".json"}
_NOT_SOURCE = {"staticfiles", "bench", "tests", "docs", "media", "node_modules"}


def _release() -> str:
    """A digest of the project's own code, templates, static files and compiled translations."""
    digest = hashlib.sha1(usedforsecurity=False)
    base = Path(settings.BASE_DIR)
    for top in sorted(base.iterdir()):
        if top.name.startswith(".") or top.name in _NOT_SOURCE:
            continue
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.suffix in _SOURCE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


def _version_key(topic: str) -> str:
    return PREFIX + topic


def versions(*topics: str) -> str:
    """The current version of each topic, one cache round trip (a new token for a topic never seen)."""
    keys = [_version_key(topic) for topic in topics]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex[:12]
            # add(): two processes meeting a missing version agree on the first one written.
            found[key] = token if cache.add(key, token, None) else (cache.get(key) or token)
    return ".".join(found[key] for key in keys)


def bump(topic: str) -> None:
    """Retire every cached value built on `topic`: now, and again when the transaction commits."""

    def new_version() -> None:
        cache.set(_version_key(topic), uuid.uuid4().hex[:12], None)

    new_version()
    transaction.on_commit(new_version)


def key(name: str, *parts, topics: tuple[str, ...], by_date: bool = False) -> str:
    """A fragment key: name, the caller's parts, the language, the topics' versions and the release.

    by_date adds today's date, for values that depend on what is true today (membership by date).
    """
    # EVERYTHING is in every key: bump_all() retires every entry, per-row topics included.
    bits = [name, RELEASE, translation.get_language() or "", versions(EVERYTHING, *topics), *map(str, parts)]
    if by_date:
        bits.append(timezone.localdate().isoformat())
    return hashlib.sha1("|".join(bits).encode(), usedforsecurity=False).hexdigest()


EVERYTHING = "*"


def union_topics(parts) -> tuple[str, ...] | None:
    """Every topic the given registered parts (panels, measures) are built from, or None if one
    of them does not name its topics (then what shows them is not cached)."""
    found: set[str] = set()
    for part in parts:
        if part.topics is None:
            return None
        found.update(part.topics)
    return tuple(sorted(found))


def bump_all() -> None:
    """Retire everything cached (after loading data in bulk outside the portal's services)."""
    for topic in sorted(TOPICS | {EVERYTHING}):
        bump(topic)


TOPICS: set[str] = set()  # every fixed topic some model is tracked under


def track(model, *topics: str, per_row=None) -> None:
    """Bump `topics` whenever a `model` row is saved or deleted (or its many-to-many set changes).

    per_row(instance) may name further topics for the row itself, e.g. one kommun's inbox, so a
    write retires only what shows that row.
    """
    TOPICS.update(topics)

    def changed(sender, instance=None, **kwargs) -> None:
        for topic in topics:
            bump(topic)
        if per_row is not None and instance is not None:
            for topic in per_row(instance):
                bump(topic)

    uid = f"sba-cache:{model._meta.label}:{','.join(topics)}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}:{field.name}")


def get_or_build(name: str, *parts, topics: tuple[str, ...], build, by_date: bool = False):
    """The cached value for (name, parts) at the topics' current versions, built on a miss."""
    cache_key = "sba:c:" + key(name, *parts, topics=topics, by_date=by_date)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value


def fragment(name: str, *parts, topics: tuple[str, ...], by_date: bool = False, cacheable: bool = True) -> dict:
    """Context for `{% cache fragment_timeout <name> fragment_key %}` in a template.

    cacheable=False (a request with query parameters the page does not know, say) renders the
    fragment fresh and stores nothing, so odd URLs cannot fill the cache.
    """
    if not cacheable:
        return {"fragment_key": uuid.uuid4().hex, "fragment_timeout": 0}
    return {"fragment_key": key(name, *parts, topics=topics, by_date=by_date), "fragment_timeout": TIMEOUT}
