"""Badges that carry a word and an icon, never colour alone (WCAG 1.4.1)."""

import datetime
from html import escape as esc

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inquiries import criteria, matching
from inquiries.models import Answer, Inquiry, Outcome

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


def _related(obj, name: str):
    """A reverse one-to-one (answer, outcome) or None, without a query (select_related)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@register.simple_tag
def dispatch_rows(dispatches, show_days: bool = False, soon: int = 0) -> str:
    """The rows of a dispatch table (inquiries/includes/dispatch_table.html).

    In Python rather than a row template: an inbox shows up to a hundred rows, and a template per
    row was most of the page's time. Everything shown is escaped by format_html.
    """
    rows = []
    not_answered, forwarded, shortlisted, feedback = _("Not answered"), _("Forwarded"), _("Shortlisted"), _("Feedback")
    for d in dispatches:
        inquiry = d.inquiry
        until = formats.date_format(d.open_until, "SHORT_DATE_FORMAT")
        if show_days:
            days = days_left_text(d.days_left_value)
            if d.days_left_value <= soon:
                days = format_html(
                    '<strong class="text-danger-emphasis"><span aria-hidden="true">⏰</span> {}</strong>', days
                )
            until = format_html("{} · {}", until, days)
        answer = _related(d, "answer")
        outcome = _related(inquiry, "outcome")
        badges = [inquiry_status_badge(inquiry)]
        if d.forwarded_at:
            badges.append(format_html(' <span class="badge text-bg-info">{}</span>', forwarded))
        if d.shortlisted:
            badges.append(
                format_html(
                    ' <span class="badge text-bg-success"><span aria-hidden="true">★</span> {}</span>', shortlisted
                )
            )
        if outcome:
            badges.append(format_html(" · {}", Outcome.Decision(outcome.decision).label))
        if d.feedback:
            badges.append(format_html(' · <span class="badge text-bg-light border">{}</span>', feedback))
        rows.append(
            format_html(
                '<tr>\n      <th scope="row"><a href="{}">{} – {}</a></th>\n      <td>{}</td>\n'
                "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n    </tr>",
                d.get_absolute_url(),
                inquiry.reference,
                inquiry.code_name,
                inquiry.sector or "—",
                formats.date_format(timezone.localtime(d.sent_at), "SHORT_DATE_FORMAT") if d.sent_at else "",
                until,
                Answer.Decision(answer.decision).label if answer else not_answered,
                mark_safe("".join(badges)),  # noqa: S308 - each part built by format_html above
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - each row built by format_html


@register.filter
def requirement_rows(inquiry):
    """The inquiry's requirements in the criteria's order (inquiries/criteria.py)."""
    return criteria.requirement_rows(inquiry)


# The match table's cells: a word and an icon per requirement (never colour alone).
CELL_STYLE = {
    matching.MET: ("match-met", "✔"),
    matching.NEAR: ("match-near", "≈"),
    matching.NOT_MET: ("match-not-met", "✖"),
    matching.UNKNOWN: ("match-unknown", "?"),
}


@register.simple_tag
def match_rows(rows, columns, ask_links) -> str:
    """The rows of the inquiry page's match table: one per member kommun, a status per requirement
    column (icon + word), the reasons behind a disclosure, and the send checkbox.

    In Python rather than a row template, as dispatch_rows, and with plain string building rather
    than format_html per cell: 52 rows × the requirement columns were most of the page's time.
    Every value from the data (names, reasons, links) goes through `esc`.
    """
    sent_word, reasons_word = esc(_("Sent")), esc(_("Reasons"))
    unknown_profile, ask = esc(_("Unknown profile")), esc(_("Ask for the profile"))
    no_data = esc(_("No sites or sectors in the profile."))
    no_reasons = f"<li>{esc(_('No requirements to rate.'))}</li>"
    words = {status: esc(str(label)) for status, label in matching.CELL_LABELS.items()}
    cells_html = {
        status: f'<td class="{css}"><span aria-hidden="true">{icon}</span> {words[status]}</td>'
        for status, (css, icon) in CELL_STYLE.items()
    }
    reason_head = {
        status: f'<li><span class="{css}"><span aria-hidden="true">{icon}</span> {words[status]}</span> – '
        for status, (css, icon) in CELL_STYLE.items()
    }
    badges = {c: class_badge(c) for c in matching.CLASS_ORDER}
    unknown_badge = (
        f'<span class="badge text-bg-light border"><span aria-hidden="true">?</span> {unknown_profile}</span>'
    )
    keys = [key for key, _label, _need in columns]
    span = max(len(keys), 1)
    out = []
    for row in rows:
        r = row["rating"]
        kid, name = r.kommun_id, esc(r.name)
        if row["sent"]:
            pick, label = f'<span class="badge text-bg-light border">{sent_word}</span>', name
        else:
            checked = " checked" if row["checked"] else ""
            pick = (
                f'<input class="form-check-input" type="checkbox" name="kommuner" value="{kid}" id="k-{kid}"{checked}>'
            )
            label = f'<label for="k-{kid}">{name}</label>'
        if row["row_class"] == "unknown_profile":
            badge = unknown_badge
            link = ask_links.get(kid)
            asking = f' <a href="{esc(link)}">{ask}<span class="visually-hidden"> – {name}</span></a>' if link else ""
            cells = f'<td colspan="{span}" class="text-body-secondary">{no_data}{asking}</td><td></td>'
        else:
            badge = badges.get(r.match_class, "")
            by_key = {x.key: x.status for x in r.ratings}
            parts = [cells_html[by_key.get(k, matching.UNKNOWN)] for k in keys] or ["<td>—</td>"]
            reasons = (
                "".join(f"{reason_head[x.status]}{esc(x.reason)}</li>" for x in r.ratings) if r.ratings else no_reasons
            )
            parts.append(
                f'<td><details><summary>{reasons_word}<span class="visually-hidden"> – {name}</span></summary>'
                f'<ul class="list-unstyled mb-0">{reasons}</ul></details></td>'
            )
            cells = "".join(parts)
        out.append(
            f'<tr data-class="{row["row_class"]}" data-lan="{esc(r.lan_code)}"><td>{pick}</td>'
            f'<th scope="row">{label}</th><td>{esc(r.lan_name)}</td><td>{badge}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value from the data escaped by esc()


def _day(value) -> str:
    """A date or datetime as the reader writes a date (a datetime in local time first)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.simple_tag(takes_context=True)
