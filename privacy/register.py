"""The register of processing (GDPR art. 30), read from the marks on the models.

Each model says which of its fields are personal (`personal_data`, members/personal.py). This module
reads those marks for every installed model: the portal's own, simple-history's copies (which take
the mark of the field they copy), the many-to-many tables (the mark of their relation) and the
libraries' models (marked here, in THIRD_PARTY, since their code is not ours). The register page,
the search for one person, the erasure and the retention rules all work from `entries()`, so none
of them can drift from the models; `unmarked()` lists the fields that look personal but carry no
mark, and a test keeps it empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Contact, User
from members.personal import Audience, Basis, Copy, Kind, Mark, NotPersonal, Personal, Purpose, Retention, marks

# Who wrote a version, and why: on every history table.
HISTORY_FIELDS: dict[str, Mark] = {
    **marks(
        purpose=Purpose.ACCOUNTABILITY,
        basis=Basis.LEGITIMATE_INTEREST,
        audience=Audience.STAFF,
        retention=Retention.HISTORY,
        history_user=Kind.REFERENCE,
    ),
    "history_change_reason": NotPersonal("written by the portal's code (e.g. that data was erased)"),
}

# The libraries' models, marked here because their code is not ours.
THIRD_PARTY: dict[str, dict[str, Mark]] = {
    "auth.permission": {"name": NotPersonal("a permission's name"), "codename": NotPersonal("a permission's code")},
    "auth.group": {"name": NotPersonal("a group's name")},
    "sessions.session": marks(
        purpose=Purpose.SECURITY,
        basis=Basis.CONTRACT,
        audience=Audience.ADMIN,
        retention=Retention.SECURITY,
        session_data=Kind.OTHER,
    ),
    "admin.logentry": {
        "object_id": NotPersonal("a row's id"),
        **marks(
            purpose=Purpose.ACCOUNTABILITY,
            basis=Basis.LEGITIMATE_INTEREST,
            audience=Audience.ADMIN,
            retention=Retention.HISTORY,
            user=Kind.REFERENCE,
            object_repr=Kind.TEXT,
            change_message=Kind.TEXT,
        ),
    },
    **{
        label: marks(
            purpose=Purpose.SECURITY,
            basis=Basis.LEGITIMATE_INTEREST,
            audience=Audience.ADMIN,
            retention=Retention.SECURITY,
            username=Kind.EMAIL,
            ip_address=Kind.ADDRESS,
            user_agent=Kind.ADDRESS,
            **({"get_data": Kind.OTHER, "post_data": Kind.OTHER} if label == "axes.accessattempt" else {}),
        )
        for label in ("axes.accessattempt", "axes.accesslog", "axes.accessfailurelog")
    },
    "otp_totp.totpdevice": marks(
        purpose=Purpose.SECURITY,
        basis=Basis.CONTRACT,
        audience=Audience.ADMIN,
        retention=Retention.ACCOUNT,
        user=Kind.REFERENCE,
        name=Kind.OTHER,
    ),
    "django_celery_beat.periodictask": {
        name: NotPersonal("a schedule's settings") for name in ("name", "args", "kwargs", "headers", "description")
    },
}

# A field "looks personal" by its type, what it refers to, or its name. Deliberately wide: a field
# it catches that is not personal says so with NotPersonal(reason).
_PERSONAL_NAME = re.compile(
    r"(name|mail|phone|title|contact|text|note|comment|reason|subject|address|ip|user|repr|message|body|data"
    r"|agent|owner|staff|responsible|_by$|^to$)"
)


def looks_personal(field: models.Field) -> bool:
    if isinstance(field, models.EmailField | models.GenericIPAddressField | models.TextField | models.JSONField):
        return True
    if field.is_relation and field.related_model in (User, Contact):
        return True
    return isinstance(field, models.CharField) and bool(_PERSONAL_NAME.search(field.name))


def is_history_model(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # simple-history's models (members.retirement reads it so too)


def concrete_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's own columns, many-to-many relations included (their table is marked by them)."""
    return [
        f for f in model._meta.get_fields() if getattr(f, "concrete", False) or (f.many_to_many and not f.auto_created)
    ]


