"""Editing a kommun's investment profile and sites: the kommun's own users and staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access
from .models import KommunProfile, Premises, Site
from .profile_forms import KommunProfileForm, PremisesForm, SiteForm
from .views import _editable_kommun


def _site_or_404(request: HttpRequest, kommun, pk: int) -> Site:
    return access.get_visible_or_404(request.user, Site.objects.filter(kommun=kommun), pk=pk)


@access.portal_user_required
def profile_edit(request: HttpRequest, code: str) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    profile = KommunProfile.objects.filter(kommun=kommun).first()
    form = KommunProfileForm(request.POST or None, instance=profile, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The investment profile is saved."))
        return redirect(kommun)
    return render(request, "members/profile_form.html", {"form": form, "kommun": kommun})


@access.portal_user_required
def site_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    site = _site_or_404(request, kommun, pk) if pk else None
    form = SiteForm(request.POST or None, instance=site, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        site = form.save()
        messages.success(request, _("Site %(name)s saved.") % {"name": site.name})
        return redirect(kommun)
    return render(request, "members/site_form.html", {"form": form, "kommun": kommun, "site": site})


@access.portal_user_required
def site_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    site = _site_or_404(request, kommun, pk)
    if request.method == "POST":
        site.delete()
        messages.success(request, _("Site %(name)s removed.") % {"name": site.name})
        return redirect(kommun)
    return render(
        request,
        "members/confirm_delete.html",
        {"kommun": kommun, "object": site, "cancel_url": kommun.get_absolute_url()},
    )


@require_POST
@access.portal_user_required
def site_confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """'Still true today': one click to keep a site from going stale."""
    kommun = _editable_kommun(request, code)
    site = _site_or_404(request, kommun, pk)
    site.last_confirmed = timezone.localdate()
    site.save(update_fields=["last_confirmed"])
    messages.success(request, _("Site %(name)s confirmed as of today.") % {"name": site.name})
    return redirect(kommun)


# --- Premises (lokaler) ---------------------------------------------------------------------------


def _premises_or_404(request: HttpRequest, kommun, pk: int) -> Premises:
    return access.get_visible_or_404(request.user, Premises.objects.filter(kommun=kommun), pk=pk)


@access.portal_user_required
def premises_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    premises = _premises_or_404(request, kommun, pk) if pk else None
    form = PremisesForm(request.POST or None, instance=premises, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        premises = form.save()
        messages.success(request, _("Premises %(name)s saved.") % {"name": premises.name})
        return redirect(kommun)
    return render(request, "members/premises_form.html", {"form": form, "kommun": kommun, "premises": premises})


@access.portal_user_required
def premises_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    kommun = _editable_kommun(request, code)
    premises = _premises_or_404(request, kommun, pk)
    if request.method == "POST":
        premises.delete()
        messages.success(request, _("Premises %(name)s removed.") % {"name": premises.name})
        return redirect(kommun)
    return render(
        request,
        "members/confirm_delete.html",
        {"kommun": kommun, "object": premises, "cancel_url": kommun.get_absolute_url()},
    )


@require_POST
@access.portal_user_required
def premises_confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """'Still true today' for premises, as for a site."""
    kommun = _editable_kommun(request, code)
    premises = _premises_or_404(request, kommun, pk)
    premises.last_confirmed = timezone.localdate()
    premises.save(update_fields=["last_confirmed"])
    messages.success(request, _("Premises %(name)s confirmed as of today.") % {"name": premises.name})
    return redirect(kommun)
