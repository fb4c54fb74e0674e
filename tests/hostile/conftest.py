"""Shared pieces of the hostile-input suite: the example budget, the world, a change detector.

Example budget (docs/SECURITY.md): every property-based test runs under the "hostile" profile —
HOSTILE_EXAMPLES examples (25 unless the environment says otherwise), no deadline, derandomized so
CI draws the same examples on every run, and no example database (nothing is written outside the
test). Set HOSTILE_EXAMPLES=200 locally for a deeper, slower search.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db import connection
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, settings

from .. import db_state
from ..conftest import client_for
from ..test_access_crawler import RULES, Rule, World, project_patterns, url_patterns
from ..test_access_crawler import world as world

settings.register_profile(
    "hostile",
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world is built once per test, shared by examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
HOSTILE = settings.get_profile("hostile")

# Tables a request may legitimately write whatever its input: the session (sign-in, idle renewal),
# and django-axes' record of failed sign-ins (recording failures is its purpose).
VOLATILE_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
# Read receipts: columns a page sets when its reader first opens it — on purpose, once, and never
# from anything the request says (staff see when a kommun first opened an inquiry).
READ_RECEIPTS = {"inquiries_dispatch": {"first_viewed_at"}}


def tables() -> list[str]:
    return [table for table in db_state.tables() if table not in VOLATILE_TABLES]


def table_hash(cursor, table: str) -> tuple[int, str]:
    """Row count and a hash of the content of one table (read receipt columns left out)."""
    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our table names
    skip = {i for i, column in enumerate(cursor.description) if column[0] in READ_RECEIPTS.get(table, ())}
    rows = sorted(repr([v for i, v in enumerate(row) if i not in skip]) for row in cursor.fetchall())
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()


# PostgreSQL counts, per table, the rows the current transaction has inserted, updated and deleted
# (pg_stat_xact_user_tables, savepoints included), and TRUNCATE or a rewrite gives a table a new
# file node. A table whose (transaction, file node, counters) are what they were when it was last
# hashed cannot have changed since, so its hash is reused instead of reading every row again: the
# comparison is the same content hash, at a fraction of the cost (a snapshot reads only the tables
# written since the last one). Outside a transaction (transactional tests) or on SQLite every table
# is read every time.
# (The counters are read with the three functions behind the view pg_stat_xact_user_tables: the
# view computes a dozen more per table, which made a snapshot cost about 9 ms.)
WRITE_STATE = """
    SELECT c.relname, txid_current(), pg_relation_filenode(c.oid), pg_stat_get_xact_tuples_inserted(c.oid),
           pg_stat_get_xact_tuples_updated(c.oid), pg_stat_get_xact_tuples_deleted(c.oid)
    FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)
"""
_hashed: dict[str, tuple[tuple, tuple[int, str]]] = {}  # table → (write state, (rows, hash))


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every table of the project (history tables included)."""
    names = tables()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            return {table: table_hash(cursor, table) for table in names}
        cursor.execute(WRITE_STATE, [names])
        state = {name: tuple(rest) for name, *rest in cursor.fetchall()}
        assert set(state) == set(names), f"tables not found in PostgreSQL's catalogue: {set(names) - set(state)}"
        result = {}
        for table in names:
            cached = _hashed.get(table)
            if cached is None or cached[0] != state[table]:
                cached = _hashed[table] = (state[table], table_hash(cursor, table))
            result[table] = cached[1]
    return result


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def entitled(rule: Rule) -> list[str]:
    """Who uses a page in the hostile tests: staff and kommun A's user where entitled, else the public."""
    personas = [p for p in ("staff", "user_a") if p in rule.ok]
    if not personas and "admin" in rule.ok:
        personas = ["admin"]  # an administrators' page (the privacy pages' erasure, retention, audit)
    if rule.anonymous == 200 and not personas:
        personas = ["anonymous"]
    return personas


# --- What the pages offer: the POST forms on them, and the query parameters they read ------------


FIELD_TAGS = ("input", "select", "textarea", "button")


class _FormParser(HTMLParser):
    """The POST forms of a page: (action, field names, file field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str], set[str]]] = []
        self._current: tuple[str, set[str], set[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = (a.get("action") or "", set(), set())
            self.forms.append(self._current)
        elif self._current is not None and tag in FIELD_TAGS and a.get("name") not in (None, "csrfmiddlewaretoken"):
            (self._current[2] if a.get("type") == "file" else self._current[1]).add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str) -> list[tuple[str, set[str], set[str]]]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class Catalogue:
    """Found by visiting every GET page as its entitled personas."""

    # URL name → field names / file field names of the forms that POST to it
    fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    files: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # GET page URL name → does it show a form that posts back to itself?
    self_posting: set[str] = field(default_factory=set)
    # GET page URL name → query parameters its filters declare
    filter_params: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


_catalogue: Catalogue | None = None


def _filter_params(response) -> set[str]:
    from django import forms
    from django_filters import FilterSet

    names: set[str] = set()
    for context in response.context or []:
        for value in context.flatten().values():
            form = value.form if isinstance(value, FilterSet) else value
            if isinstance(form, forms.BaseForm) and form.is_bound and form.data is response.wsgi_request.GET:
                names |= {form[name].html_name for name in form.fields}
    return names


def catalogue(w: World, personas: dict) -> Catalogue:
    """Built once per test session (field names do not depend on the objects' ids)."""
    global _catalogue
    if _catalogue is not None:
        return _catalogue
    found = Catalogue()
    clients = {p: client_for(personas[p]) for p in ("anonymous", "staff", "user_a", "admin")}
    for name, _route in project_patterns():
        rule = RULES[name]
        if rule.method != "GET":
            continue
        url = reverse(name, kwargs=rule.kwargs(w))
        for persona in entitled(rule):
            response = clients[persona].get(url)
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            found.filter_params[name] |= _filter_params(response)
            if "html" not in response.get("Content-Type", ""):
                continue
            for action, names, files in post_forms(response.content.decode()):
                target = urlsplit(action).path or url
                try:
                    target_name = resolve(target).view_name
                except Resolver404:
                    continue
                if target_name == name:
                    found.self_posting.add(name)
                found.fields[target_name] |= names
                found.files[target_name] |= files
    _catalogue = found
    return found


def view_source(name: str) -> str:
    """Source of the view function behind a URL name (decorators unwrapped) and of the functions
    of its module it calls (e.g. a staff list and a kommun inbox behind one URL); '' for classes."""
    for pattern_name, _route, pattern in url_patterns():
        if pattern_name == name:
            func = inspect.unwrap(pattern.callback)
            try:
                source = inspect.getsource(func)
            except (OSError, TypeError):
                return ""
            module = inspect.getmodule(func)
            for called in set(re.findall(r"\b(\w+)\(request\b", source)):
                helper = getattr(module, called, None)
                if inspect.isfunction(helper) and helper is not func:
                    source += inspect.getsource(inspect.unwrap(helper))
            return source
    return ""


def query_params_in_source(source: str) -> set[str]:
    return set(re.findall(r"""request\.GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""", source))
