"""The NKI tables' cell, rendered in Python: a table of 290 kommuner × 8 areas would otherwise
include nki/includes/cell.html 2,320 times (the include, not the data, was most of the page).
Same words as that include: value, grade band or small-sample flag, number of answers."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def nki_cell(cell) -> str:
    """A nki.selectors.Cell as a compact table cell: value and band on one line, answers below."""
    if cell.value is None:
        return format_html(
            '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>', gettext("no value")
        )
    flag = cell.flag
    if flag.greyed:
        badge = format_html('<span class="badge nki-flag nki-flag-too_few">{}</span>', flag.label)
    else:
        band = cell.band
        badge = format_html('<span class="badge nki-band {}">{}</span>', band.css, band.label)
        if flag.code:
            badge = format_html('{} <span class="badge nki-flag nki-flag-{}">{}</span>', badge, flag.code, flag.label)
    answers = ""
    if cell.answers is not None:
        answers = ngettext("%(shown)s answer", "%(shown)s answers", cell.answers) % {"shown": intcomma(cell.answers)}
    return format_html(
        '<span class="nki-cell{}"><span class="nki-value">{}</span> {}'
        '<span class="nki-answers d-block">{}</span></span>',
        " nki-too-few" if flag.greyed else "",
        floatformat(cell.value, 1),
        badge,
        answers,
    )
