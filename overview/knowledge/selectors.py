"""Which good examples a user sees: everyone in the portal the published ones; a kommun user also
its own kommun's unpublished ones; staff all."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from members import access

from .models import GoodExample


def examples_visible_to(user) -> QuerySet[GoodExample]:
    qs = GoodExample.objects.select_related("kommun", "contact")
    if access.is_staff(user):
        return qs
    if not access.is_kommun_user(user):
        return qs.none()
    return qs.filter(Q(status=GoodExample.Status.PUBLISHED) | Q(kommun_id=access.kommun_id_of(user)))


def search(
    user, *, q: str = "", area: str = "", criterion: int | None = None, kommun: str = ""
) -> QuerySet[GoodExample]:
    qs = examples_visible_to(user)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(what__icontains=q) | Q(result__icontains=q) | Q(theme__icontains=q))
    if area:
        qs = qs.filter(areas__code=area)
    if criterion:
        qs = qs.filter(criteria__pk=criterion)
    if kommun:
        qs = qs.filter(kommun__code=kommun)
    return qs.prefetch_related("areas", "criteria").distinct()


def groups_visible_to(user) -> QuerySet:
    """Every portal user sees which groups exist and who is in them (whom to learn from)."""
    from .models import ExchangeGroup

    if not (access.is_staff(user) or access.is_kommun_user(user)):
        return ExchangeGroup.objects.none()
    return ExchangeGroup.objects.prefetch_related("kommuner")


def group_meetings_visible_to(user, group) -> QuerySet:
    """The group's meetings, as the dialog log shows them: staff all, a kommun user those their
    kommun took part in."""
    return access.scope_to_kommun(user, group.meetings.all(), "kommuner").order_by("-date", "-pk")
