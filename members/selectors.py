"""Reads on the ground floor, each in a small, fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

from . import access
from .models import AgreementPeriod, Contact, Kommun, KommunProfile, Membership, Population, Site, membership_during_q


def kommun_list(*, user) -> QuerySet[Kommun]:
    """Kommuner the user may see, with län, membership today and contact count (one query)."""
    return (
        access.kommuner_visible_to(user)
        .select_related("lan")
        .with_membership()
        .annotate(contact_count=Count("contacts", distinct=True))
        .order_by("name")
    )


def kommun_page(*, user, code: str) -> Kommun:
    """One kommun (län, membership today); `kommun_sections()` and `kommun_sites()` fetch the rest."""
    return access.get_visible_or_404(user, Kommun.objects.select_related("lan").with_membership(), "self", code=code)


def kommun_sites(kommun: Kommun) -> list[Site]:
    return list(kommun.sites.order_by("name"))


def kommun_premises(kommun: Kommun) -> list:
    return list(kommun.premises.order_by("name"))


def kommun_sections(kommun: Kommun) -> dict:
    """The kommun page's contacts (by role), memberships and populations (three queries)."""
    prefetch_related_objects(
        [kommun],
        Prefetch("memberships", queryset=Membership.objects.select_related("period").order_by("-starts_on")),
        Prefetch("contacts", queryset=Contact.objects.order_by("role", "-is_primary", "name")),
        Prefetch("populations", queryset=Population.objects.order_by("-year")),
    )
    return {
        "contact_groups": contacts_by_role(kommun),
        "former_contacts": [c for c in kommun.contacts.all() if not c.is_active and not c.is_placeholder],
        "memberships": list(kommun.memberships.all()),
        "populations": list(kommun.populations.all()),
    }


def kommun_profile(kommun: Kommun) -> KommunProfile | None:
    """The kommun's investment profile with its sectors (three queries), or None if not filled in."""
    return KommunProfile.objects.filter(kommun=kommun).prefetch_related("wanted_sectors", "strong_sectors").first()


def contacts_by_role(kommun: Kommun) -> list[tuple[str, list[Contact]]]:
    """Contacts grouped in the order of Contact.Role, from the prefetched list."""
    groups: dict[str, list[Contact]] = {}
    for contact in kommun.contacts.all():
        if not contact.is_active:
            continue  # shown apart, as former contacts
        groups.setdefault(contact.role, []).append(contact)
    return [(label, groups[value]) for value, label in Contact.Role.choices if value in groups]


def _display(field, value, names: dict) -> str:
    """A recorded value as a person reads it: a related object's name, a choice's label, Ja/Nej."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), "—")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def _related_names(sources: list[tuple]) -> dict:
    """`{(model, pk): str(object)}` for every foreign key any record names: one query per related
    model, however many records and sources (deleted objects simply have no name)."""
    wanted: dict = {}
    for model, records, _label in sources:
        for field in model._meta.fields:
            if field.is_relation and field.name != "id":
                ids = {getattr(r, field.attname) for r in records} - {None}
                if ids:
                    wanted.setdefault(field.related_model, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        for obj in related._base_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def history_entries(sources: list[tuple]) -> list[dict]:
    """Every change recorded in `sources` (`(model, records, label)` triples: the model, its
    simple_history records as a list, and a function naming the object from a record), with the
    fields each change touched, newest first.

    The one helper for history pages: foreign keys read as their objects' names, choices as their
    labels and booleans as Ja/Nej. Records are paired with the previous record of the same object
    in Python and related names fetched in one query per related model, so a page's history costs
    a fixed number of queries whatever its length.
    """
    names = _related_names(sources)
    entries = []
    for model, records, label in sources:
        fields = [f for f in model._meta.fields if f.name != "id"]
        previous: dict[int, object] = {}
        for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
            before = previous.get(record.id)
            changes = []
            for field in fields:
                new = getattr(record, field.attname)
                old = getattr(before, field.attname) if before is not None else None
                if before is None and record.history_type == "+" and new in (None, ""):
                    continue
                if before is None or old != new:
                    changes.append(
                        (field.verbose_name, _display(field, old, names) if before else "", _display(field, new, names))
                    )
            previous[record.id] = record
            entries.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "type": record.history_type,
                    "model": model._meta.verbose_name,
                    "object": label(record),
                    "changes": changes if record.history_type != "-" else [],
                }
            )
    return sorted(entries, key=lambda e: e["date"], reverse=True)


def kommun_history(kommun: Kommun) -> list[dict]:
    """Every recorded change to the kommun, its memberships, contacts and populations, newest first."""
    sources = [
        (Kommun, Kommun.history.filter(id=kommun.pk), lambda r: r.name),
        (
            Membership,
            Membership.history.filter(kommun_id=kommun.pk),
            lambda r: f"{r.starts_on}–{r.ends_on or '…'}",
        ),
        (Contact, Contact.history.filter(kommun_id=kommun.pk), lambda r: r.name),
        (Population, Population.history.filter(kommun_id=kommun.pk), lambda r: str(r.year)),
    ]
    return history_entries(
        [(model, list(records.select_related("history_user")), label) for model, records, label in sources]
    )


# --- Agreement periods (staff) -------------------------------------------------------------------


def agreement_periods() -> list[AgreementPeriod]:
    """Every agreement period with `member_count` (kommuner that were members on at least one day
    of it), `joined` (of those, not members the day before it began; None for the first period)
    and `left` (not members the day after it ended). Two queries."""
    periods = list(AgreementPeriod.objects.order_by("-starts_on"))
    spans = list(Membership.objects.values_list("kommun_id", "starts_on", "ends_on"))

    def members_on(day) -> set[int]:
        return {k for k, s, e in spans if s <= day and (e is None or e >= day)}

    for index, period in enumerate(periods):
        inside = {k for k, s, e in spans if s <= period.ends_on and (e is None or e >= period.starts_on)}
        period.member_count = len(inside)
        first = index == len(periods) - 1
        period.joined = None if first else len(inside - members_on(period.starts_on - datetime.timedelta(days=1)))
        period.left = len(inside - members_on(period.ends_on + datetime.timedelta(days=1)))
    return periods


def agreement_period_page(period: AgreementPeriod) -> dict:
    """The period's memberships (who was a member, who joined or left during it) and its change
    history (two queries)."""
    memberships = list(
        Membership.objects.filter(membership_during_q(period.starts_on, period.ends_on))
        .select_related("kommun")
        .order_by("kommun__name", "starts_on")
    )
    for membership in memberships:
        membership.joined_during = membership.starts_on > period.starts_on
        membership.left_during = membership.ends_on is not None and membership.ends_on < period.ends_on
    history = history_entries(
        [
            (
                AgreementPeriod,
                list(AgreementPeriod.history.filter(id=period.pk).select_related("history_user")),
                lambda r: r.name,
            )
        ]
    )
    return {
        "memberships": memberships,
        "member_count": len({m.kommun_id for m in memberships}),
        "entries": history,
    }
