"""SBA's activities: staff record them; a kommun user sees those its kommun takes part in."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members import access

from . import selectors
from .forms import ActivityForm
from .models import Activity


@access.portal_user_required
def activity_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.activity_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "overview/activities/list.html",
        {"page": page, "upcoming": selectors.upcoming(user=request.user), "is_staff": access.is_staff(request.user)},
    )


@access.portal_user_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_page(user=request.user, pk=pk)
    is_staff = access.is_staff(request.user)
    return render(
        request,
        "overview/activities/detail.html",
        {
            "activity": activity,
            "is_staff": is_staff,
            "kommuner": activity.kommuner.order_by("name"),
            "inquiries": activity.inquiries.order_by("-pk") if is_staff else None,
        },
    )


@access.staff_required
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk) if pk else None
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.created_by_id is None:
            saved.created_by = request.user
        saved.save()
        form.save_m2m()
        messages.success(request, _("The activity is saved."))
        return redirect(saved)
    return render(request, "overview/activities/form.html", {"form": form, "activity": activity})
