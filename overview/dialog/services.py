"""Writes of the dialog log: entries with their kommuner and participants, follow-up actions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from members.models import Contact, Kommun, User

from .models import DialogEntry, FollowUp


@transaction.atomic
def dialog_entry_save(
    *,
    entry: DialogEntry | None = None,
    user: User,
    kind: str,
    date,
    title: str,
    kommuner: list[Kommun],
    contacts: list[Contact],
    staff: list[User],
    notes: str = "",
    internal_notes: str = "",
) -> DialogEntry:
    """Create or update a dialog entry with its kommuner and participants."""
    if entry is None:
        entry = DialogEntry(created_by=user)
    entry.kind, entry.date, entry.title = kind, date, title
    entry.notes, entry.internal_notes = notes, internal_notes
    entry.save()
    entry.kommuner.set(kommuner)
    entry.contacts.set(contacts)
    entry.staff.set(staff)
    return entry


def follow_up_add(*, entry: DialogEntry, text: str, owner: User, due_on) -> FollowUp:
    return FollowUp.objects.create(entry=entry, text=text, owner=owner, due_on=due_on)


def follow_up_set_done(*, follow_up: FollowUp, done: bool) -> FollowUp:
    """Mark a follow-up done (now) or open again."""
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])
    return follow_up
