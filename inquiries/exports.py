"""CSV and Excel exports of inquiries and answers. Rows come from the same selectors as the pages,
so an export never shows more than the user may see: staff everything, a kommun user only its own
dispatches and answers (and the investor only where it has been released to them). The file itself
is written by members.tabular, as every export in the portal."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors


def inquiry_rows(*, user) -> tuple[list[str], list[list]]:
    """One row per inquiry (staff only: includes the investor)."""
    header = [
        _("Reference"),
        _("Code name"),
        _("Investor"),
        _("Source"),
        _("Sector"),
        _("Status"),
        _("Responsible"),
        _("Answer deadline"),
        _("Sent to"),
        _("Answers"),
        _("Interested"),
        _("Outcome"),
        _("Jobs"),
        _("Investment (MSEK)"),
    ]
    rows = []
    for inquiry in selectors.inquiry_list(user=user).select_related("outcome").order_by("reference"):
        outcome = getattr(inquiry, "outcome", None)
        rows.append(
            [
                inquiry.reference,
                inquiry.code_name,
                inquiry.investor_name,
                inquiry.get_source_display(),
                str(inquiry.sector or ""),
                inquiry.get_status_display(),
                str(inquiry.responsible or ""),
                inquiry.answer_deadline,
                inquiry.dispatch_count,
                inquiry.answer_count,
                inquiry.interested_count,
                outcome.get_decision_display() if outcome else "",
                outcome.jobs if outcome else None,
                outcome.investment_msek if outcome else None,
            ]
        )
    return header, rows


def answer_rows(*, user) -> tuple[list[str], list[list]]:
    """One row per dispatch with its answer and fate (staff: all; kommun user: its own)."""
    header = [
        _("Reference"),
        _("Code name"),
        _("Investor"),
        _("Sector"),
        _("Kommun"),
        _("Kommunkod"),
        _("Match"),
        _("Sent"),
        _("Deadline"),
        _("First viewed"),
        _("Answer"),
        _("Answered"),
        _("Offer"),
        _("Proposed sites"),
        _("Reason for declining"),
        _("Explanation"),
        _("Forwarded to investor"),
        _("Shortlisted"),
        _("Outcome"),
        _("Feedback"),
    ]
    from . import matching

    is_staff = selectors.access.is_staff(user)
    queryset = (
        selectors.dispatches_visible_to(user)
        .select_related("answer", "inquiry__outcome")
        .prefetch_related("answer__proposed_sites")
        .order_by("inquiry__reference", "kommun__name")
    )
    rows = []
    for d in queryset:
        answer = getattr(d, "answer", None)
        outcome = getattr(d.inquiry, "outcome", None)
        rows.append(
            [
                d.inquiry.reference,
                d.inquiry.code_name,
                d.inquiry.investor_name if (is_staff or d.investor_released) else "",
                str(d.inquiry.sector or ""),
                d.kommun.name,
                d.kommun.code,
                str(matching.CLASS_LABELS.get(d.match_class, "")),
                d.sent_at,
                d.deadline,
                d.first_viewed_at,
                answer.get_decision_display() if answer else "",
                answer.answered_at if answer else None,
                answer.offer if answer else "",
                ", ".join(s.name for s in answer.proposed_sites.all()) if answer else "",
                answer.get_decline_reason_display() if answer else "",
                answer.decline_text if answer else "",
                d.forwarded_at,
                _("yes") if d.shortlisted else _("no"),
                outcome.get_decision_display() if outcome else "",
                d.feedback,
            ]
        )
    return header, rows
