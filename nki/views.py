"""NKI pages. Thin: parse the query, call one selector or service, render or export.

NKI results are public in Sweden, so every portal user (staff and every kommun user) sees every
kommun's results (`@access.portal_user_required`); importing is for staff only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members import access, cache
from members.cache import Topic
from members.models import Kommun

from . import constants, exports, selectors, services
from .forms import UploadForm
from .models import NkiImport, ServiceArea

SESSION_KEY = "nki_pending_uploads"
OVERVIEW_PARAMETERS = {"year", "scope", "lan", "size", "sort"}


def _year(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


# --- Overview ------------------------------------------------------------------------------------


@access.portal_user_required
def index(request: HttpRequest) -> HttpResponse:
    """Overview for a year: kommuner × areas with grade bands, SBA and national average, rank in SBA."""
    # SBA's own members first; "all" adds the rest of the country (the national benchmark).
    scope = request.GET.get("scope", "members")
    scope = scope if scope in ("members", "non_members", "all") else "members"
    size = request.GET.get("size", "")
    size = size if size in {g.code for g in constants.SIZE_GROUPS} else ""
    params = {
        "year": _year(request),
        "scope": scope,
        "lan": request.GET.get("lan", "")[:2],
        "size": size,
        "sort": request.GET.get("sort", "name")[:40] or "name",
    }
    if (fmt := request.GET.get("export")) in exports.FORMATS and (data := selectors.overview(**params)).year:
        headers = [_("Kommunkod"), _("Kommun"), _("Län"), _("SBA member"), _("Rank in SBA")]
        for area in data.areas:
            headers += [area.name, _("%(area)s, answers") % {"area": area.name}]
        rows = []
        for row in data.rows:
            line = [
                row.kommun.code,
                row.kommun.name,
                row.kommun.lan.name,
                _("yes") if row.is_member else _("no"),
                row.rank,
            ]
            for cell in row.cells:
                line += [cell.value, cell.answers]
            rows.append(line)
        for label, averages in ((_("SBA average"), data.sba), (_("National average"), data.national)):
            line = ["", label, "", "", None]
            for average in averages:
                line += [average.value, None]
            rows.append(line)
        return exports.table_response(fmt, f"nki-{data.year}", headers, rows)
    years = selectors.years_with_results()
    # The table is the same for everyone asking with the same filters: cached until the next NKI or
    # register write (or midnight, when membership by date may change); the selector runs on a miss.
    return render(
        request,
        "nki/index.html",
        {
            "year": params["year"] if params["year"] in years else next(iter(years), None),
            "data": SimpleLazyObject(lambda: selectors.overview(**params)),
            **cache.fragment(
                "nki-overview",
                request.GET.urlencode(),
                topics=(Topic.NKI, Topic.REGISTER),
                by_date=True,
                cacheable=set(request.GET) <= OVERVIEW_PARAMETERS,
            ),
            "scope": scope,
            "size": size,
            "lan": request.GET.get("lan", ""),
            "size_groups": constants.SIZE_GROUPS,
            "thresholds": constants,
            "nav_areas": selectors.areas_with_results(),
        },
    )


# --- Kommun --------------------------------------------------------------------------------------


@access.portal_user_required
def kommun(request: HttpRequest, code: str) -> HttpResponse:
    """One kommun's NKI over the years against SBA, national and similar kommuner (public data)."""
    kommun = get_object_or_404(Kommun.objects.select_related("lan"), code=code)
    if (fmt := request.GET.get("export")) in exports.FORMATS:
        data = selectors.kommun_nki(kommun=kommun)
        headers = [
            _("Area"),
            _("Year"),
            _("NKI"),
            pgettext("number of survey answers", "Answers"),
            _("Confidence interval, low"),
            _("Confidence interval, high"),
            _("SBA average"),
            _("National average"),
            _("Similar kommuner"),
            pgettext("NKI difference", "Change"),
            _("Significant"),
            _("Method break"),
        ]
        rows = []
        for trend in data.trends:
            for p in trend.points:
                significant = (
                    ""
                    if p.change is None or p.change.significant is None
                    else (_("yes") if p.change.significant else _("no"))
                )
                rows.append(
                    [
                        trend.area.name,
                        p.year,
                        p.cell.value,
                        p.cell.answers,
                        p.interval.low if p.interval else None,
                        p.interval.high if p.interval else None,
                        p.sba.value,
                        p.national.value,
                        p.similar.value,
                        p.change.delta if p.change else None,
                        significant,
                        p.method_break.description if p.method_break else "",
                    ]
                )
        return exports.table_response(fmt, f"nki-{kommun.code}", headers, rows)
    data = SimpleLazyObject(lambda: selectors.kommun_nki(kommun=kommun))

    def chart() -> dict:  # called by the template only when the fragment is not cached
        labels = {
            "sba": _("SBA average"),
            "national": _("National average"),
            "similar": _("Similar kommuner"),
            "break": _("Method break"),
        }
        return selectors.chart_data(data, labels)

    # The same for every reader: cached until the next NKI or register write, or midnight.
    return render(
        request,
        "nki/kommun.html",
        {
            "data": data,
            "kommun": kommun,
            "chart": chart,
            **cache.fragment(
                "nki-kommun", kommun.pk, topics=(Topic.NKI, Topic.REGISTER), by_date=True, cacheable=not request.GET
            ),
            "thresholds": constants,
            "nav_areas": selectors.areas_with_results(),
        },
    )


