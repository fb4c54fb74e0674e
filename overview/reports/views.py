"""Reports: the member value report (for a kommun's politicians) and the region report (KPI targets)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Kommun

from . import region, value_report
from .periods import parse_period, report_periods


@access.portal_user_required
def report_index(request: HttpRequest) -> HttpResponse:
    if not access.is_staff(request.user):
        return redirect("overview:reports:kommun", code=request.user.kommun.code)
    members = Kommun.objects.members().select_related("lan").order_by("name")
    return render(request, "overview/reports/index.html", {"members": members, "periods": report_periods()})


@access.portal_user_required
def report_kommun(request: HttpRequest, code: str) -> HttpResponse:
    """The member value report: printable, for the kommun's own politicians."""
    kommun = access.get_kommun_or_404(request.user, code)
    periods = report_periods()
    period = parse_period(request.GET.get("period", ""), periods)
    if period is None:
        messages.error(request, _("That period is unknown. Showing the current agreement period."))
        return redirect(reverse("overview:reports:kommun", args=[kommun.code]))
    return render(
        request,
        "overview/reports/kommun.html",
        {
            "kommun": kommun,
            "period": period,
            "periods": periods,
            "sections": value_report.value_report(kommun, period),
            "today": timezone.localdate(),
        },
    )


@access.portal_user_required
def report_region(request: HttpRequest) -> HttpResponse:
    """The agreement period's KPI targets against the actual figures (region totals only)."""
    periods = [p for p in report_periods() if p.key.startswith("period-")]
    period = parse_period(request.GET.get("period", ""), periods)
    if period is None:
        messages.error(request, _("That period is unknown. Showing the current agreement period."))
        return redirect("overview:reports:region")
    return render(
        request,
        "overview/reports/region.html",
        {"period": period, "periods": periods, **region.region_report(period)},
    )