def answer_cards(context, dispatches) -> str:
    """The inquiry page's answer cards, side by side: one per kommun that answered, with staff's
    actions (forward, shortlist, release the investor, feedback, reopen), each its own form.

    In Python like match_rows: a template per card was a third of the page's time cold. Every
    value from the data is escaped by format_html.
    """
    token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context["csrf_token"])
    prefix, files_prefix = context["dispatch_prefix"], context["attachment_prefix"]
    reopen_default = context["reopen_default"].isoformat()
    words = {
        "sites": _("Proposed sites"),
        "contact": _("Contact"),
        "forwarded": _("Forwarded"),
        "shortlisted": _("Shortlisted"),
        "released": _("Investor released"),
        "reopened": _("Reopened until"),
        "forward": _("Forward to investor"),
        "unforward": _("Undo forwarded"),
        "shortlist": _("Shortlist"),
        "unshortlist": _("Remove from shortlist"),
        "release": _("Release investor identity"),
        "unrelease": _("Hide investor again"),
        "release_confirm": _("Show the investor identity to this kommun?"),
        "more": _("Feedback and answer time"),
        "feedback": _("Feedback to the kommun"),
        "save_feedback": _("Save feedback"),
        "given": _("given"),
        "reopen_until": _("Reopen until"),
        "reopen": _("Reopen answer"),
    }

    def action(d, name: str, css: str, label: str, extra="") -> str:
        return format_html(
            '<form method="post" action="{}{}/{}/">{}<button class="btn btn-sm {}" type="submit"{}>{}'
            '<span class="visually-hidden"> {}</span></button></form>',
            prefix,
            d.pk,
            name,
            token,
            css,
            extra,
            label,
            d.kommun.name,
        )

    cards = []
    for d in dispatches:
        a, name = d.answer, d.kommun.name
        body = [
            format_html('<p class="mb-1"><strong>{}</strong> · {}</p>', a.get_decision_display(), _day(a.answered_at))
        ]
        if a.decision == Answer.Decision.INTERESTED:
            body.append(format_html('<p class="mb-1">{}</p>', linebreaksbr(a.offer, autoescape=True)))
            if d.proposed:
                sites = format_html_join(
                    ", ",
                    "{}{}",
                    (
                        (
                            s["site__name"],
                            f" ({formats.number_format(s['site__area_ha'], 1)} ha)" if s["site__area_ha"] else "",
                        )
                        for s in d.proposed
                    ),
                )
                body.append(format_html('<p class="small mb-1">{}: {}</p>', words["sites"], sites))
            if a.contact:
                c = a.contact
                body.append(
                    format_html(
                        '<p class="small mb-1">{}: {}{}{}</p>',
                        words["contact"],
                        c.name,
                        format_html(', <a href="mailto:{}">{}</a>', c.email, c.email) if c.email else "",
                        format_html(", {}", c.phone) if c.phone else "",
                    )
                )
        else:
            reason = a.get_decline_reason_display()
            body.append(
                format_html(
                    '<p class="mb-1">{}{}</p>', reason, format_html(": {}", a.decline_text) if a.decline_text else ""
                )
            )
        if d.files:
            body.append(
                format_html(
                    '<ul class="small mb-1">{}</ul>',
                    format_html_join(
                        "",
                        '<li><a href="{}{}/">{}</a> ({})</li>',
                        ((files_prefix, f["pk"], f["original_name"], filesizeformat(f["size"])) for f in d.files),
                    ),
                )
            )
        badges = []
        if d.forwarded_at:
            badges.append(
                format_html('<span class="badge text-bg-info">{} {}</span>', words["forwarded"], _day(d.forwarded_at))
            )
        if d.shortlisted:
            badges.append(
                format_html(
                    '<span class="badge text-bg-success"><span aria-hidden="true">★</span> {}</span>',
                    words["shortlisted"],
                )
            )
        if d.investor_released_at:
            badges.append(format_html('<span class="badge text-bg-warning">{}</span>', words["released"]))
        if d.reopened_until:
            badges.append(
                format_html(
                    '<span class="badge text-bg-light border">{} {}</span>', words["reopened"], _day(d.reopened_until)
                )
            )
        if badges:
            body.append(format_html('<p class="mb-2">{}</p>', mark_safe(" ".join(badges))))  # noqa: S308 - format_html parts
        forwarded, shortlisted, released = bool(d.forwarded_at), d.shortlisted, bool(d.investor_released_at)
        body.append(
            format_html(
                '<div class="d-flex flex-wrap gap-1 mb-2">{}{}{}</div>',
                action(
                    d,
                    "unforward" if forwarded else "forward",
                    "btn-outline-primary",
                    words["unforward" if forwarded else "forward"],
                ),
                action(
                    d,
                    "unshortlist" if shortlisted else "shortlist",
                    "btn-outline-primary",
                    words["unshortlist" if shortlisted else "shortlist"],
                ),
                action(
                    d,
                    "unrelease" if released else "release",
                    "btn-outline-warning",
                    words["unrelease" if released else "release"],
                    mark_safe("") if released else format_html(' data-confirm="{}"', words["release_confirm"]),
                ),
            )
        )
        body.append(
            format_html(
                '<details class="small"{}><summary>{}<span class="visually-hidden"> – {}</span></summary>'
                '<form method="post" action="{}{}/feedback/" class="mt-2">{}'
                '<label class="form-label small mb-0" for="feedback-{}">{}</label>'
                '<textarea class="form-control form-control-sm mb-1" name="feedback" id="feedback-{}" rows="2">'
                "{}</textarea>"
                '<button class="btn btn-sm btn-outline-secondary" type="submit">{}'
                '<span class="visually-hidden"> {}</span></button>{}'
                "</form>"
                '<form class="d-flex flex-wrap gap-1 align-items-end mt-2" method="post" action="{}{}/reopen/">{}'
                '<div><label class="form-label small mb-0" for="reopen-{}">{}</label>'
                '<input class="form-control form-control-sm" type="date" name="until" id="reopen-{}" value="{}"></div>'
                '<button class="btn btn-sm btn-outline-secondary" type="submit">{}'
                '<span class="visually-hidden"> {}</span></button>'
                "</form></details>",
                mark_safe(" open") if d.feedback else "",
                words["more"],
                name,
                prefix,
                d.pk,
                token,
                d.pk,
                words["feedback"],
                d.pk,
                d.feedback,
                words["save_feedback"],
                name,
                format_html(' <span class="small">{} {}</span>', words["given"], _day(d.feedback_at))
                if d.feedback_at
                else "",
                prefix,
                d.pk,
                token,
                d.pk,
                words["reopen_until"],
                d.pk,
                reopen_default,
                words["reopen"],
                name,
            )
        )
        cards.append(
            format_html(
                '<div class="col"><article class="card h-100 answer-card" id="dispatch-{}"'
                ' aria-labelledby="dispatch-{}-h">'
                '<div class="card-body"><h3 class="h5 card-title" id="dispatch-{}-h"><a href="{}{}/">{}</a> {}</h3>{}'
                "</div></article></div>",
                d.pk,
                d.pk,
                d.pk,
                prefix,
                d.pk,
                name,
                class_badge(d.match_class),
                mark_safe("".join(body)),  # noqa: S308 - each part built by format_html
            )
        )
    return mark_safe("\n".join(cards))  # noqa: S308 - each card built by format_html
