"""Staff overview, maturity, dialog log and reports. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access, cache
from members.models import Kommun

from . import selectors, services
from .forms import AssessmentForm, DialogEntryForm, DialogFilterForm, FollowUpForm
from .models import DialogEntry, DialogKind, FollowUp, Level, MaturityCriterion, Track
from .registry import map_measures, overview_panel_topics, overview_panels

# --- Staff overview ------------------------------------------------------------------------------


@access.staff_required
def index(request: HttpRequest) -> HttpResponse:
    """Staff start page: today's work first (follow-ups, members not met), then the region."""
    measures = map_measures()
    measure_key = request.GET.get("measure", "")
    measure = next((m for m in measures if m.key == measure_key), measures[0])
    panel_topics = overview_panel_topics()
    # Both parts are the same for all staff: each is cached until a write to what it is built from
    # (or midnight) and computed only on a miss. A panel or map measure that does not name its
    # topics keeps its part live.
    work = SimpleLazyObject(
        lambda: {
            **selectors.staff_overview(),
            "panels": [(p.template, ctx) for p in overview_panels() if (ctx := p.context(request)) is not None],
        }
    )
    region = SimpleLazyObject(lambda: {**selectors.region_figures(), **selectors.region_map(measure_key=measure_key)})
    return render(
        request,
        "overview/index.html",
        {
            "work": work,
            "work_fragment": cache.fragment(
                "staff-work",
                topics=("dialog", "users", "register", *(panel_topics or ())),
                by_date=True,
                cacheable=panel_topics is not None,
            ),
            "region": region,
            "region_fragment": cache.fragment(
                "staff-region",
                measure.key,
                topics=(*selectors.REGION_TOPICS, *(measure.topics or ())),
                by_date=True,
                cacheable=measure.topics is not None
                and set(request.GET) <= {"measure"}
                and measure_key in {"", measure.key},
            ),
        },
    )


# --- Maturity ------------------------------------------------------------------------------------


@access.portal_user_required
def maturity_region(request: HttpRequest) -> HttpResponse:
    """Staff: the region's levels now and over time, and every member. A kommun user: their own page."""
    if not access.is_staff(request.user):
        return redirect("overview:maturity:kommun", code=request.user.kommun.code)
    over_time = selectors.maturity_over_time()
    return render(
        request,
        "overview/maturity_region.html",
        {
            "distribution": selectors.maturity_distribution(),
            "over_time": over_time,
            "chart": selectors.maturity_chart(over_time),
            "members": selectors.maturity_member_table(),
            "levels": [level.upper() for level in Level.values],
        },
    )


@access.portal_user_required
def maturity_kommun(request: HttpRequest, code: str) -> HttpResponse:
    kommun = access.get_kommun_or_404(request.user, code)
    return render(
        request,
        "overview/maturity_kommun.html",
        {"kommun": kommun, "tracks": selectors.kommun_maturity(kommun), "can_confirm": access.is_staff(request.user)},
    )


@access.portal_user_required
def assessment_create(request: HttpRequest, code: str, track: str) -> HttpResponse:
    """Fill in a self-assessment (kommun user for their kommun, or staff); starts from the latest answers."""
    kommun = access.get_kommun_or_404(request.user, code)
    if track not in Track.values:
        raise Http404
    criteria = list(MaturityCriterion.objects.filter(track=track, is_active=True))
    latest = selectors.latest_assessments().filter(kommun=kommun, track=track).first()
    initial = {a.criterion_id: (a.answer, a.comment) for a in latest.answers.all()} if latest else {}
    form = AssessmentForm(request.POST or None, criteria=criteria, initial_answers=initial)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_submit(
            kommun=kommun, track=track, answers=form.answers(), comment=form.cleaned_data["comment"], user=request.user
        )
        messages.success(
            request,
            _("Self-assessment saved. %(kommun)s is at level %(level)s.")
            % {"kommun": kommun.name, "level": assessment.level.upper()},
        )
        return redirect("overview:maturity:kommun", code=kommun.code)
    return render(
        request,
        "overview/assessment_form.html",
        {"kommun": kommun, "track": Track(track), "form": form, "latest": latest},
    )


