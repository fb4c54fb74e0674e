"""The one place that decides what a user may see and edit.

Every view, export, digest and API fetches kommun-owned objects through these functions, so a list
and a detail page can never disagree. An outsider gets Http404 — never a glimpse, never a 403 that
confirms the object exists.

Rules:
- anonymous: nothing (views send them to sign in first);
- staff (Invest Stockholm, or a superuser): everything;
- kommun user: only objects of their own kommun;
- an inactive user: nothing.

Feature apps call `scope_to_kommun(user, queryset, "path__to__kommun")` for their own kommun-owned
models, so the rule for "whose is this" is written once, here. The path may cross a many-to-many
relation (a dialog entry's "kommuner"): the entry is then the kommun's when the kommun is one of
them.

One named exception: `public_nki_contacts()` — the NKI contact of a kommun (name and e-mail only)
is shown to every portal user beside that kommun's published NKI results, so a kommun knows whom
to call about a result. Nothing else of a contact is public.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from .models import Contact, Kommun, Responsibility, User

security_log = logging.getLogger("sba_portal.security")

M = TypeVar("M", bound=Model)


def is_staff(user) -> bool:
    """Invest Stockholm staff: sees and edits everything in the portal."""
    return bool(user.is_authenticated and user.is_active and (user.role == User.Role.STAFF or user.is_superuser))


def is_kommun_user(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.KOMMUN and user.kommun_id)


def kommun_id_of(user) -> int | None:
    """The kommun a kommun user belongs to; None for staff and everybody else."""
    return user.kommun_id if is_kommun_user(user) else None


def scope_to_kommun(user, queryset: QuerySet[M], kommun_path: str = "kommun") -> QuerySet[M]:
    """Restrict any kommun-owned queryset to what `user` may see.

    `kommun_path` is the lookup from the model to its Kommun ("kommun", "dispatch__kommun", or a
    many-to-many such as "kommuner": then a row is visible when the user's kommun is among them;
    one kommun per row of the relation, so no row is repeated).
    """
    if is_staff(user):
        return queryset
    kommun_id = kommun_id_of(user)
    if kommun_id is None:
        return queryset.none()
    lookup = "pk" if kommun_path in ("", "self") else kommun_path
    return queryset.filter(**{lookup: kommun_id})


def get_visible_or_404(user, queryset: QuerySet[M], kommun_path: str = "kommun", **lookup) -> M:
    """Fetch one object from `queryset` if `user` may see it; Http404 otherwise (logged)."""
    try:
        return scope_to_kommun(user, queryset, kommun_path).get(**lookup)
    except queryset.model.DoesNotExist:
        security_log.info(
            "access refused or missing: user=%s model=%s lookup=%s",
            getattr(user, "pk", None),
            queryset.model._meta.label,
            lookup,
        )
        raise Http404 from None


# --- Kommuner and contacts -----------------------------------------------------------------------


def kommuner_visible_to(user) -> QuerySet[Kommun]:
    """Kommun pages (contacts, profile, membership): staff see all, a kommun user their own."""
    return scope_to_kommun(user, Kommun.objects.all(), "self")


def get_kommun_or_404(user, code: str) -> Kommun:
    return get_visible_or_404(user, Kommun.objects.select_related("lan"), "self", code=code)


def can_see_kommun(user, kommun: Kommun) -> bool:
    """Staff see every kommun; a kommun user their own (as kommuner_visible_to)."""
    return is_staff(user) or (kommun_id_of(user) is not None and kommun_id_of(user) == kommun.pk)


def can_edit_kommun(user, kommun: Kommun) -> bool:
    """Staff edit every kommun; a kommun user edits their own kommun's contacts and profile."""
    return is_staff(user) or kommun_id_of(user) == kommun.pk


def contacts_visible_to(user) -> QuerySet[Contact]:
    return scope_to_kommun(user, Contact.objects.select_related("kommun"))


def get_contact_or_404(user, kommun: Kommun, pk: int) -> Contact:
    return get_visible_or_404(user, Contact.objects.filter(kommun=kommun), pk=pk)


def public_nki_contacts(kommun_ids) -> QuerySet[Contact]:
    """The one exception to "contacts are the kommun's own": the NKI contacts of these kommuner,
    for every portal user, beside the kommuner's published NKI results (the NKI area page's
    improvers, so a kommun knows whom to call): whoever holds the NKI responsibility. Only name and
    e-mail are loaded: no other role, no phone or notes. Primary first."""
    return (
        Contact.objects.active()
        .filter(kommun_id__in=list(kommun_ids))
        .holding(Responsibility.NKI)
        .only("kommun_id", "name", "email", "is_primary", "role", "holds_nki")
        .order_by("-is_primary", "name")
    )


def client_address(request) -> str | None:
    """The visitor's address, for every limit and log line (django-axes uses it too).

    Behind settings.PROXY_COUNT reverse proxies (BEHIND_PROXY: one), each appending the address it
    saw to X-Forwarded-For, the visitor is the PROXY_COUNT-th entry from the right; what a client
    writes into the header itself stands further left and is never trusted. Without proxies, or
    when the header is shorter than the chain (a request that bypassed the proxy), REMOTE_ADDR.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.PROXY_COUNT
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote


# --- View decorators -----------------------------------------------------------------------------


def staff_required(view: Callable) -> Callable:
    """Sign-in required; then anyone but staff gets 404, as for an object they may not see."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_staff(request.user):
            security_log.info(
                "staff page refused: user=%s path=%s ip=%s",
                request.user.pk,
                request.path,
                client_address(request),
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def is_admin(user) -> bool:
    """A portal administrator: staff with the superuser flag (erasure, correction, retention)."""
    return is_staff(user) and bool(user.is_superuser)


def admin_required(view: Callable) -> Callable:
    """Sign-in required; then anyone but an administrator gets 404 (staff included)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_admin(request.user):
            security_log.info(
                "admin page refused: user=%s path=%s ip=%s", request.user.pk, request.path, client_address(request)
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def portal_user_required(view: Callable) -> Callable:
    """Sign-in required, and the user must be staff or a kommun user (not a bare admin account)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not (is_staff(request.user) or is_kommun_user(request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
