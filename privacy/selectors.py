"""Reads: who a search term is, and every row of every table that holds their data (art. 15)."""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat

from members.models import Contact, User
from members.personal import Kind
from members.retirement import PLACEHOLDER_USER_EMAIL

from . import register

# Fields that are one value (a name, an address): they are the person's only when the whole value
# is. Free text and contact-detail texts are the person's when the value stands in them.
EXACT_KINDS = {Kind.NAME, Kind.EMAIL, Kind.PHONE, Kind.TITLE, Kind.ADDRESS}

# A value shorter than this is never searched for or replaced inside free text: "Bo" would match
# half the database.
MIN_VALUE_LENGTH = 4
SEARCH_LIMIT = 50


@dataclass
class Person:
    """One person as a search term identifies them: the contacts and users with that e-mail address
    or name, and every name, address and phone number those records hold (what is looked for in
    free text, e-mails and history)."""

    term: str
    contacts: list[Contact] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)

    @property
    def values(self) -> list[str]:
        """Everything that identifies the person, longest first (so a name is replaced before a part of it)."""
        found = {v.strip() for v in self.names | self.emails | self.phones if v and len(v.strip()) >= MIN_VALUE_LENGTH}
        return sorted(found, key=lambda v: (-len(v), v))

    @property
    def found(self) -> bool:
        return bool(self.values)

    @property
    def pattern(self) -> re.Pattern:
        """Any of the values as a whole word: "anna@x.se" is not found in "hanna@x.se", nor
        "070-555 12 34" in "070-555 12 345" (the database's LIKE only narrows the rows down)."""
        alternatives = "|".join(re.escape(v) for v in self.values)
        return re.compile(rf"(?<![\w.+-])(?:{alternatives})(?![\w])", re.IGNORECASE)

    def named_in(self, kind: Kind, value) -> bool:
        """Whether a field of this kind holding `value` holds the person's data."""
        if value in (None, "") or not self.found:
            return False
        text = str(value)
        if kind in EXACT_KINDS:
            return bool(self.pattern.fullmatch(text.strip()))
        return bool(self.pattern.search(text))


@dataclass
class Table:
    """The rows of one table that hold the person's data (their personal fields only)."""

    label: str
    name: str
    is_history: bool
    columns: list[str]
    rows: list[dict]


def spellings(term: str) -> list[str]:
    """The term as typed, in lower case, upper case and with capitals: SQLite's LIKE folds only
    ASCII letters, so "öberg" would not find "Öberg" there (PostgreSQL needs none of this)."""
    return list(dict.fromkeys([term, term.lower(), term.upper(), term.title(), term.capitalize()]))


def _ci(lookup: str, term: str) -> Q:
    """`lookup` (e.g. "name__icontains") for any spelling of `term`."""
    return reduce(or_, [Q(**{lookup: spelling}) for spelling in spellings(term)])


def _not_placeholder_contacts():
    return Contact.objects.exclude(email=Contact.PLACEHOLDER_EMAIL)


def _users():
    return User.objects.exclude(email=PLACEHOLDER_USER_EMAIL).annotate(
        full_name=Concat("first_name", Value(" "), "last_name")
    )


def person_find(*, term: str) -> Person:
    """The person an exact e-mail address or an exact full name names (case does not matter).

    Queries: contacts, users (two)."""
    term = " ".join(term.split())
    person = Person(term=term)
    if len(term) < MIN_VALUE_LENGTH:
        return person
    if "@" in term:
        person.contacts = list(_not_placeholder_contacts().select_related("kommun").filter(email__iexact=term))
        person.users = list(_users().filter(email__iexact=term))
        person.emails.add(term.lower())
    else:
        person.contacts = list(_not_placeholder_contacts().select_related("kommun").filter(_ci("name__iexact", term)))
        person.users = list(_users().filter(_ci("full_name__iexact", term)))
        person.names.add(term)
    for contact in person.contacts:
        person.names.add(contact.name)
        person.emails.add(contact.email)
        person.phones.add(contact.phone)
    for user in person.users:
        person.names.add(user.get_full_name())
        person.emails.add(user.email)
        person.phones.add(user.phone)
    person.names.discard("")
    person.emails.discard("")
    person.phones.discard("")
    return person


def people_search(*, term: str) -> dict[str, list]:
    """Contacts and users whose name or e-mail contains `term`, for choosing the person.

    Queries: contacts, users (two); at most SEARCH_LIMIT of each."""
    term = " ".join(term.split())
    if len(term) < 2:
        return {"contacts": [], "users": []}
    contacts = (
        _not_placeholder_contacts()
        .select_related("kommun")
        .filter(_ci("name__icontains", term) | Q(email__icontains=term))
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    users = (
        _users().filter(_ci("full_name__icontains", term) | Q(email__icontains=term)).order_by("email")[:SEARCH_LIMIT]
    )
    return {"contacts": list(contacts), "users": list(users)}


def references(model: type[models.Model], person: Person) -> dict[str, set[int]]:
    """{column: ids} of the model's foreign keys to the person's contacts and users."""
    found = {}
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Contact and person.contacts:
            found[f.attname] = {c.pk for c in person.contacts}
        elif f.is_relation and f.related_model is User and person.users:
            found[f.attname] = {u.pk for u in person.users}
    return found


def holds(model: type[models.Model], person: Person, row: dict) -> bool:
    """Whether a row (as `values()`) holds the person's data: in a personal text field or by reference."""
    for name in register.text_fields(model):
        mark = register.mark_of(model, name)
        if name in row and person.named_in(mark.kind, row[name]):
            return True
    return any(row.get(column) in ids for column, ids in references(model, person).items())


def _match(model: type[models.Model], person: Person) -> Q | None:
    """Rows of `model` that may name the person in a personal text field or refer to one of their
    records: a superset, narrowed down row by row by `holds`."""
    conditions = [_ci(f"{name}__icontains", value) for name in register.text_fields(model) for value in person.values]
    contact_ids = [c.pk for c in person.contacts]
    user_ids = [u.pk for u in person.users]
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Contact and contact_ids:
            conditions.append(Q(**{f"{f.name}__in": contact_ids}))
        elif f.is_relation and f.related_model is User and user_ids:
            conditions.append(Q(**{f"{f.name}__in": user_ids}))
    return reduce(or_, conditions) if conditions else None


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def person_data(*, person: Person) -> list[Table]:
    """Every table's rows that hold the person's data, history and outbox included: the primary key,
    the personal fields and, for history, when and what kind of change.

    Queries: one per table that has personal fields (a fixed number, whatever the data)."""
    if not person.found:
        return []
    tables = []
    for model in apps.get_models(include_auto_created=True):
        condition = _match(model, person)
        if condition is None:
            continue
        columns = [model._meta.pk.attname]
        for f in model._meta.concrete_fields:
            mark = register.mark_of(model, f.name)
            if isinstance(mark, register.Personal) and f.attname not in columns:
                columns.append(f.attname)
        if register.is_history_model(model) and hasattr(model, "history_date"):
            columns += ["history_date", "history_type"]
        queryset = model._base_manager.filter(condition).order_by(model._meta.pk.attname).values(*columns)
        rows = [{k: _plain(v) for k, v in row.items()} for row in queryset if holds(model, person, row)]
        if rows:
            tables.append(
                Table(
                    label=model._meta.label,
                    name=str(model._meta.verbose_name),
                    is_history=register.is_history_model(model),
                    columns=columns,
                    rows=rows,
                )
            )
    return tables
