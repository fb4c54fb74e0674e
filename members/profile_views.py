"""Editing a kommun's investment profile and sites: the kommun's own users and staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access
from .models import KommunProfile, Site
from .profile_forms import KommunProfileForm, SiteForm
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
