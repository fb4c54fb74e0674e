"""Removing people without rewriting the record: deactivate what is referred to, erase to a placeholder.

Answers, dialog entries, outcomes and the history say who did what. Deleting the contact or user
they point to used to blank those fields silently (SET_NULL, no history row). Now:

- `contact_remove` / `user_remove` delete only what nothing refers to; anything else is
  deactivated: it leaves every list, e-mail and choice, and the records keep pointing to it.
- `contact_erase` / `user_erase` are the real deletion (a person's right to erasure): every
  reference, in live rows and in the history, is moved to a named placeholder ("Borttagen kontakt",
  "Borttagen användare") first, live rows with a history entry that says so, then the row goes.

The foreign keys to contacts and users are PROTECT, so no other path can blank them: a delete
that skips this module fails loudly instead.

What refers to an object is read from the models' own relations (no list to keep up to date): a
foreign key declared PROTECT is a record that must keep naming the person, as is a many-to-many
(participants of a dialog entry) and, for users, the history rows they wrote. CASCADE rows are
owned and go with the object (two-factor devices); SET_NULL ones are not records of the person
(the e-mail log keeps the address it wrote to).
"""

from __future__ import annotations

import enum

from django.db import models, transaction
from django.db.models.deletion import PROTECT
from django.utils import timezone

from . import cache
from .models import Contact, Kommun, User

# Stored data, not UI text: the placeholder rows keep these whatever language a reader uses.
PLACEHOLDER_CONTACT_NAME = "Borttagen kontakt"
PLACEHOLDER_USER_EMAIL = "borttagen-anvandare@sba-portal.invalid"
ERASED_REASON = "Personuppgifter raderade: ersatt med platshållare"


class Removal(enum.StrEnum):
    DELETED = "deleted"
    DEACTIVATED = "deactivated"


def _is_history_model(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # simple-history's historical models


def _reverse_relations(model: type[models.Model]):
    """Every relation pointing at `model`, hidden ones (related_name='+') included."""
    return model._meta._get_fields(forward=False, reverse=True, include_hidden=True)


def _is_record(rel) -> bool:
    """A live relation whose rows must keep naming the object."""
    return not _is_history_model(rel.related_model) and (rel.many_to_many or rel.on_delete is PROTECT)


def _referring(obj: models.Model) -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every record relation to `obj` that holds a row."""
    found = []
    for rel in _reverse_relations(type(obj)):
        if not _is_record(rel):
            continue
        model, name = rel.related_model, rel.field.name
        if model._base_manager.filter(**{name: obj}).exists():
            found.append((model, name))
    return found


def _history_by(user: User) -> bool:
    return any(
        model._base_manager.filter(history_user=user).exists()
        for model in _history_models()
        if any(f.name == "history_user" for f in model._meta.fields)
    )


def _history_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if _is_history_model(m)]


def is_referenced(obj: models.Model) -> bool:
    if _referring(obj):
        return True
    return isinstance(obj, User) and _history_by(obj)


# --- Removing (the everyday path) ----------------------------------------------------------------


@transaction.atomic
def contact_remove(*, contact: Contact) -> Removal:
    """Delete a contact nothing refers to; deactivate one that answers or dialog entries name."""
    if is_referenced(contact):
        contact_set_active(contact=contact, active=False)
        return Removal.DEACTIVATED
    contact.delete()
    return Removal.DELETED


def contact_set_active(*, contact: Contact, active: bool) -> None:
    """Deactivate (it leaves lists, e-mails and choices; no longer primary) or bring back."""
    contact.is_active = active
    contact.deactivated_at = None if active else timezone.now()
    if not active:
        contact.is_primary = False
    contact.save(update_fields=["is_active", "deactivated_at", "is_primary"])


@transaction.atomic
def user_remove(*, user: User) -> Removal:
    """Delete a user nothing refers to (no answers, no history written); deactivate any other."""
    if is_referenced(user):
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        return Removal.DEACTIVATED
    user.delete()
    return Removal.DELETED


# --- Erasing (personal data) ---------------------------------------------------------------------


def placeholder_contact(kommun: Kommun) -> Contact:
    """The kommun's "Borttagen kontakt": inactive, no personal data, what erased contacts become."""
    contact, _ = Contact.objects.get_or_create(
        kommun=kommun,
        email=Contact.PLACEHOLDER_EMAIL,
        defaults={"name": PLACEHOLDER_CONTACT_NAME, "role": Contact.Role.OTHER, "is_active": False},
    )
    return contact


def placeholder_user() -> User:
    """The one "Borttagen användare": cannot sign in, holds no personal data."""
    user = User.objects.filter(email=PLACEHOLDER_USER_EMAIL).first()
    if user is None:
        user = User(
            email=PLACEHOLDER_USER_EMAIL,
            first_name="Borttagen",
            last_name="användare",
            role=User.Role.STAFF,
            is_active=False,
        )
        user.set_unusable_password()
        user.save()
    return user


def _move_references(obj: models.Model, placeholder: models.Model) -> None:
    """Point every relation, live and historical, from `obj` to `placeholder`.

    Live rows with a history are saved one by one so the history records the change and why;
    many-to-many rows are swapped through the manager (the history of the entry records it);
    historical rows are updated in place (they are the record of what was, now without the person).
    """
    for rel in _reverse_relations(type(obj)):
        model, name = rel.related_model, rel.field.name
        if rel.many_to_many:
            accessor = rel.get_accessor_name()
            if accessor is None or accessor.endswith("+"):
                continue
            for owner in getattr(obj, accessor).all():
                manager = getattr(owner, rel.field.name)
                manager.remove(obj)
                manager.add(placeholder)
            continue
        if _is_history_model(model):
            model._base_manager.filter(**{name: obj}).update(**{name: placeholder})
            continue
        if not _is_record(rel):
            continue  # owned rows go with the object; SET_NULL ones are blanked by the delete
        rows = model._base_manager.filter(**{name: obj})
        if hasattr(model, "history"):
            for row in rows:
                setattr(row, name, placeholder)
                row._change_reason = ERASED_REASON
                row.save(update_fields=[rel.field.attname])
        else:
            rows.update(**{name: placeholder})


def _delete_with_its_history(obj: models.Model) -> None:
    """Delete the row and every version of it, the one its deletion writes included."""
    pk, history = obj.pk, getattr(type(obj), "history", None)
    obj.delete()
    if history is not None:
        history.model._base_manager.filter(id=pk).delete()


@transaction.atomic
def contact_erase(*, contact: Contact) -> Contact:
    """Delete a contact for good: references move to the kommun's placeholder, and the contact's
    own history (its name, e-mail and phone in every version) goes with it. Returns the placeholder."""
    placeholder = placeholder_contact(contact.kommun)
    _move_references(contact, placeholder)
    _delete_with_its_history(contact)
    transaction.on_commit(cache.retire_all)  # references moved by update(), past the signals
    return placeholder


@transaction.atomic
def user_erase(*, user: User) -> User:
    """Delete a user for good: answers, entries and history now name "Borttagen användare"."""
    placeholder = placeholder_user()
    if user.pk == placeholder.pk:
        raise ValueError("The placeholder cannot be erased.")
    _move_references(user, placeholder)
    _delete_with_its_history(user)
    transaction.on_commit(cache.retire_all)  # references moved by update(), past the signals
    return placeholder
