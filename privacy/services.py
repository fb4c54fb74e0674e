"""Writes on personal data: erase or correct one person (art. 16–17), apply the retention rules
(art. 5.1 e), and the audit log of every such action (which never holds the erased data)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries.models import Inquiry
from members import cache, retirement
from members.backends import forget_user
from members.models import Contact, User
from members.personal import Kind, Retention
from outbox.models import Message

from . import register, selectors
from .models import PrivacyAction, RetentionRule
from .selectors import Person

# Stored data, not UI text: what an erased name, address or phone becomes, whatever the reader's language.
PLACEHOLDER_PERSON = "Borttagen person"
PLACEHOLDER_EMAIL = "borttagen-person@sba-portal.invalid"
# Whole-value kinds: the field is the person's (a name, an address, their contact details), so all
# of it goes; in free text only the person's names, addresses and numbers are replaced.
WHOLE_VALUE = {*selectors.EXACT_KINDS, Kind.CONTACT_DETAILS, Kind.OTHER}
# Rows that exist only for the person (an address's unsubscription, sign-in attempts): deleted.
DELETE_ON_ERASURE = {"outbox.unsubscribe", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# Inquiries whose investor contact is kept until the retention rule's years after closing.
CLOSED_STATUSES = (Inquiry.Status.CLOSED, Inquiry.Status.DECIDED)


def audit(*, action: str, actor: User | None, counts: dict[str, int]) -> PrivacyAction:
    """Record one action: who, when, how many rows of which tables. Never the person's data."""
    return PrivacyAction.objects.create(
        action=action, actor=actor, counts={label: n for label, n in sorted(counts.items()) if n}
    )


def person_export_record(*, person: Person, actor: User, tables: list[selectors.Table]) -> PrivacyAction:
    """An export of one person's data was made (art. 15): audited with the row counts only."""
    return audit(action=PrivacyAction.Action.EXPORT, actor=actor, counts={t.label: len(t.rows) for t in tables})


# --- Erasure -------------------------------------------------------------------------------------


def _replacement(model: type[models.Model], name: str, value, person: Person, pk):
    """What one field's value becomes: the whole value for a field that is the person's, the
    person's names and addresses replaced inside free text; unique columns stay unique."""
    f = model._meta.get_field(name)
    mark = register.mark_of(model, name)
    if isinstance(f, models.JSONField):
        if value in (None, "", {}, []):
            return value
        return json.loads(person.pattern.sub(PLACEHOLDER_PERSON, json.dumps(value)))
    if not person.named_in(mark.kind, value):
        return value
    if mark.kind in WHOLE_VALUE:
        new = PLACEHOLDER_EMAIL if isinstance(f, models.EmailField) else PLACEHOLDER_PERSON
    else:
        new = person.pattern.sub(PLACEHOLDER_PERSON, str(value))
    if f.unique:
        new = f"{new}#{pk}"
    return new[: f.max_length] if f.max_length else new


def _anonymise(person: Person) -> Counter:
    """Replace the person's names, addresses and phone numbers in every personal text field of every
    table, history included. By update(): the history's old versions are scrubbed, not added to."""
    counts: Counter = Counter()
    for model in register.searchable_models():
        names = register.text_fields(model)
        condition = selectors._match(model, person)
        if condition is None:
            continue
        pk_name = model._meta.pk.attname
        rows = list(model._base_manager.filter(condition).values(pk_name, *names))
        if model._meta.label_lower in DELETE_ON_ERASURE:
            doomed = [row[pk_name] for row in rows if selectors.holds(model, person, row)]
            model._base_manager.filter(pk__in=doomed).delete()
            counts[model._meta.label] += len(doomed)
            continue
        for row in rows:
            pk = row.pop(pk_name)
            changes = {
                name: new
                for name, value in row.items()
                if (new := _replacement(model, name, value, person, pk)) != value
            }
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)
                counts[model._meta.label] += 1
                if model is User:
                    forget_user(pk)  # the signed-in user is cached (members.backends); update() skips its signal
    return counts


