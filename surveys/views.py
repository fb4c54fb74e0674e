from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members import access, tabular

from . import selectors, services
from .constants import MIN_GROUP
from .forms import QuestionForm, SurveyForm
from .models import Question, Survey


@access.portal_user_required
def survey_list(request: HttpRequest) -> HttpResponse:
    # Queries: the surveys (one), whatever their number.
    surveys = list(selectors.surveys_visible_to(request.user))
    return render(
        request,
        "surveys/list.html",
        {"surveys": surveys, "is_staff": access.is_staff(request.user), "min_group": MIN_GROUP},
    )


@access.staff_required
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk) if pk else None
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        survey = form.save()
        source = form.cleaned_data.get("copy_from")
        if source:
            copied = services.survey_copy_questions(survey=survey, source=source)
            messages.info(request, _("%(n)d questions copied.") % {"n": copied})
        messages.success(request, _("Survey saved."))
        return redirect(survey)
    return render(request, "surveys/form.html", {"form": form, "survey": survey})


@access.staff_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "counts": selectors.counts(survey),
            "audience_size": len(services.audience_contacts(survey)) if survey.closed_at is None else None,
        },
    )


@access.staff_required
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey) if question_pk else None
    if survey.invitations_sent_at and request.method == "POST":
        messages.error(request, _("The invitations are sent: the questions can no longer change."))
        return redirect(survey)
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.survey = survey
        question.save()
        messages.success(request, _("Question saved."))
        return redirect(survey)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey, "question": question})


@access.staff_required
@require_POST
def survey_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if action == "invite":
        if not survey.questions.exists():
            messages.error(request, _("Add the questions before sending the invitations."))
        else:
            n = services.survey_send_invitations(survey=survey)
            messages.success(request, _("%(n)d invitations queued.") % {"n": n})
    elif action == "remind":
        if survey.reminder_sent_at:
            messages.error(request, _("The reminder has already been sent; it is sent only once."))
        else:
            n = services.survey_send_reminder(survey=survey)
            messages.success(request, _("%(n)d reminders queued.") % {"n": n})
    elif action == "close":
        services.survey_close(survey=survey)
        messages.success(request, _("The survey is closed; who answered is no longer kept."))
    else:
        raise Http404
    return redirect(survey)


def _results_survey(request: HttpRequest, pk: int) -> Survey:
    try:
        return selectors.surveys_visible_to(request.user).get(pk=pk)
    except Survey.DoesNotExist:
        raise Http404 from None


@access.portal_user_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _results_survey(request, pk)
    groups = selectors.groups(survey)
    wanted = request.GET.get("group", "")
    group = selectors.group_from(wanted, groups)
    if group is None and wanted:
        messages.warning(
            request, _("That group has fewer than %(n)d answers; its results are not shown.") % {"n": MIN_GROUP}
        )
        group = selectors.group_from("", groups)
    results = selectors.results(survey, group) if group else []
    fmt = request.GET.get("export", "")
    if fmt:
        if fmt not in tabular.FORMATS:
            raise Http404
        headers = [_("Group"), _("Question"), _("Value"), _("Answers"), _("Share (%)"), _("Mean"), _("Median")]
        rows = []
        for r in results:
            if not r.shown:
                continue
            for label, n, share in r.distribution:
                rows.append([group.label, r.question.text, label, n, round(share, 1), r.mean, r.median])
            for text in r.texts:
                rows.append([group.label, r.question.text, text, None, None, None, None])
        return tabular.table_response(fmt, f"enkat-{survey.year}", headers, rows)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "counts": selectors.counts(survey),
            "groups": groups,
            "group": group,
            "results": results,
            "trends": selectors.trends(survey),
            "min_group": MIN_GROUP,
            "is_staff": access.is_staff(request.user),
        },
    )


def _questions_by_page(survey: Survey) -> dict[int, list[Question]]:
    pages: dict[int, list[Question]] = {}
    for q in survey.questions.all():
        pages.setdefault(q.page, []).append(q)
    return dict(sorted(pages.items()))


def _gone(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "surveys/answer_gone.html", {"message": message}, status=status)


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's page, reached only through the single-use link; no sign-in."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _gone(request, _("This survey link is not valid. Use the link in the latest e-mail you received."), 404)
    survey = invitation.survey
    if invitation.answered:
        return _gone(request, _("Your answers have been submitted; the link cannot be used again. Thank you!"), 410)
    if not survey.is_open():
        return _gone(request, _("This survey is closed; answers can no longer be given."), 410)
    pages = _questions_by_page(survey)
    numbers = list(pages) or [1]
    try:
        page = int(request.POST.get("page") or request.GET.get("page") or numbers[0])
    except ValueError:
        page = numbers[0]
    if page not in pages:
        page = numbers[0]
    questions = pages.get(page, [])
    values, errors = dict(invitation.draft), {}
    if request.method == "POST":
        step = request.POST.get("step", "save")
        try:
            if step == "submit":
                services.response_submit(invitation=invitation, questions=questions, data=request.POST)
                return redirect("surveys:done")
            services.draft_save(invitation=invitation, questions=questions, data=request.POST)
        except services.AnswerErrors as exc:
            errors = exc.errors
            posted, _ignored = services.clean_answers(questions, request.POST)
            values.update(posted)
            if 0 in errors:
                return _gone(request, errors[0], 410)
            messages.error(request, _("Nothing was saved: correct the answers marked below."))
            if step == "submit" and not set(errors) & {q.pk for q in questions}:
                # A required answer is missing on another page: go there.
                first = next(p for p, qs in pages.items() if set(errors) & {q.pk for q in qs})
                page, questions = first, pages[first]
        else:
            messages.success(request, _("Your answers so far are saved."))
            index = numbers.index(page)
            if step == "next" and index + 1 < len(numbers):
                page = numbers[index + 1]
            elif step == "back" and index > 0:
                page = numbers[index - 1]
            return redirect(f"{request.path}?page={page}")
    index = numbers.index(page)
    rows = [(q, values.get(str(q.pk)), errors.get(q.pk)) for q in questions]
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "rows": rows,
            "page": page,
            "page_number": index + 1,
            "page_count": len(numbers),
            "is_first": index == 0,
            "is_last": index == len(numbers) - 1,
            "min_group": MIN_GROUP,
        },
    )


def answer_done(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/answer_done.html")
