"""The dialog log: staff record contacts with the members; a kommun sees the meetings it took part in."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access
from members.models import Kommun

from . import selectors, services
from .filters import DialogFilter
from .forms import DialogEntryForm, FollowUpForm
from .models import DialogEntry, FollowUp


@access.portal_user_required
def dialog_list(request: HttpRequest) -> HttpResponse:
    """Staff: the whole log, filtered by kommun and kind. A kommun user: the meetings it took part in."""
    entries = selectors.dialog_list(user=request.user)
    dialog_filter = None
    if access.is_staff(request.user):
        dialog_filter = DialogFilter(request.GET, queryset=entries)
        entries = dialog_filter.qs
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "overview/dialog/list.html",
        {
            "page": page,
            "filters": dialog_filter.form if dialog_filter else None,
            "show_filters": dialog_filter is not None,
        },
    )


@access.portal_user_required
def dialog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.dialog_entry_page(user=request.user, pk=pk)
    is_staff = access.is_staff(request.user)
    return render(
        request,
        "overview/dialog/detail.html",
        {
            "entry": entry,
            "is_staff": is_staff,
            "follow_up_form": FollowUpForm(initial={"owner": request.user.pk}) if is_staff else None,
        },
    )


@access.staff_required
def dialog_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    entry = get_object_or_404(DialogEntry, pk=pk) if pk else None
    initial = {}
    if entry is None:
        initial["staff"] = [request.user.pk]
        if code := request.GET.get("kommun"):
            initial["kommuner"] = list(Kommun.objects.filter(code=code).values_list("pk", flat=True))
    form = DialogEntryForm(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.dialog_entry_save(
            entry=entry,
            user=request.user,
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            kommuner=list(data["kommuner"]),
            contacts=list(data["contacts"]),
            staff=list(data["staff"]),
            notes=data["notes"],
            internal_notes=data["internal_notes"],
        )
        messages.success(request, _("Dialog entry saved."))
        return redirect(entry)
    return render(request, "overview/dialog/form.html", {"form": form, "entry": entry})


@require_POST
@access.staff_required
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(DialogEntry, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.follow_up_add(entry=entry, **form.cleaned_data)
        messages.success(request, _("Follow-up action added."))
    else:
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        messages.error(request, _("The follow-up action was not added: %(errors)s") % {"errors": errors})
    return redirect(entry)


@require_POST
@access.staff_required
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp, pk=pk)
    done = request.POST.get("done") == "1"
    services.follow_up_set_done(follow_up=follow_up, done=done)
    messages.success(request, _("Marked as done.") if done else _("Opened again."))
    next_url = request.POST.get("next", "")
    # Only a path on this site (a bare word would be taken for a URL name by redirect()).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = follow_up.entry.get_absolute_url()
    return HttpResponseRedirect(next_url)


@access.staff_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    follow_ups = selectors.follow_ups_open(owner=request.user if mine else None)
    page = Paginator(follow_ups, 50).get_page(request.GET.get("page"))
    return render(request, "overview/dialog/follow_up_list.html", {"page": page, "mine": mine})


@access.staff_required
def contact_list(request: HttpRequest) -> HttpResponse:
    """Members sorted by days since the last contact, or since the last visit in the kommun."""
    order = "visit" if request.GET.get("order") == "visit" else "contact"
    members = list(selectors.members_by_contact(order=order))
    for kommun in members:
        kommun.days_since_contact = selectors.days_since(kommun.last_contact)
        kommun.days_since_visit = selectors.days_since(kommun.last_visit)
    return render(request, "overview/dialog/contact_list.html", {"members": members, "order": order})
