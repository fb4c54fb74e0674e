from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import GoodExample


def example_save(*, example: GoodExample, by, m2m: dict) -> GoodExample:
    """Save a case (new or changed). A kommun user's change goes (back) to review: only staff
    publish, so nothing a kommun writes is shown to the others before a review."""
    with transaction.atomic():
        if example.pk is None:
            example.created_by = by
        if not _is_staff(by):
            example.status = GoodExample.Status.SUBMITTED
        example.save()
        for name, values in m2m.items():
            getattr(example, name).set(values)
    return example


def example_review(*, example: GoodExample, by, publish: bool, note: str = "") -> GoodExample:
    """Publish the case, or return it to the kommun with a note."""
    example.status = GoodExample.Status.PUBLISHED if publish else GoodExample.Status.RETURNED
    example.review_note = note
    example.reviewed_by, example.reviewed_at = by, timezone.now()
    example.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    return example


def _is_staff(user) -> bool:
    from members import access

    return access.is_staff(user)


def group_meeting_record(*, group, date, title: str, notes: str, by):
    """Record a meeting of the group: one dialog entry naming the group and its kommuner, so it is
    in the dialog log of each of them."""
    from ..dialog.models import DialogEntry, DialogKind

    with transaction.atomic():
        entry = DialogEntry.objects.create(
            kind=DialogKind.MEETING, date=date, title=title, notes=notes, group=group, created_by=by
        )
        entry.kommuner.set(group.kommuner.all())
        if by is not None:
            entry.staff.add(by)
    return entry
