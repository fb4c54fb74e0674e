"""NKI pages. Thin: read the query (forms.NkiQuery), call one selector or service, render or export
(the tables in exports).

NKI results are public in Sweden, so every portal user (staff and every kommun user) sees every
kommun's results (`@access.portal_user_required`); importing is for staff only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from members import access, cache
from members.cache import Topic
from members.models import Kommun

from . import charts, constants, exports, selectors, services
from .forms import NkiQuery, UploadForm
from .models import NkiImport, ServiceArea

SESSION_KEY = "nki_pending_uploads"
OVERVIEW_PARAMETERS = {"year", "scope", "lan", "size", "sort"}


# --- Overview ------------------------------------------------------------------------------------


@access.portal_user_required
def index(request: HttpRequest) -> HttpResponse:
    """Overview for a year: kommuner × areas with grade bands, SBA and national average, rank in SBA."""
    # SBA's own members first; "all" adds the rest of the country (the national benchmark).
    query = NkiQuery(request.GET)
    params = query.overview_params()
    if (fmt := query.values["export"]) and (data := selectors.overview(**params)).year:
        return exports.download(fmt, exports.overview_table(data))
    years = selectors.years_with_results()
    data = SimpleLazyObject(lambda: selectors.overview(**params))
    # The table is the same for everyone asking with the same filters: cached until the next NKI or
    # register write (or midnight, when membership by date may change); the selector runs on a miss.
    return render(
        request,
        "nki/index.html",
        {
            "year": params["year"] if params["year"] in years else selectors.default_year(years),
            "data": data,
            "chart": lambda: charts.overview_chart(data),
            **cache.fragment(
                "nki-overview",
                request.GET.urlencode(),
                topics=(Topic.NKI, Topic.REGISTER),
                by_date=True,
                cacheable=set(request.GET) <= OVERVIEW_PARAMETERS,
            ),
            "query": query,
            "scope": params["scope"],
            "size": params["size"],
            "lan": params["lan"],
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
    query = NkiQuery(request.GET)
    if fmt := query.values["export"]:
        return exports.download(fmt, exports.kommun_table(kommun, selectors.kommun_nki(kommun=kommun)))
    all_years = query.values["years"] == "all"
    last_years = None if all_years else constants.KOMMUN_PAGE_YEARS
    data = SimpleLazyObject(lambda: selectors.kommun_nki(kommun=kommun, last_years=last_years))

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
            "query": query,
            "chart": chart,
            **cache.fragment(
                "nki-kommun",
                kommun.pk,
                query.values["years"],
                topics=(Topic.NKI, Topic.REGISTER),
                by_date=True,
                cacheable=set(request.GET) <= {"years"},
            ),
            "all_years": all_years,
            "page_years": constants.KOMMUN_PAGE_YEARS,
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
    query = NkiQuery(request.GET)
    data = selectors.area_page(area=service_area, year=query.values["year"], scope=query.values["scope"])
    if (fmt := query.values["export"]) and data.year:
        return exports.download(fmt, exports.area_table(data, query.values["table"]))
    return render(
        request,
        "nki/area.html",
        {
            "data": data,
            "query": query,
            "nav_areas": selectors.areas_with_results(),
            "thresholds": constants,
            "factors": constants.FACTORS,
            "chart": charts.area_chart(data, data.rows) if data.year else None,
        },
    )


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
