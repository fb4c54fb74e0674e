"""Badges that carry a word and an icon, never colour alone (WCAG 1.4.1)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from inquiries import matching
from inquiries.models import Inquiry

register = template.Library()

CLASS_STYLE = {
    matching.MATCH: ("text-bg-success", "✔"),
    matching.NEAR_MISS: ("text-bg-warning", "≈"),
    matching.NO_MATCH: ("text-bg-light border", "✖"),
}
STATUS_STYLE = {
    matching.MET: ("text-bg-success", "✔"),
    matching.NEAR: ("text-bg-warning", "≈"),
    matching.NOT_MET: ("text-bg-danger", "✖"),
    matching.UNKNOWN: ("text-bg-light border", "?"),
}
INQUIRY_STYLE = {
    Inquiry.Status.DRAFT: "text-bg-light border",
    Inquiry.Status.SENT: "text-bg-primary",
    Inquiry.Status.ANSWERS_CLOSED: "text-bg-info",
    Inquiry.Status.WITH_INVESTOR: "text-bg-warning",
    Inquiry.Status.DECIDED: "text-bg-success",
    Inquiry.Status.CLOSED: "text-bg-secondary",
}


@register.filter
def class_badge(match_class: str) -> str:
    css, icon = CLASS_STYLE.get(match_class, ("text-bg-light border", "·"))
    label = matching.CLASS_LABELS.get(match_class, _("Not rated"))
    return format_html('<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>', css, icon, label)


@register.filter
def status_badge(status: str) -> str:
    css, icon = STATUS_STYLE.get(status, ("text-bg-light border", "·"))
    return format_html(
        '<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>', css, icon, matching.STATUS_LABELS[status]
    )


@register.filter
def inquiry_status_badge(inquiry: Inquiry) -> str:
    # The enum's label, not get_status_display(): that rebuilds the choices mapping on every call.
    label = Inquiry.Status(inquiry.status).label if inquiry.status in Inquiry.Status.values else inquiry.status
    return format_html('<span class="badge {}">{}</span>', INQUIRY_STYLE.get(inquiry.status, ""), label)


@register.simple_tag
def days_left_text(days: int) -> str:
    if days < 0:
        return _("deadline passed")
    if days == 0:
        return _("last day today")
    if days == 1:
        return _("1 day left")
    return _("%(n)s days left") % {"n": days}
