"""Inquiry pages. Staff: list, create/edit, the inquiry page (match table, recipients, answers
side by side, outcome). Kommun users: the inbox and the dispatch page with the answer form.
Everything kommun-owned is fetched through inquiries.selectors (members.access underneath)."""

from __future__ import annotations

import datetime
import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members import access, cache, tabular
from members.cache import Topic

from . import charts, constants, exports, matching, selectors, services
from .forms import (
    AnswerForm,
    FeedbackForm,
    InquiryFilter,
    InquiryForm,
    OutcomeForm,
    RecipientsForm,
    ReopenForm,
    StatusForm,
)
from .models import Answer, Inquiry


@access.portal_user_required
def index(request: HttpRequest) -> HttpResponse:
    """Förfrågningar: the staff list for staff, the inbox for a kommun user."""
    if access.is_staff(request.user):
        return inquiry_list(request)
    return inbox(request)


INQUIRY_LIST_PARAMETERS = {"q", "status", "sector", "responsible", "sort", "page"}


def inquiry_list(request: HttpRequest) -> HttpResponse:
    inquiry_filter = SimpleLazyObject(
        lambda: InquiryFilter(request.GET, queryset=selectors.inquiry_list(user=request.user))
    )

    def page():
        queryset = inquiry_filter.qs
        if not queryset.ordered:  # no sort asked for, or one the filter refused
            queryset = queryset.order_by("-created_at", "-pk")
        return Paginator(queryset, constants.PAGE_SIZE).get_page(request.GET.get("page"))

    # Cached (members/cache.py): uncached, the list misses p95 150 ms at ten concurrent users
    # (docs/PERFORMANCE.md). The same for all staff and filters; built only on a miss.
    return render(
        request,
        "inquiries/inquiry_list.html",
        {
            "filter": inquiry_filter,
            "page": SimpleLazyObject(page),
            "today": timezone.localdate(),
            **cache.fragment(
                "inquiry-list",
                request.GET.urlencode(),
                topics=(Topic.INQUIRIES, Topic.PROFILES, Topic.USERS),
                by_date=True,
                cacheable=set(request.GET) <= INQUIRY_LIST_PARAMETERS,
            ),
        },
    )


def inbox(request: HttpRequest) -> HttpResponse:
    kommun = request.user.kommun

    def build() -> dict:
        groups = selectors.inbox(user=request.user)
        closed = Paginator(groups.pop("closed"), constants.INBOX_CLOSED_PAGE_SIZE)
        return {**groups, "page": closed.get_page(request.GET.get("page"))}

    # Cached per kommun (no forms inside): the same for every user of the kommun until an
    # inquiry write (or midnight: days left).
    return render(
        request,
        "inquiries/inbox.html",
        {
            "inbox": SimpleLazyObject(build),
            "kommun": kommun,
            "soon": constants.DEADLINE_SOON_DAYS,
            **cache.fragment(
                "inbox",
                kommun.pk,
                request.GET.urlencode(),
                topics=(Topic.INQUIRIES, Topic.PROFILES),
                by_date=True,
                cacheable=set(request.GET) <= {"page"},
            ),
        },
    )


# --- Staff: create, edit, the inquiry page -------------------------------------------------------


@access.staff_required
def inquiry_create(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None, initial={"responsible": request.user.pk})
    if request.method == "POST" and form.is_valid():
        inquiry = services.inquiry_save(inquiry=form.instance)
        messages.success(request, _("Inquiry %(ref)s created as a draft.") % {"ref": inquiry.reference})
        return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"form": form})


@access.staff_required
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.get_inquiry_for_staff_or_404(request.user, pk)
    form = InquiryForm(request.POST or None, instance=inquiry)
    if request.method == "POST" and form.is_valid():
        services.inquiry_save(inquiry=form.instance)
        messages.success(request, _("Inquiry %(ref)s saved.") % {"ref": inquiry.reference})
        return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"form": form, "inquiry": inquiry})


# What an inquiry's match table is built from: the inquiry, its dispatches, profiles and sites.
MATCH_TOPICS = (Topic.INQUIRIES, Topic.PROFILES, Topic.REGISTER)


