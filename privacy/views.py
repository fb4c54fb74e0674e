"""The privacy pages: the register of processing (staff), one person's data (staff: search and
export; administrators: correct and erase), retention and the audit log (administrators)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access, tabular

from . import register, selectors, services
from .forms import CorrectForm, EraseForm, SearchForm
from .models import PrivacyAction, RetentionRule

PAGE_SIZE = 50


@access.staff_required
def register_page(request: HttpRequest) -> HttpResponse:
    """The register of processing, generated from the models' marks; ?export=csv|xlsx downloads it.
    Queries: session, user (none for the register itself: it is read from the code)."""
    rows = register.rows()
    fmt = request.GET.get("export")
    if fmt in tabular.FORMATS:
        return tabular.table_response(
            fmt, f"register-of-processing-{timezone.localdate().isoformat()}", list(register.REGISTER_HEADERS), rows
        )
    return render(request, "privacy/register.html", {"headers": register.REGISTER_HEADERS, "rows": rows})


@access.staff_required
def people(request: HttpRequest) -> HttpResponse:
    """Search contacts and users by part of a name or e-mail address. Queries: session, user,
    contacts, users (a fixed number; at most 50 of each)."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.people_search(term=form.cleaned_data["q"])
    return render(request, "privacy/people.html", {"form": form, "results": results})


def _person_url(term: str) -> str:
    return reverse("privacy:person") + "?" + urlencode({"q": term})


@access.staff_required
def person(request: HttpRequest) -> HttpResponse:
    """Everything held about one person (exact e-mail or full name), in every table, history and
    outbox included; ?export=json|csv downloads it (audited). Queries: session, user, contacts,
    users, one per table with personal fields."""
    term = request.GET.get("q", "")
    found = selectors.person_find(term=term)
    tables = selectors.person_data(person=found)
    fmt = request.GET.get("export")
    if fmt in ("json", "csv") and found.found:
        services.person_export_record(person=found, actor=request.user, tables=tables)
        stem = f"personal-data-{timezone.localdate().isoformat()}"
        if fmt == "json":
            body = {
                "term": found.term,
                "exported_at": timezone.now().isoformat(),
                "tables": {t.label: t.rows for t in tables},
            }
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False, indent=2, default=str), content_type="application/json"
            )
            response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
            return response
        rows = [
            [t.name, t.label, row[t.columns[0]], column, "" if row[column] is None else str(row[column])]
            for t in tables
            for row in t.rows
            for column in t.columns[1:]
        ]
        headers = [_("Table"), _("Table (code)"), _("Row"), _("Field"), _("Value")]
        return tabular.table_response("csv", stem, headers, rows)
    context = {
        "term": term,
        "person": found,
        "tables": tables,
        "is_admin": access.is_admin(request.user),
        "correct_form": CorrectForm(initial={"q": term}),
        "erase_form": EraseForm(initial={"q": term}),
    }
    return render(request, "privacy/person.html", context)


@require_POST
@access.admin_required
def person_erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    term = request.POST.get("q", "")
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure; nothing was erased."))
        return redirect(_person_url(term))
    try:
        action = services.person_erase(person=selectors.person_find(term=form.cleaned_data["q"]), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_person_url(term))
    messages.success(
        request, _("Erased: %(n)d rows changed or removed. The audit log records it.") % {"n": action.total}
    )
    return redirect("privacy:people")


@require_POST
@access.admin_required
def person_correct(request: HttpRequest) -> HttpResponse:
    form = CorrectForm(request.POST)
    term = request.POST.get("q", "")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_person_url(term))
    correction = services.Correction(
        name=form.cleaned_data["name"], email=form.cleaned_data["email"], phone=form.cleaned_data["phone"]
    )
    try:
        services.person_correct(person=selectors.person_find(term=term), actor=request.user, correction=correction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_person_url(term))
    messages.success(request, _("Corrected. The history and the audit log record it."))
    return redirect(_person_url(correction.email or correction.name or term))


@access.admin_required
def retention(request: HttpRequest) -> HttpResponse:
    """The rules and what the next run would remove (the dry run). Queries: session, user, rules
    (twice), one count per rule and table."""
    plan = services.retention_plan()
    rules = list(RetentionRule.objects.all())
    return render(request, "privacy/retention.html", {"plan": plan, "rules": rules})


@require_POST
@access.admin_required
def retention_run(request: HttpRequest) -> HttpResponse:
    done = services.retention_apply(actor=request.user)
    messages.success(request, _("Retention applied: %(n)d rows removed or blanked.") % {"n": done.total})
    return redirect("privacy:retention")


@access.admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every privacy action, newest first. Queries: session, user, count, one page with its actors."""
    actions = PrivacyAction.objects.select_related("actor").order_by("-at", "-pk")
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/audit.html", {"page": page})