# --- Area ----------------------------------------------------------------------------------------


@access.portal_user_required
def area(request: HttpRequest, code: str) -> HttpResponse:
    """One area and year: all kommuner, which service factors go with a high NKI, biggest improvers.

    The improvers' NKI contacts (name and e-mail, NKI role only) are shown to every portal user,
    kommun users included, although contacts are otherwise kommun-private: the issue asks for them
    "so a kommun knows whom to call". See selectors.improvers.
    """
    service_area = get_object_or_404(ServiceArea, code=code)
    data = selectors.area_page(area=service_area, year=_year(request))
    if (fmt := request.GET.get("export")) in exports.FORMATS and data.year:
        return _area_export(fmt, data, request.GET.get("table", ""))
    return render(
        request,
        "nki/area.html",
        {
            "data": data,
            "nav_areas": selectors.areas_with_results(),
            "thresholds": constants,
            "factors": constants.FACTORS,
        },
    )


def _area_export(fmt: str, data: selectors.AreaPage, table: str) -> HttpResponse:
    name = f"nki-{data.area.code}-{data.year}"
    if table == "factors":
        headers = [_("Service factor"), "r", _("Strength"), _("Kommuner")]
        rows = [
            [
                str(c.factor.label),
                None if c.correlation.r is None else round(c.correlation.r, 3),
                str(c.strength),
                c.correlation.n,
            ]
            for c in data.correlations
        ]
        return exports.table_response(fmt, f"{name}-faktorer", headers, rows)
    if table == "improvers":
        headers = [
            _("Kommunkod"),
            _("Kommun"),
            _("From year"),
            _("NKI then"),
            _("NKI now"),
            pgettext("NKI difference", "Change"),
        ]
        headers += [_("NKI contact"), _("E-mail")]
        rows = [
            [
                i.kommun.code,
                i.kommun.name,
                i.from_year,
                i.from_value,
                i.to_value,
                i.delta,
                ", ".join(c.name for c in i.contacts),
                ", ".join(c.email for c in i.contacts if c.email),
            ]
            for i in data.improvers
        ]
        return exports.table_response(fmt, f"{name}-forbattring", headers, rows)
    headers = [
        _("Kommunkod"),
        _("Kommun"),
        _("SBA member"),
        _("Rank in SBA"),
        _("NKI"),
        pgettext("number of survey answers", "Answers"),
    ]
    headers += [str(f.label) for f in constants.FACTORS]
    rows = [
        [k.code, k.name, _("yes") if member else _("no"), rank, cell.value, cell.answers, *cell.factors]
        for k, member, cell, rank in data.rows
    ]
    return exports.table_response(fmt, name, headers, rows)


# --- Import (staff) ------------------------------------------------------------------------------


@access.staff_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing stored) → confirm. The previewed file is kept server-side under
    its hash and bound to this session, so what is confirmed is exactly what was previewed."""
    pending: dict = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and request.POST.get("action") == "confirm":
        digest = request.POST.get("digest", "")
        entry = pending.get(digest)
        content = services.nki_upload_fetch(digest=digest) if entry else None
        if content is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("nki:import")
        report = services.nki_import(
            content=content,
            file_name=entry["file_name"],
            user=request.user,
            area_code=entry["area"],
            year=entry["year"],
        )
        pending.pop(digest, None)
        request.session[SESSION_KEY] = pending
        services.nki_upload_discard(digest=digest)
        if report.ok:
            messages.success(request, report.summary())
            return redirect("nki:import")
        return render(request, "nki/import.html", _import_context(UploadForm(), report, None))

    form = UploadForm(request.POST or None, request.FILES or None)
    report = digest = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        area_code = form.cleaned_data["area"].code if form.cleaned_data["area"] else None
        year = form.cleaned_data["year"]
        report = services.nki_import(
            content=content, file_name=upload.name, user=request.user, dry_run=True, area_code=area_code, year=year
        )
        if report.ok and report.changed:
            digest = services.nki_upload_stash(content=content)
            pending[digest] = {"file_name": upload.name, "area": area_code, "year": year}
            request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
    return render(request, "nki/import.html", _import_context(form, report, digest))


def _import_context(form, report, digest) -> dict:
    return {
        "form": form,
        "report": report,
        "digest": digest,
        "imports": NkiImport.objects.select_related("imported_by")[:20],
        "factors": constants.FACTORS,
        "nav_areas": selectors.areas_with_results(),
    }
