from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access
from members.models import Kommun

from . import selectors, services
from .forms import ExampleForm, GroupForm, MeetingForm, SearchForm
from .models import ExchangeGroup, GoodExample


@access.portal_user_required
def example_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    # Queries: count, the page with kommun and contact, its areas, its criteria.
    examples = selectors.search(
        request.user,
        q=values.get("q") or "",
        area=values.get("area") or "",
        criterion=values.get("criterion"),
        kommun=values.get("kommun") or "",
    ).order_by("kommun__name", "title")
    page = Paginator(examples, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "overview/knowledge/list.html",
        {"form": form, "page": page, "can_write": access.is_staff(request.user) or access.is_kommun_user(request.user)},
    )


def _example_or_404(request: HttpRequest, pk: int) -> GoodExample:
    try:
        return selectors.examples_visible_to(request.user).get(pk=pk)
    except GoodExample.DoesNotExist:
        raise Http404 from None


@access.portal_user_required
def example_detail(request: HttpRequest, pk: int) -> HttpResponse:
    example = _example_or_404(request, pk)
    return render(
        request,
        "overview/knowledge/detail.html",
        {
            "example": example,
            "areas": list(example.areas.all()),
            "criteria": list(example.criteria.all()),
            "can_edit": access.can_edit_kommun(request.user, example.kommun),
            "is_staff": access.is_staff(request.user),
        },
    )


@access.portal_user_required
def example_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        example = access.get_visible_or_404(request.user, GoodExample.objects.select_related("kommun"), pk=pk)
    else:
        example = GoodExample()
    kommun = None
    if not access.is_staff(request.user):
        kommun = Kommun.objects.get(pk=access.kommun_id_of(request.user))
    form = ExampleForm(request.POST or None, instance=example, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        example = form.save(commit=False)
        if kommun is not None:
            example.kommun = kommun
        services.example_save(
            example=example,
            by=request.user,
            m2m={"areas": form.cleaned_data["areas"], "criteria": form.cleaned_data["criteria"]},
        )
        messages.success(
            request,
            _("Saved.")
            if access.is_staff(request.user)
            else _("Saved. Invest Stockholm reviews it before the other kommuner see it."),
        )
        return redirect(example)
    return render(request, "overview/knowledge/form.html", {"form": form, "example": example if pk else None})


@access.staff_required
@require_POST
def example_review(request: HttpRequest, pk: int) -> HttpResponse:
    example = access.get_visible_or_404(request.user, GoodExample.objects.all(), pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("publish", "return"):
        messages.error(request, _("Choose to publish the example or to return it."))
        return redirect(example)
    services.example_review(
        example=example, by=request.user, publish=decision == "publish", note=request.POST.get("note", "")[:2000]
    )
    messages.success(request, _("Published.") if decision == "publish" else _("Returned to the kommun."))
    return redirect(example)


# --- Groups --------------------------------------------------------------------------------------


@access.portal_user_required
def group_list(request: HttpRequest) -> HttpResponse:
    # Queries: the groups, their kommuner (one prefetch).
    groups = list(selectors.groups_visible_to(request.user))
    return render(request, "overview/knowledge/group_list.html", {"groups": groups})


@access.portal_user_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        group = selectors.groups_visible_to(request.user).get(pk=pk)
    except ExchangeGroup.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "overview/knowledge/group_detail.html",
        {
            "group": group,
            "kommuner": list(group.kommuner.all()),
            "meetings": list(selectors.group_meetings_visible_to(request.user, group)),
            "form": MeetingForm() if access.is_staff(request.user) else None,
        },
    )


@access.staff_required
def group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    group = get_object_or_404(ExchangeGroup, pk=pk) if pk else None
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Group saved."))
        return redirect(group)
    return render(request, "overview/knowledge/group_form.html", {"form": form, "group": group})


@access.staff_required
@require_POST
def group_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(ExchangeGroup, pk=pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        services.group_meeting_record(group=group, by=request.user, **form.cleaned_data)
        messages.success(request, _("Meeting recorded in the dialog log of each kommun in the group."))
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("The meeting was not recorded: %(errors)s") % {"errors": errors})
    return redirect(group)
