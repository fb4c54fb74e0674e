"""Inquiry pages. Staff: list, create/edit, the inquiry page (match table, recipients, answers
side by side, outcome). Kommun users: the inbox and the dispatch page with the answer form.
Everything kommun-owned is fetched through inquiries.selectors (members.access underneath)."""

from __future__ import annotations

import datetime
import mimetypes
from collections import Counter
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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


# The match table's filters (?visa=, ?lan=) and shortcuts (?select=), honoured by the server so
# the page works without JavaScript; static/inquiries/js/match.js does the same in the page.
MATCH_SHOW = ("all", "match", "near")
SELECT_SHORTCUTS = ("matching", "none")
UNKNOWN_PROFILE = "unknown_profile"  # a row's class when the member has no sites and no sectors


def _row_class(rating: matching.KommunRating) -> str:
    return rating.match_class if rating.has_data else UNKNOWN_PROFILE


def _url_prefix(name: str) -> str:
    """The part of an object URL before its id (the URL ends "<id>/"), built once per page
    instead of once per row (`reverse` per row was a large share of the page's time)."""
    return reverse(name, args=[999999999]).removesuffix("999999999/")


def _ask_for_profile(request: HttpRequest, ratings, kommun_ids: set[int]) -> dict[int, str]:
    """A mailto link per member without profile data, to its investment contact (or the
    näringslivschef), asking for sites and sectors; the kommun's page where nobody has an address."""
    emails = selectors.profile_contacts(kommun_ids=kommun_ids)
    page = request.build_absolute_uri(_url_prefix("members:kommun_detail"))
    links = {}
    for r in ratings:
        if r.kommun_id not in kommun_ids:
            continue
        profile_url = f"{page}{r.code}/"
        if r.kommun_id not in emails:
            links[r.kommun_id] = profile_url
            continue
        subject = _("Your investment profile in the SBA Portal")
        body = _(
            "Hello,\n\nInvest Stockholm matches investors' inquiries against the member kommuner's "
            "profiles. %(kommun)s has no sites or sectors in the SBA Portal yet, so we cannot tell "
            "which inquiries suit you. Could you add them here?\n\n%(url)s\n"
        ) % {"kommun": r.name, "url": profile_url}
        links[r.kommun_id] = f"mailto:{emails[r.kommun_id]}?" + urlencode(
            {"subject": subject, "body": body}, quote_via=quote
        )
    return links


def _match_context(request: HttpRequest, inquiry: Inquiry, dispatches, data=None) -> dict:
    """The match table (one row per member, a column per requirement), its filters and the
    recipient form. Rated fresh on every request: cold, it costs a few milliseconds (PERFORMANCE.md)."""
    requirements = selectors.requirements_of(inquiry)
    ratings = matching.rate_all(requirements, selectors.member_profiles())
    sent = {d.kommun_id: d for d in dispatches}
    show = request.GET.get("visa", "all")
    show = show if show in MATCH_SHOW else "all"
    lans = sorted({(r.lan_code, r.lan_name) for r in ratings})
    lan = request.GET.get("lan", "")
    lan = lan if lan in {code for code, _name in lans} else ""

    def shown(r) -> bool:
        row_class = _row_class(r)
        if show == "match" and row_class != matching.MATCH:
            return False
        if show == "near" and row_class not in (matching.MATCH, matching.NEAR_MISS):
            return False
        return not lan or r.lan_code == lan

    visible = [r for r in ratings if shown(r)]
    open_rows = [r for r in visible if r.kommun_id not in sent]
    select = request.GET.get("select")
    if select == "matching":
        initial = [r.kommun_id for r in open_rows if _row_class(r) == matching.MATCH]
    elif select == "none":
        initial = []
    else:
        initial = [r.kommun_id for r in open_rows if r.selected_by_default]
    form = RecipientsForm(data, choices=[(r.kommun_id, r.name) for r in open_rows], initial={"kommuner": initial})
    chosen = {str(c) for c in (form["kommuner"].value() or [])} if data is not None else {str(i) for i in initial}
    columns = []
    if requirements.sector_id is not None:
        columns.append(("sector", _("Sector"), requirements.sector_name))
    columns += [(c.key, c.label, c.need_text(need)) for c, need in requirements.asked()]
    no_data = {r.kommun_id for r in visible if not r.has_data and r.kommun_id not in sent}
    rows = [
        {
            "rating": r,
            "row_class": _row_class(r),
            "sent": r.kommun_id in sent,
            "checked": str(r.kommun_id) in chosen,
        }
        for r in visible
    ]
    counts = Counter(_row_class(r) for r in ratings)
    return {
        "rows": rows,
        "columns": columns,
        "ask_links": _ask_for_profile(request, ratings, no_data) if no_data else {},
        "recipients_form": form,
        "class_counts": {key: counts.get(key, 0) for key in (*matching.CLASS_ORDER, UNKNOWN_PROFILE)},
        "first_open_id": open_rows[0].kommun_id if open_rows else None,
        "chosen_count": sum(row["checked"] and not row["sent"] for row in rows),
        "can_send": bool(open_rows) and inquiry.status in (Inquiry.Status.DRAFT, Inquiry.Status.SENT),
        "show": show,
        "lan": lan,
        "lans": lans,
        "filtered": show != "all" or bool(lan),
        "hidden_count": len(ratings) - len(visible),
    }


@access.staff_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff inquiry page: the brief, the answers (once there are any), the match and the send.

    Rendered fresh (no fragment cache): cold it stays within its budget (docs/PERFORMANCE.md)."""
    inquiry = selectors.get_inquiry_for_staff_or_404(request.user, pk)
    dispatches = selectors.inquiry_dispatches(inquiry)
    data = request.POST if request.method == "POST" else None
    context = _match_context(request, inquiry, dispatches, data)
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
    answered = [d for d in dispatches if selectors.answer_of(d) is not None]
    waiting = [d for d in dispatches if not selectors.answer_of(d) is not None]
    today = timezone.localdate()
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            **context,
            "inquiry": inquiry,
            "dispatches": dispatches,
            "answered": answered,
            "waiting": waiting,
            "interested_count": sum(d.answer.decision == Answer.Decision.INTERESTED for d in answered),
            "status_form": StatusForm(initial={"status": inquiry.status}),
            "outcome": getattr(inquiry, "outcome", None),
            "today": today,
            "reopen_default": today + datetime.timedelta(days=7),
            "dispatch_prefix": _url_prefix("inquiries:dispatch"),
            "attachment_prefix": _url_prefix("inquiries:attachment"),
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
        figures["inquiry_prefix"] = _url_prefix("inquiries:detail")  # hundreds of gap links: reversed once
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