def _recipient_context(inquiry: Inquiry, dispatches, data=None) -> dict:
    # Rated once per inquiry until it, a dispatch or a member's profile changes (or the day turns:
    # site confirmations go stale by date); the reasons are in the reader's language (in the key).
    ratings = cache.get_or_build(
        "inquiry-ratings", inquiry.pk, topics=MATCH_TOPICS, by_date=True, build=lambda: selectors.rate_members(inquiry)
    )
    sent = {d.kommun_id: d for d in dispatches}
    choices = [(r.kommun_id, r.name) for r in ratings if r.kommun_id not in sent]
    initial = [r.kommun_id for r in ratings if r.kommun_id not in sent and r.selected_by_default]
    form = RecipientsForm(data, choices=choices, initial={"kommuner": initial})
    chosen = set(form["kommuner"].value() or []) if data is not None else set(initial)
    rows = [
        {"rating": r, "dispatch": sent.get(r.kommun_id), "checked": str(r.kommun_id) in {str(c) for c in chosen}}
        for r in ratings
    ]
    counts = {
        c: sum(r.match_class == c for r in ratings) for c in (matching.MATCH, matching.NEAR_MISS, matching.NO_MATCH)
    }
    return {"rows": rows, "recipients_form": form, "class_counts": counts, "can_send": bool(choices)}


@access.staff_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.get_inquiry_for_staff_or_404(request.user, pk)
    dispatches = selectors.inquiry_dispatches(inquiry)
    data = request.POST if request.method == "POST" else None
    context = _recipient_context(inquiry, dispatches, data)
    if request.method == "POST":
        form = context["recipients_form"]
        if form.is_valid():
            try:
                sent = services.inquiry_dispatch(
                    inquiry=inquiry, kommun_ids=form.cleaned_data["kommuner"], user=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("The inquiry was sent to %(n)s kommuner. Their contacts get an e-mail.") % {"n": len(sent)},
                )
                return redirect(inquiry)
    answered = [d for d in dispatches if hasattr(d, "answer")]
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            **context,
            "inquiry": inquiry,
            "dispatches": dispatches,
            "answered": answered,
            "interested": [d for d in answered if d.answer.decision == Answer.Decision.INTERESTED],
            "declined": [d for d in answered if d.answer.decision == Answer.Decision.DECLINED],
            "status_form": StatusForm(initial={"status": inquiry.status}),
            "outcome": getattr(inquiry, "outcome", None),
            "today": timezone.localdate(),
            "reopen_default": timezone.localdate() + datetime.timedelta(days=7),
            # The match table's rows as first shown; a POST with errors re-renders them from the form.
            **cache.fragment(
                "inquiry-match-table", inquiry.pk, topics=MATCH_TOPICS, by_date=True, cacheable=data is None
            ),
        },
    )


