"""Reports: the member value report (for a kommun's politicians) and the region report (KPI targets)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members import access, pdf
from members.models import Kommun

from . import region, value_report
from .periods import parse_period, report_day, report_periods


@access.portal_user_required
def report_index(request: HttpRequest) -> HttpResponse:
    if not access.is_staff(request.user):
        return redirect("overview:reports:kommun", code=request.user.kommun.code)
    members = Kommun.objects.members().select_related("lan").order_by("name")
    return render(request, "overview/reports/index.html", {"members": members, "periods": report_periods()})


def _pdf_response(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.render_pdf(render_to_string(template, context, request=request)), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _kommun_report(request: HttpRequest, code: str, *, as_pdf: bool) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    periods = report_periods()
    period = parse_period(request.GET.get("period", ""), periods)
    if period is None:
        messages.error(request, _("That period is unknown. Showing the current agreement period."))
        return redirect(reverse("overview:reports:kommun", args=[kommun.code]))
    sections = value_report.value_report(kommun, period)
    context = {
        "kommun": kommun,
        "period": period,
        "periods": periods,
        "sections": sections,
        "key_figures": value_report.key_figures(sections),
        "as_of": report_day(period),
        "today": timezone.localdate(),
    }
    if as_pdf:
        name = _("member-value-report")  # the file's name, in the user's language
        filename = f"sba-{name}-{slugify(kommun.name)}-{period.key}.pdf"
        return _pdf_response(request, "overview/reports/kommun_pdf.html", context, filename)
    return render(request, "overview/reports/kommun.html", context)


@access.portal_user_required
def report_kommun(request: HttpRequest, code: str) -> HttpResponse:
    """The member value report: one printable page, for the kommun's own politicians."""
    return _kommun_report(request, code, as_pdf=False)


@access.portal_user_required
def report_kommun_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The member value report as a PDF file (the same content and the same access as the page)."""
    return _kommun_report(request, code, as_pdf=True)


def _region_report(request: HttpRequest, *, as_pdf: bool) -> HttpResponse:
    periods = [p for p in report_periods() if p.key.startswith("period-")]
    period = parse_period(request.GET.get("period", ""), periods)
    if period is None:
        messages.error(request, _("That period is unknown. Showing the current agreement period."))
        return redirect("overview:reports:region")
    context = {"period": period, "periods": periods, "today": timezone.localdate(), **region.region_report(period)}
    if as_pdf:
        name = _("region-report")
        filename = f"sba-{name}-{period.key}.pdf"
        return _pdf_response(request, "overview/reports/region_pdf.html", context, filename)
    return render(request, "overview/reports/region.html", context)


@access.portal_user_required
def report_region(request: HttpRequest) -> HttpResponse:
    """The agreement period's KPI targets against the actual figures (region totals only)."""
    return _region_report(request, as_pdf=False)


@access.portal_user_required
def report_region_pdf(request: HttpRequest) -> HttpResponse:
    """The region report as a PDF file."""
    return _region_report(request, as_pdf=True)