@transaction.atomic
def person_erase(*, person: Person, actor: User) -> PrivacyAction:
    """Erase one person everywhere (art. 17), keeping answers, inquiries and figures whole.

    Guarantees: their contacts and users are erased through members.retirement (every reference,
    live and in the history, moves to "Borttagen kontakt" / "Borttagen användare"; their own
    history goes); then every personal text field of every table, history and outbox included,
    has their names, addresses and phone numbers replaced by "Borttagen person". No row an inquiry
    figure or an answer count is built from is deleted. Audited with row counts only."""
    if not person.found:
        raise ValidationError(_("No one to erase: search for an exact e-mail address or full name."))
    if any(user.pk == actor.pk for user in person.users):
        raise ValidationError(_("You cannot erase your own account."))
    counts: Counter = Counter()
    for contact in person.contacts:
        retirement.contact_erase(contact=contact)
        counts[Contact._meta.label] += 1
    for user in person.users:
        retirement.user_erase(user=user)
        counts[User._meta.label] += 1
    counts.update(_anonymise(person))
    transaction.on_commit(cache.retire_all)  # rows changed by update(), past the signals
    return audit(action=PrivacyAction.Action.ERASE, actor=actor, counts=counts)


@dataclass
class Correction:
    name: str = ""
    email: str = ""
    phone: str = ""

    def changes(self) -> dict[str, str]:
        return {k: v.strip() for k, v in vars(self).items() if v.strip()}


@transaction.atomic
def person_correct(*, person: Person, actor: User, correction: Correction) -> PrivacyAction:
    """Correct one person's name, e-mail or phone (art. 16) on every contact and user that is theirs.

    Saved through the models, so the history records the change; a new e-mail address that
    another user already has is refused and nothing changes. Audited with the rows and field names
    changed, not the values."""
    changes = correction.changes()
    if not person.found or not (person.contacts or person.users):
        raise ValidationError(_("No contact or user to correct: search for an exact e-mail address or full name."))
    if not changes:
        raise ValidationError(_("Enter at least one new value."))
    new_email = changes.get("email", "").lower()
    if new_email and User.objects.filter(email__iexact=new_email).exclude(pk__in=[u.pk for u in person.users]).exists():
        raise ValidationError(_("Another user already has the e-mail address %(email)s.") % {"email": new_email})
    counts: Counter = Counter()
    for contact in person.contacts:
        for name, value in changes.items():
            setattr(contact, name, value)
        contact.full_clean(exclude=["kommun"])
        contact.save()
        counts[Contact._meta.label] += 1
    for user in person.users:
        if "name" in changes:
            first, _sep, last = changes["name"].partition(" ")
            user.first_name, user.last_name = first, last
        if new_email:
            user.email = new_email
        if "phone" in changes:
            user.phone = changes["phone"]
        user.save()
        counts[User._meta.label] += 1
    counts.update({f"field:{name}": 1 for name in changes})
    return audit(action=PrivacyAction.Action.CORRECT, actor=actor, counts=counts)


# --- Retention -----------------------------------------------------------------------------------


@dataclass
class RetentionItem:
    """What one rule removes in one table: `count` rows."""

    rule: RetentionRule
    label: str
    name: str
    count: int