def mark_of(model: type[models.Model], name: str) -> Mark | None:
    """The mark of `model.name`, wherever it is declared (see the module's docstring)."""
    if is_history_model(model):
        if name in HISTORY_FIELDS:
            return HISTORY_FIELDS[name]
        return mark_of(model.instance_type, name)
    declared = getattr(model, "personal_data", None)
    if declared is not None and name in declared:
        return declared[name]
    if model._meta.label_lower in THIRD_PARTY:
        return THIRD_PARTY[model._meta.label_lower].get(name)
    if model._meta.auto_created:  # a many-to-many table: a row belongs to the relation
        for owner_field in model._meta.auto_created._meta.many_to_many:
            if owner_field.remote_field.through is model:
                target = owner_field.m2m_reverse_field_name()
                owner = owner_field.m2m_field_name()
                if name == target:
                    return mark_of(model._meta.auto_created, owner_field.name)
                if name == owner:
                    return NotPersonal("the row's owner, marked on it")
    return None


def unmarked(candidates=None) -> list[str]:
    """Every field of every model (or of `candidates`) that looks personal and carries no mark, as
    "app.Model.field"."""
    found = []
    for model in apps.get_models(include_auto_created=True) if candidates is None else candidates:
        for field in concrete_fields(model):
            if looks_personal(field) and mark_of(model, field.name) is None:
                found.append(f"{model._meta.label}.{field.name}")
    return found


@dataclass(frozen=True)
class Entry:
    """One line of the register: a personal field of a model."""

    model: type[models.Model]
    field: str
    mark: Personal

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def table(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def field_label(self) -> str:
        try:
            return str(self.model._meta.get_field(self.field).verbose_name)
        except Exception:  # noqa: BLE001 — a library's field without a verbose name
            return self.field

    @property
    def copies(self) -> list[Copy]:
        """Where copies live: the history (when the model keeps one), the mark's own, the backups."""
        found = [Copy.HISTORY] if hasattr(self.model, "history") or self.mark.retention == Retention.HISTORY else []
        found += [copy for copy in self.mark.copies if copy not in found]
        return [*found, Copy.BACKUPS]


@cache
def entries() -> tuple[Entry, ...]:
    """Every personal field of every model (not the history copies: those are in `copies`)."""
    found = []
    for model in apps.get_models():
        if is_history_model(model):
            continue
        for field in concrete_fields(model):
            mark = mark_of(model, field.name)
            if isinstance(mark, Personal):
                found.append(Entry(model, field.name, mark))
    return tuple(found)


def text_fields(model: type[models.Model]) -> list[str]:
    """Personal fields of `model` (live or history) that hold text, where a name or address may stand."""
    names = []
    for field in model._meta.concrete_fields:
        mark = mark_of(model, field.name)
        is_text = isinstance(field, models.CharField | models.TextField | models.EmailField | models.JSONField)
        if isinstance(mark, Personal) and is_text and not field.is_relation and mark.kind != Kind.REFERENCE:
            names.append(field.name)
    return names


def searchable_models() -> list[type[models.Model]]:
    """Every model (history included) with a personal text field: where one person's data is looked
    for. Live tables first, so that the history rows a change of them writes are met afterwards."""
    found = [model for model in apps.get_models(include_auto_created=True) if text_fields(model)]
    return sorted(found, key=is_history_model)


REGISTER_HEADERS = (
    _("Table"),
    _("Field"),
    _("Kind of data"),
    _("Purpose"),
    _("Legal basis"),
    _("Who may see it"),
    _("Retention"),
    _("Copies"),
)


def rows() -> list[list[str]]:
    """The register as rows of text, in the reader's language (the page and the exports)."""
    return [
        [
            entry.table,
            entry.field_label,
            str(entry.mark.kind.label),
            str(entry.mark.purpose.label),
            str(entry.mark.basis.label),
            str(entry.mark.audience.label),
            str(entry.mark.retention.label),
            ", ".join(str(copy.label) for copy in entry.copies),
        ]
        for entry in entries()
    ]