@require_POST
@access.staff_required
def inquiry_status(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.get_inquiry_for_staff_or_404(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_set_status(inquiry=inquiry, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status set to %(status)s.") % {"status": inquiry.get_status_display()})
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(inquiry)


OUTCOME_SAVED = {
    "recorded": gettext_lazy("Outcome recorded. The kommuner that got the inquiry are told."),
    "corrected": gettext_lazy("Outcome corrected. The kommuner that answered are told."),
    "unchanged": gettext_lazy("Nothing in the outcome changed; nobody is told."),
}


@access.staff_required
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.get_inquiry_for_staff_or_404(request.user, pk)
    if inquiry.is_draft:
        raise Http404
    outcome = getattr(inquiry, "outcome", None)
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        _outcome, change = services.outcome_record(inquiry=inquiry, **form.cleaned_data)
        messages.success(request, OUTCOME_SAVED[change])
        return redirect(inquiry)
    return render(request, "inquiries/outcome_form.html", {"form": form, "inquiry": inquiry})


DISPATCH_ACTIONS = {"forward", "unforward", "shortlist", "unshortlist", "release", "unrelease", "feedback", "reopen"}


@require_POST
@access.staff_required
def dispatch_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff's actions on one kommun's dispatch: forward, shortlist, release investor, feedback, reopen."""
    if action not in DISPATCH_ACTIONS:
        raise Http404
    dispatch = selectors.get_dispatch_or_404(request.user, pk)
    name = dispatch.kommun.name
    try:
        if action in ("forward", "unforward"):
            services.dispatch_forward(dispatch=dispatch, forwarded=action == "forward")
            text = (
                _("%(kommun)s's offer is marked as forwarded.")
                if action == "forward"
                else _("%(kommun)s's offer is no longer marked as forwarded.")
            )
        elif action in ("shortlist", "unshortlist"):
            services.dispatch_shortlist(dispatch=dispatch, shortlisted=action == "shortlist")
            text = _("%(kommun)s is shortlisted.") if action == "shortlist" else _("%(kommun)s is off the shortlist.")
        elif action in ("release", "unrelease"):
            services.dispatch_release_investor(dispatch=dispatch, released=action == "release")
            text = (
                _("%(kommun)s can now see who the investor is.")
                if action == "release"
                else _("The investor is hidden from %(kommun)s again.")
            )
        elif action == "feedback":
            form = FeedbackForm(request.POST)
            form.is_valid()
            services.dispatch_feedback(dispatch=dispatch, text=form.cleaned_data.get("feedback", ""))
            text = _("Feedback to %(kommun)s saved.")
        else:
            form = ReopenForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["until"])
            services.answer_reopen(dispatch=dispatch, until=form.cleaned_data["until"])
            text = _("%(kommun)s can answer again until %(until)s.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            text % {"kommun": name, "until": dispatch.reopened_until.isoformat() if dispatch.reopened_until else ""},
        )
    return redirect(dispatch.inquiry.get_absolute_url() + f"#dispatch-{dispatch.pk}")


# --- Kommun: the dispatch page and its answer -----------------------------------------------------


@access.portal_user_required
def dispatch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = selectors.get_dispatch_or_404(request.user, pk)
    is_kommun = access.is_kommun_user(request.user)
    if is_kommun:
        services.dispatch_mark_viewed(dispatch=dispatch)
    answer = Answer.objects.filter(dispatch=dispatch).select_related("contact").first()
    can_answer = is_kommun and dispatch.is_open()
    form = None
    if can_answer:
        initial = {}
        if answer is not None:
            initial = {
                "decision": answer.decision,
                "offer": answer.offer,
                "proposed_sites": list(answer.proposed_sites.all()),
                "contact": answer.contact,
                "decline_reason": answer.decline_reason,
                "decline_text": answer.decline_text,
            }
        form = AnswerForm(
            request.POST or None, request.FILES or None, kommun=dispatch.kommun, answer=answer, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_save(
                    dispatch=dispatch,
                    user=request.user,
                    decision=data["decision"],
                    offer=data["offer"],
                    proposed_sites=data["proposed_sites"],
                    contact=data["contact"],
                    decline_reason=data["decline_reason"],
                    decline_text=data["decline_text"],
                    files=data["files"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your answer is saved. You can change it until the deadline."))
                return redirect(dispatch)
    elif request.method == "POST":
        messages.error(request, dispatch.lock_message() if is_kommun else _("Only the kommun can answer."))
        return redirect(dispatch)
    snapshot = dispatch.match_snapshot or {}
    inquiry_sector = dispatch.inquiry.sector
    ratings = matching.ratings_from_snapshot(snapshot, sector_name=str(inquiry_sector) if inquiry_sector else "")
    outcome = getattr(dispatch.inquiry, "outcome", None)
    return render(
        request,
        "inquiries/dispatch_detail.html",
        {
            "dispatch": dispatch,
            "inquiry": dispatch.inquiry,
            "answer": answer,
            "attachments": list(answer.attachments.all()) if answer else [],
            "proposed_sites": list(answer.proposed_sites.all()) if answer else [],
            "form": form,
            "can_answer": can_answer,
            "show_investor": access.is_staff(request.user) or dispatch.investor_released,
            "ratings": ratings,
            "match_class": snapshot.get("match_class", dispatch.match_class),
            "best_site": snapshot.get("best_site"),
            "outcome": outcome,
            "days_left": dispatch.days_left(),
            "lock_reason": dispatch.locked_because(),
            "lock_message": dispatch.lock_message(),
            "whom_to_call": selectors.whom_to_call(dispatch.inquiry),
        },
    )


@access.portal_user_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.get_attachment_or_404(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or mimetypes.guess_type(attachment.original_name)[0],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@access.portal_user_required
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.get_attachment_or_404(request.user, pk)
    dispatch = attachment.answer.dispatch
    if not access.is_kommun_user(request.user):
        raise Http404
    try:
        services.attachment_delete(attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attachment %(name)s removed.") % {"name": attachment.original_name})
    return redirect(dispatch)


# --- Insight and exports -------------------------------------------------------------------------


@access.portal_user_required
def insight(request: HttpRequest) -> HttpResponse:
    if access.is_staff(request.user):
        figures = selectors.staff_insight(user=request.user)
        charts_shown = {
            "rate_chart": charts.answer_rate_chart(figures["per_kommun"]),
            "time_chart": charts.answer_time_chart(figures["per_kommun"]),
            "reason_chart": charts.decline_reason_chart(figures["region_reasons"]),
        }
        return render(request, "inquiries/insight_staff.html", {**figures, **charts_shown})
    kommun = request.user.kommun
    return render(
        request,
        "inquiries/insight_kommun.html",
        {"kommun": kommun, "figures": selectors.kommun_insight(user=request.user, kommun=kommun)},
    )


@access.portal_user_required
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if fmt not in tabular.FORMATS:
        raise Http404
    if kind == "inquiries":
        if not access.is_staff(request.user):
            raise Http404
        header, rows = exports.inquiry_rows(user=request.user)
        filename = "forfragningar"
    elif kind == "answers":
        header, rows = exports.answer_rows(user=request.user)
        filename = "svar"
    else:
        raise Http404
    return tabular.table_response(fmt, f"{filename}-{timezone.localdate().isoformat()}", header, rows)
