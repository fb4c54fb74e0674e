"""The maturity model: the region's levels (staff), a kommun's page, self-assessment, confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access

from . import selectors, services
from .forms import AssessmentForm
from .models import Level, MaturityCriterion, Track


@access.portal_user_required
def maturity_region(request: HttpRequest) -> HttpResponse:
    """Staff: the region's levels now and over time, and every member. A kommun user: their own page."""
    if not access.is_staff(request.user):
        return redirect("overview:maturity:kommun", code=request.user.kommun.code)
    over_time = selectors.maturity_over_time()
    return render(
        request,
        "overview/maturity/region.html",
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
        "overview/maturity/kommun.html",
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
        if latest is not None and assessment.pk == latest.pk:
            messages.info(request, _("Nothing has changed since the last self-assessment, so nothing new was saved."))
        else:
            messages.success(
                request,
                _("Self-assessment saved. %(kommun)s is at level %(level)s.")
                % {"kommun": kommun.name, "level": assessment.level.upper()},
            )
        return redirect("overview:maturity:kommun", code=kommun.code)
    return render(
        request,
        "overview/maturity/assessment_form.html",
        {"kommun": kommun, "track": Track(track), "form": form, "latest": latest},
    )


@access.portal_user_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_page(user=request.user, pk=pk)
    return render(
        request,
        "overview/maturity/assessment_detail.html",
        {
            "assessment": assessment,
            "decisions": selectors.decision_history(assessment),
            "can_confirm": access.is_staff(request.user),
        },
    )


@require_POST
@access.staff_required
def assessment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_page(user=request.user, pk=pk)
    try:
        services.assessment_confirm(assessment=assessment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assessment is confirmed."))
    return redirect("overview:maturity:kommun", code=assessment.kommun.code)


@require_POST
@access.staff_required
def answer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: where answer and data disagree, confirm the kommun's answer or go by the data."""
    answer = selectors.answer_to_decide(user=request.user, pk=pk)
    try:
        services.answer_decide(answer=answer, decision=request.POST.get("decision", ""), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        answer.refresh_from_db(fields=["decision"])
        messages.success(
            request,
            _("Decided for “%(criterion)s”: %(decision)s.")
            % {"criterion": answer.criterion.text, "decision": str(answer.get_decision_display()).lower()},
        )
    page = reverse("overview:maturity:kommun", args=[answer.assessment.kommun.code])
    return redirect(f"{page}#criterion-{answer.criterion_id}")
