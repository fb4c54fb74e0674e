"""Kommun facts: the fact sheets (a kommun's, the region's; on screen, printable, as PDF, and shared
by a revocable link), the staff's import and edits. Thin: parse, call, render."""

from __future__ import annotations

import hashlib
import json
import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, facts, services
from .fact_import import parse
from .models import FactSheetLink, Kommun, KommunFact
from .profile_forms import FactImportForm, KommunFactForm

SESSION_KEY = "fact_import_pending"
MAX_PENDING_ROWS = 20_000


def _sheet_context(request: HttpRequest, kommun: Kommun | None, *, shared: bool = False) -> dict:
    context = {**facts.fact_sheet(kommun), "shared": shared}
    if not shared and request.user.is_authenticated:
        context["can_share"] = _can_share(request.user, kommun)
        if context["can_share"]:
            context["links"] = list(
                FactSheetLink.objects.filter(kommun=kommun, revoked_at__isnull=True).select_related("created_by")
            )
        context["can_edit_facts"] = access.is_staff(request.user)
        if kommun is not None and context["can_edit_facts"]:
            context["all_facts"] = facts.kommun_facts(kommun)
            context["fact_labels"] = {f.key: f.label for f in facts.FACTS}
    return context


def _can_share(user, kommun: Kommun | None) -> bool:
    return access.is_staff(user) if kommun is None else access.can_edit_kommun(user, kommun)


def _pdf_response(request: HttpRequest, context: dict, filename: str) -> HttpResponse:
    from .pdf import render_pdf

    html = render_to_string("members/facts/sheet_print.html", {**context, "for_pdf": True}, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


@access.portal_user_required
def fact_sheet(request: HttpRequest, code: str) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    return render(request, "members/facts/sheet.html", _sheet_context(request, kommun))


@access.portal_user_required
def fact_sheet_pdf(request: HttpRequest, code: str) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    return _pdf_response(request, _sheet_context(request, kommun, shared=True), f"faktablad-{kommun.code}")


@access.portal_user_required
def region_sheet(request: HttpRequest) -> HttpResponse:
    return render(request, "members/facts/sheet.html", _sheet_context(request, None))


@access.portal_user_required
def region_sheet_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf_response(request, _sheet_context(request, None, shared=True), "faktablad-sba-regionen")


# --- Share links ------------------------------------------------------------------------------------


def _link_or_404(token: str) -> FactSheetLink:
    link = FactSheetLink.objects.select_related("kommun").filter(token=token, revoked_at__isnull=True).first()
    if link is None:
        raise Http404
    return link


def shared_sheet(request: HttpRequest, token: str) -> HttpResponse:
    """The public part of a fact sheet (the facts only), for anyone holding an unrevoked link."""
    link = _link_or_404(token)
    if request.GET.get("format") == "pdf":
        return _pdf_response(request, _sheet_context(request, link.kommun, shared=True), "faktablad")
    return render(request, "members/facts/sheet.html", {**_sheet_context(request, link.kommun, shared=True)})


@require_POST
@access.portal_user_required
def share_create(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("kommun", "")
    kommun = access.get_kommun_or_404(request.user, code) if code else None
    if not _can_share(request.user, kommun):
        raise Http404
    FactSheetLink.objects.create(kommun=kommun, token=secrets.token_urlsafe(32), created_by=request.user)
    messages.success(request, _("A share link was made. Anyone with it can read the fact sheet until you revoke it."))
    return redirect(_sheet_url(kommun))


@require_POST
@access.portal_user_required
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FactSheetLink.objects.select_related("kommun"), pk=pk, revoked_at__isnull=True)
    if link.kommun is not None:
        access.get_kommun_or_404(request.user, link.kommun.code)
    if not _can_share(request.user, link.kommun):
        raise Http404
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    messages.success(request, _("The share link was revoked: it no longer opens the fact sheet."))
    return redirect(_sheet_url(link.kommun))


def _sheet_url(kommun: Kommun | None) -> str:
    return reverse("members:fact_sheet", args=[kommun.code]) if kommun else reverse("members:region_sheet")


# --- Staff: edit and import ---------------------------------------------------------------------------


@access.staff_required
def fact_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    fact = get_object_or_404(KommunFact, kommun=kommun, pk=pk) if pk else None
    form = KommunFactForm(request.POST or None, instance=fact, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The fact is saved."))
        return redirect("members:fact_sheet", kommun.code)
    return render(request, "members/facts/fact_form.html", {"form": form, "kommun": kommun, "fact": fact})


@access.staff_required
def fact_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing stored) → confirm. The previewed rows are kept in the session
    under the file's digest, so what is confirmed is exactly what was previewed."""
    pending: dict = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and request.POST.get("action") == "confirm":
        entry = pending.pop(request.POST.get("digest", ""), None)
        request.session[SESSION_KEY] = pending
        if entry is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("members:fact_import")
        parsed = _parsed_from_session(entry)
        report = services.facts_import(parsed=parsed, file_name=entry["file_name"])
        if report.ok:
            messages.success(request, report.summary())
            return redirect("members:fact_import")
        return render(request, "members/facts/import.html", {"form": FactImportForm(), "report": report})

    form = FactImportForm(request.POST or None, request.FILES or None)
    report = digest = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        chosen = facts.BY_KEY.get(form.cleaned_data["fact"] or "")
        parsed = parse(content, upload.name, chosen=chosen, source=form.cleaned_data["source"])
        report = services.facts_import(parsed=parsed, file_name=upload.name, dry_run=True)
        if report.ok and (report.created or report.updated) and len(parsed.rows) <= MAX_PENDING_ROWS:
            digest = hashlib.sha256(content + form.cleaned_data["source"].encode()).hexdigest()[:32]
            pending[digest] = {"file_name": upload.name, "layout": parsed.layout, "rows": _rows_for_session(parsed)}
            request.session[SESSION_KEY] = dict(list(pending.items())[-3:])
    return render(request, "members/facts/import.html", {"form": form, "report": report, "digest": digest})


def _rows_for_session(parsed) -> str:
    return json.dumps([[r["code"], r["key"], r["year"], str(r["value"]), r["source"], r["row"]] for r in parsed.rows])


def _parsed_from_session(entry: dict):
    from decimal import Decimal

    from .fact_import import ParsedFacts

    rows = [
        {"code": code, "key": key, "year": year, "value": Decimal(value), "source": source, "row": row}
        for code, key, year, value, source, row in json.loads(entry["rows"])
    ]
    return ParsedFacts(rows=rows, layout=entry["layout"])