@access.portal_user_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_page(user=request.user, pk=pk)
    return render(
        request,
        "overview/assessment_detail.html",
        {"assessment": assessment, "can_confirm": access.is_staff(request.user)},
    )


@require_POST
@access.staff_required
def assessment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_page(user=request.user, pk=pk)
    services.assessment_confirm(assessment=assessment, user=request.user)
    messages.success(request, _("The assessment is confirmed."))
    return redirect("overview:maturity:kommun", code=assessment.kommun.code)


# --- Dialog log ----------------------------------------------------------------------------------


@access.portal_user_required
def dialog_list(request: HttpRequest) -> HttpResponse:
    is_staff = access.is_staff(request.user)
    kommuner = access.kommuner_visible_to(request.user).order_by("name") if is_staff else []
    filters = DialogFilterForm(request.GET or None, kommuner=kommuner, kinds=DialogKind.choices)
    code = kind = ""
    if filters.is_valid():
        code, kind = filters.cleaned_data["kommun"], filters.cleaned_data["kind"]
    entries = selectors.dialog_list(user=request.user, kommun_code=code, kind=kind)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "overview/dialog_list.html", {"page": page, "filters": filters, "show_filters": is_staff})


@access.portal_user_required
def dialog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.dialog_entry_page(user=request.user, pk=pk)
    is_staff = access.is_staff(request.user)
    return render(
        request,
        "overview/dialog_detail.html",
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
    return render(request, "overview/dialog_form.html", {"form": form, "entry": entry})


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
    return render(request, "overview/follow_up_list.html", {"page": page, "mine": mine})


@access.staff_required
def contact_list(request: HttpRequest) -> HttpResponse:
    """Members sorted by days since the last contact, or since the last visit in the kommun."""
    order = "visit" if request.GET.get("order") == "visit" else "contact"
    members = list(selectors.members_by_contact(order=order))
    for kommun in members:
        kommun.days_since_contact = selectors.days_since(kommun.last_contact)
        kommun.days_since_visit = selectors.days_since(kommun.last_visit)
    return render(request, "overview/contact_list.html", {"members": members, "order": order})


# --- Reports -------------------------------------------------------------------------------------


@access.portal_user_required
def report_index(request: HttpRequest) -> HttpResponse:
    if not access.is_staff(request.user):
        return redirect("overview:reports:kommun", code=request.user.kommun.code)
    members = Kommun.objects.members().select_related("lan").order_by("name")
    return render(request, "overview/report_index.html", {"members": members, "periods": selectors.report_periods()})


@access.portal_user_required
def report_kommun(request: HttpRequest, code: str) -> HttpResponse:
    """The member value report: printable, for the kommun's own politicians."""
    kommun = access.get_kommun_or_404(request.user, code)
    periods = selectors.report_periods()
    period = selectors.parse_period(request.GET.get("period", ""), periods)
    if period is None:
        messages.error(request, _("That period is unknown. Showing the current agreement period."))
        return redirect(reverse("overview:reports:kommun", args=[kommun.code]))
    return render(
        request,
        "overview/report_kommun.html",
        {
            "kommun": kommun,
            "period": period,
            "periods": periods,
            "sections": selectors.value_report(kommun, period),
            "today": timezone.localdate(),
        },
    )


@access.portal_user_required
def report_region(request: HttpRequest) -> HttpResponse:
    """The agreement period's KPI targets against the actual figures (region totals only)."""
    periods = [p for p in selectors.report_periods() if p.key.startswith("period-")]
    period = selectors.parse_period(request.GET.get("period", ""), periods)
    if period is None:
        messages.error(request, _("That period is unknown. Showing the current agreement period."))
        return redirect("overview:reports:region")
    return render(
        request,
        "overview/report_region.html",
        {"period": period, "periods": periods, **selectors.region_report(period)},
    )
