"""Versioned caching for the few pages that miss their budget without it (docs/CONTRIBUTING.md).

A *topic* (`Topic`, the one list) names a set of tables that cached values are built from. Every
model says which topics it feeds with a `cache_topics` class attribute (an empty tuple: nothing
cached reads it); a system check refuses to start when a model of ours does not say, or names
something that is not a `Topic`. One signal receiver gives those topics a new version on every
save, delete and many-to-many change. Writes that bypass signals (`bulk_create`,
`QuerySet.update`, raw SQL) run inside `with cache.retiring(Topic.NKI): …`.

A cached value's key holds the versions of every topic it is built from (`key()`), so one write
retires every value built on it at once; nothing has to know which keys exist, and retired entries
expire on their own. Versions are random tokens, not counters, so a version lost from the cache
can never come back and match an old entry. A retire happens twice: at once, so the writing request
never reads a value built before its write, and again on commit, so a value another request built
from the data as it was before the commit cannot outlive it.

`RELEASE` (a digest of the code, templates and translations at start-up) is part of every key, so a
deploy that changes how a page looks never serves fragments rendered by the old code.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

PREFIX = "sba:v:"
TIMEOUT = 6 * 60 * 60  # seconds a cached value lives at most (writes retire it sooner)
_SOURCE_SUFFIXES = {".py", ".html", ".mo", ".txt", ".js", ".css", ".svg", ".json"}
_NOT_SOURCE = {"staticfiles", "bench", "tests", "docs", "media", "node_modules"}
# The apps whose models must declare cache_topics (third-party models are not cached anywhere).
PROJECT_APPS = ("members", "outbox", "inquiries", "nki", "overview", "digests")


class Topic(StrEnum):
    """What cached values are built from. An unknown topic is an error, never a silent new key."""

    REGISTER = "register"  # kommuner, län, membership, agreement periods, population
    CONTACTS = "contacts"
    PROFILES = "profiles"  # member profiles, sites and sectors (what inquiries are rated against)
    USERS = "users"  # names shown in cached lists
    INQUIRIES = "inquiries"  # inquiries, dispatches, answers, outcomes, attachments
    NKI = "nki"
    MATURITY = "maturity"
    DIALOG = "dialog"
    KPI = "kpi"
    FACTS = "facts"  # kommun facts (SCB, Kolada)
    ACTIVITIES = "activities"  # SBA's own fairs, campaigns, delegations, seminars


def _topics(topics: Iterable) -> tuple[Topic, ...]:
    topics = tuple(topics)
    for topic in topics:
        if not isinstance(topic, Topic):
            raise TypeError(f"unknown cache topic {topic!r}: use members.cache.Topic")
    return topics


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


class _Request(threading.local):
    """What this thread's current request has read from the cache: topic versions and built values.

    Active only between request_started and request_finished (members.apps connects them), so a
    page that asks for the same value or versions many times (the NKI year completeness, say) makes
    one cache round trip, not one per call; a task or command (no request) always asks the cache.
    Any retire in this thread forgets it all, so a request never reads past its own write."""

    active = False

    def __init__(self):
        self.versions: dict[str, str] = {}
        self.values: dict[str, bytes] = {}  # pickled: every caller gets its own copy


_request = _Request()


def request_started(**kwargs) -> None:
    _request.active = True
    _request.versions.clear()
    _request.values.clear()


def request_finished(**kwargs) -> None:
    _request.active = False
    _request.versions.clear()
    _request.values.clear()


def versions(*topics: Topic) -> str:
    """The current version of each topic, one cache round trip (a new token for a topic never seen)."""
    keys = [PREFIX + topic for topic in _topics(topics)]
    if _request.active and all(key in _request.versions for key in keys):
        return ".".join(_request.versions[key] for key in keys)
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex[:12]
            # add(): two processes meeting a missing version agree on the first one written.
            found[key] = token if cache.add(key, token, None) else (cache.get(key) or token)
    if _request.active:
        _request.versions.update(found)
    return ".".join(found[key] for key in keys)


def _retire(topics: tuple[Topic, ...]) -> None:
    def new_versions() -> None:
        cache.set_many({PREFIX + topic: uuid.uuid4().hex[:12] for topic in topics}, None)

    if topics:
        _request.versions.clear()
        _request.values.clear()
        new_versions()
        transaction.on_commit(new_versions)


@contextmanager
def retiring(*topics: Topic) -> Iterator[None]:
    """Around a write that bypasses model signals (bulk_create, update(), raw SQL): every value
    built on `topics` is retired when the block ends, and again when the transaction commits."""
    topics = _topics(topics)
    try:
        yield
    finally:
        _retire(topics)


def retire_all() -> None:
    """Retire everything cached (after loading data in bulk outside the portal's services)."""
    _retire(tuple(Topic))


def key(name: str, *parts, topics: tuple[Topic, ...], by_date: bool = False) -> str:
    """A cache key: name, the caller's parts, the language, the topics' versions and the release.

    by_date adds today's date, for values that depend on what is true today (membership by date).
    """
    bits = [name, RELEASE, translation.get_language() or "", versions(*topics), *map(str, parts)]
    if settings.CACHE_FRAGMENTS_OFF:
        bits.append(_cold.nonce)  # the benchmark's cold mode: see cold_request()
    if by_date:
        bits.append(timezone.localdate().isoformat())
    return hashlib.sha1("|".join(bits).encode(), usedforsecurity=False).hexdigest()


class _Cold(threading.local):
    nonce = ""


_cold = _Cold()


def cold_request(**kwargs) -> None:
    """The benchmark's cold mode (CACHE_FRAGMENTS_OFF): every request starts as the first reader
    after a write that retired every topic (fresh keys), and reuses within itself what it built,
    as a real first reader does. Connected to request_started only in that mode (apps.py)."""
    _cold.nonce = uuid.uuid4().hex


def get_or_build(name: str, *parts, topics: tuple[Topic, ...], build, by_date: bool = False):
    """The cached value for (name, parts) at the topics' current versions, built on a miss."""
    cache_key = "sba:c:" + key(name, *parts, topics=topics, by_date=by_date)
    if _request.active and cache_key in _request.values:
        return pickle.loads(_request.values[cache_key])  # a copy each time, as from the cache  # noqa: S301
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    if _request.active:
        _request.values[cache_key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return value


def fragment(name: str, *parts, topics: tuple[Topic, ...], by_date: bool = False, cacheable: bool = True) -> dict:
    """Context for `{% cache fragment_timeout <name> fragment_key %}` in a template.

    cacheable=False (a request with query parameters the page does not know, say) renders the
    fragment fresh and stores nothing, so odd URLs cannot fill the cache.
    """
    if not cacheable:
        return {"fragment_key": uuid.uuid4().hex, "fragment_timeout": 0}
    return {"fragment_key": key(name, *parts, topics=topics, by_date=by_date), "fragment_timeout": TIMEOUT}


# --- Which models feed which topics ---------------------------------------------------------------


def _is_generated(model) -> bool:
    """Many-to-many tables (their owner's topics count) and django-simple-history's history tables."""
    return model._meta.auto_created or hasattr(model, "instance_type")


def topics_of(model) -> tuple[Topic, ...]:
    return getattr(model, "cache_topics", ())


def _changed(sender, instance=None, **kwargs) -> None:
    if kwargs.get("signal") is m2m_changed:
        if not kwargs["action"].startswith("post_"):
            return
        # A many-to-many table belongs to the model that declares the field, from either side.
        owner = sender._meta.auto_created
        _retire(topics_of(owner) if owner else topics_of(sender))
    else:
        _retire(topics_of(sender))


def connect() -> None:
    """One receiver for every model (members.apps.MembersConfig.ready)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"sba-cache-{id(signal)}")


@checks.register()
def check_models_declare_topics(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every model of ours says what it feeds (cache_topics), with known topics only."""
    errors = []
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if _is_generated(model):
                continue
            declared = getattr(model, "cache_topics", None)
            if declared is None:
                errors.append(
                    checks.Error(
                        f"{model._meta.label} does not say which cache topics it feeds",
                        hint="Add cache_topics = (Topic.…,) or cache_topics = () (members/cache.py).",
                        obj=model,
                        id="sba.E001",
                    )
                )
            elif not isinstance(declared, tuple) or not all(isinstance(t, Topic) for t in declared):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.cache_topics must be a tuple of members.cache.Topic",
                        obj=model,
                        id="sba.E002",
                    )
                )
    return errors
