"""Delivery log (staff), notification settings (signed-in users), unsubscribe (anyone with the link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from members import access

from . import kinds, services
from .filters import MessageFilter
from .forms import NotificationSettingsForm, ResubscribeForm
from .models import Message, Unsubscribe

PAGE_SIZE = 50


@access.staff_required
def delivery_log(request: HttpRequest) -> HttpResponse:
    """Every e-mail with its status; failed ones can be sent again. Queries: session, user, count,
    one page of rows, status totals, kinds in the log (filter choices)."""
    message_filter = MessageFilter(request.GET, queryset=Message.objects.order_by("-created_at", "-pk"))
    page = Paginator(message_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for message in page.object_list:
        message.kind_label = kinds.get(message.kind).label
    totals = Message.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Message.Status.values}
    )
    status_totals = [(value, label, totals[value]) for value, label in Message.Status.choices]
    return render(
        request,
        "outbox/log.html",
        {"filter": message_filter, "page": page, "status_totals": status_totals},
    )


@require_POST
@access.staff_required
def message_resend(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    if services.message_resend(message=message, by=request.user):
        messages.success(request, _("The e-mail to %(to)s is queued again.") % {"to": message.to})
    else:
        messages.error(
            request,
            _("Only a failed e-mail can be sent again; this one is %(status)s.")
            % {"status": message.get_status_display().lower()},
        )
    return redirect(_next_or_log(request))


def _next_or_log(request: HttpRequest) -> str:
    """Back to the filtered log page the staff member came from, never off-site."""
    nxt = request.POST.get("next", "")
    # Only a path on this site (a bare word would be taken for a URL name by redirect()).
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("outbox:log")


def _audience(user) -> str:
    return kinds.STAFF if access.is_staff(user) else kinds.KOMMUN


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Each signed-in user chooses which e-mails they get; the choice is kept by address."""
    shown = kinds.for_audience(_audience(request.user))
    unsubscribed = set(Unsubscribe.objects.filter(email=request.user.email).values_list("kind", flat=True))
    form = NotificationSettingsForm(request.POST or None, kinds=shown, unsubscribed=unsubscribed)
    if request.method == "POST" and form.is_valid():
        services.subscriptions_save(email=request.user.email, chosen=form.chosen())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("outbox:settings")
    return render(request, "outbox/settings.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients POST here without a session (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (link scanners that follow links must not unsubscribe anyone);
    POST unsubscribes — from that button, or straight from the mail client's one-click header."""
    found = services.unsubscribe_token_read(token)
    if found is None:
        return render(request, "outbox/unsubscribe_invalid.html", status=404)
    email, kind = found
    context = {"email": email, "kind": kinds.get(kind), "token": token}
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        form = ResubscribeForm(request.POST)
        action = form.cleaned_data["action"] if form.is_valid() else "unsubscribe"
        subscribed = action == "resubscribe" and not one_click
        services.subscription_set(email=email, kind=kind, subscribed=subscribed, source=Unsubscribe.Source.LINK)
        return render(request, "outbox/unsubscribe_done.html", {**context, "subscribed": subscribed})
    context["unsubscribed"] = services.is_unsubscribed(email=email, kind=kind)
    return render(request, "outbox/unsubscribe.html", context)