@dataclass
class RetentionPlan:
    at: object
    items: list[RetentionItem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        totals: Counter = Counter()
        for item in self.items:
            totals[f"{item.rule.kind}:{item.label}"] += item.count
        return dict(totals)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _cutoff(rule: RetentionRule, now):
    return now - timezone.timedelta(days=rule.days)


def _inactive_contacts(rule, now):
    return Contact.objects.filter(is_active=False, deactivated_at__lt=_cutoff(rule, now)).exclude(
        email=Contact.PLACEHOLDER_EMAIL
    )


def _closed_inquiries(rule, now):
    """Inquiries closed (or decided) before the cutoff: the first version in a closed status tells when."""
    history = Inquiry.history.model
    closed_at = (
        history.objects.filter(id=OuterRef("pk"), status__in=CLOSED_STATUSES)
        .values("id")
        .annotate(first=Min("history_date"))
        .values("first")
    )
    return (
        Inquiry.objects.filter(status__in=CLOSED_STATUSES)
        .annotate(closed_at=Subquery(closed_at))
        .filter(closed_at__lt=_cutoff(rule, now))
    )


def _investor_rows(rule, now):
    ids = _closed_inquiries(rule, now).values("pk")
    return [
        (Inquiry, Inquiry.objects.filter(pk__in=ids).exclude(investor_contact="")),
        (Inquiry.history.model, Inquiry.history.model.objects.filter(id__in=ids).exclude(investor_contact="")),
    ]


def _old_bodies(rule, now):
    done = Q(status=Message.Status.SENT, sent_at__lt=_cutoff(rule, now)) | Q(
        status=Message.Status.FAILED, created_at__lt=_cutoff(rule, now)
    )
    return Message.objects.filter(done).exclude(body_text="", body_html="")


def _old_versions(rule, now):
    """Per history table: versions older than the cutoff that a newer version of the same row follows."""
    found = []
    for model in apps.get_models():
        if not (register.is_history_model(model) and hasattr(model, "history_date")):
            continue
        pk_name = model.instance_type._meta.pk.attname
        newer = model.objects.filter(**{pk_name: OuterRef(pk_name)}, history_date__gt=OuterRef("history_date"))
        found.append((model, model.objects.filter(history_date__lt=_cutoff(rule, now)).filter(Exists(newer))))
    return found


def _querysets(rule: RetentionRule, now) -> list[tuple[type[models.Model], models.QuerySet]]:
    """What `rule` removes now, one queryset per table: the one source of the dry run and the run."""
    if rule.kind == Retention.CONTACT_INACTIVE:
        return [(Contact, _inactive_contacts(rule, now))]
    if rule.kind == Retention.INVESTOR_CONTACT:
        return _investor_rows(rule, now)
    if rule.kind == Retention.OUTBOX_BODY:
        return [(Message, _old_bodies(rule, now))]
    if rule.kind == Retention.HISTORY:
        return _old_versions(rule, now)
    return []


# The order the rules run in, chosen so that no rule changes what a later one counts (the dry run
# counts every rule on today's data): blanking texts deletes nothing; removing old versions touches
# no live row; erasing a contact (and its remaining history) comes last and counts contacts only.
ORDER = (Retention.INVESTOR_CONTACT, Retention.OUTBOX_BODY, Retention.HISTORY, Retention.CONTACT_INACTIVE)


def _rules() -> list[RetentionRule]:
    rules = RetentionRule.objects.filter(enabled=True, kind__in=ORDER)
    return sorted(rules, key=lambda rule: ORDER.index(rule.kind))


def retention_plan(*, now=None) -> RetentionPlan:
    """The dry run: what the next run would remove, per rule and table. Changes nothing.

    Queries: the rules, then one count per rule and table (a fixed number)."""
    now = now or timezone.now()
    plan = RetentionPlan(at=now)
    for rule in _rules():
        for model, queryset in _querysets(rule, now):
            count = queryset.count()
            if count:
                plan.items.append(RetentionItem(rule, model._meta.label, str(model._meta.verbose_name), count))
    return plan


def _apply(rule: RetentionRule, model, queryset) -> int:
    if rule.kind == Retention.CONTACT_INACTIVE:
        contacts = list(queryset)
        for contact in contacts:
            retirement.contact_erase(contact=contact)
        return len(contacts)
    if rule.kind == Retention.INVESTOR_CONTACT:
        return queryset.update(investor_contact="")
    if rule.kind == Retention.OUTBOX_BODY:
        return queryset.update(body_text="", body_html="")
    if rule.kind == Retention.HISTORY:
        # Count the versions themselves, not the many-to-many rows their deletion takes along.
        ids = list(queryset.values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).delete()
        return len(ids)
    return 0


@transaction.atomic
def retention_apply(*, actor: User | None = None, now=None) -> RetentionPlan:
    """Apply every enabled rule: removes exactly what `retention_plan(now=…)` reports, and records
    the run in the audit log (row counts only). Idempotent: a second run at once removes nothing."""
    now = now or timezone.now()
    done = RetentionPlan(at=now)
    for rule in _rules():
        for model, queryset in _querysets(rule, now):
            count = _apply(rule, model, queryset)
            if count:
                done.items.append(RetentionItem(rule, model._meta.label, str(model._meta.verbose_name), count))
    transaction.on_commit(cache.retire_all)  # rows changed by update(), past the signals
    audit(action=PrivacyAction.Action.RETENTION, actor=actor, counts=done.counts)
    return done
