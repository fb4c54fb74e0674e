"""The NKI tables' cell, rendered in Python: a table of 290 kommuner × 8 areas would otherwise
include nki/includes/cell.html 2,320 times (the include, not the data, was most of the page).
Same words as that include: value, grade band or small-sample flag, number of answers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()
ONE = Decimal("0.1")


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


class _Words:
    """The kommun page's words in the reader's language, escaped once per table, and its number
    format (one decimal, the locale's decimal sign: what `floatformat:1` gives, without its cost)."""

    def __init__(self) -> None:
        self.sep = get_format("DECIMAL_SEPARATOR")
        for name, text in {
            "no_value": gettext("no value"),
            "method_break": gettext("Method break:"),
            "preliminary": gettext("preliminary"),
            "estimated": gettext("estimated"),
            "significant": gettext("significant"),
            "cannot_tell": gettext("cannot tell"),
            "within": gettext("within the margin"),
            "not_comparable": gettext("not comparable"),
            "few_answers": gettext("too few answers to compare"),
            "differs": gettext("differs from SBA's figure"),
        }.items():
            setattr(self, name, escape(text))

    def one(self, value) -> str:
        """`value|floatformat:1` ('' for None)."""
        if value is None:
            return ""
        rounded = Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)
        return f"{rounded + 0:f}".replace(".", self.sep)  # + 0: no "-0.0"

    def cell(self, cell) -> str:
        """nki/includes/cell.html."""
        if cell.value is None:
            return f'<span aria-hidden="true">–</span><span class="visually-hidden">{self.no_value}</span>'
        flag = cell.flag
        if flag.greyed:
            badge = f'<span class="badge nki-flag nki-flag-too_few">{escape(flag.label)}</span>'
        else:
            band = cell.band
            badge = f'<span class="badge nki-band {escape(band.css)}">{escape(band.label)}</span>'
            if flag.code:
                badge += f' <span class="badge nki-flag nki-flag-{escape(flag.code)}">{escape(flag.label)}</span>'
        answers = ""
        if cell.answers is not None:
            text = ngettext("%(shown)s answer", "%(shown)s answers", cell.answers) % {"shown": intcomma(cell.answers)}
            answers = escape(text)
        return (
            f'<span class="nki-cell{" nki-too-few" if flag.greyed else ""}"><span class="nki-value">'
            f'{self.one(cell.value)}</span>\n{badge}\n<span class="nki-answers">{answers}</span></span>'
        )

    def sba(self, avg) -> str:
        """nki/includes/sba_average.html with its defaults (no strong, no count, the reason shown)."""
        if avg.value is not None:
            html = self.one(avg.value)
        elif avg.roster_missing:
            html = f'– <span class="small text-body-secondary sba-roster-missing">{escape(avg.roster_missing)}</span>'
        else:
            html = "–"
        if avg.published is not None:
            text = gettext("SBA published: %(value)s") % {"value": floatformat(avg.published, "-1")}
            html += f' <span class="small text-body-secondary sba-published">{escape(text)}</span>'
            if avg.differs_from_published:
                html += f' <span class="badge text-bg-warning sba-differs">{self.differs}</span>'
        return html

    def change(self, c) -> str:
        if c.comparable:
            if c.significant:
                word = f'<span class="badge nki-sig">{self.significant}</span>'
            elif c.significant is None:
                word = f'<span class="nki-answers">{self.cannot_tell}</span>'
            else:
                word = f'<span class="nki-answers">{self.within}</span>'
            return f"{escape(c.signed_delta)}\n{word}"
        if c.status == "method_break":
            return f'<span class="nki-answers">{self.not_comparable}</span>'
        if c.status == "few_answers":
            return f'<span class="nki-answers">{self.few_answers}</span>'
        return "–"


@register.simple_tag
def trend_rows(points) -> str:
    """The rows of one area's table on the NKI kommun page (nki.selectors.TrendPoint), built in
    Python with the markup of the includes it replaces (cell.html, sba_average.html): an include
    per cell and per average made the template most of the page's cost. Every text from the data
    or a translation is escaped."""
    words = _Words()
    rows = []
    for p in points:
        if p.method_break:
            rows.append(
                f'<tr class="nki-break"><td colspan="7"><strong>{words.method_break}</strong> '
                f"{escape(p.method_break.description)}</td></tr>"
            )
        year = f"{p.year:d}"
        if p.preliminary:
            year += f' <span class="badge text-bg-light border">{words.preliminary}</span>'
        if p.interval:
            interval = f"{words.one(p.interval.low)}–{words.one(p.interval.high)}"
            if p.interval.estimated:
                interval += f' <span class="nki-answers">({words.estimated})</span>'
        else:
            interval = "–"
        national = words.one(p.national.value) or "–"
        if p.national.from_reference:
            national += ' <span class="nki-answers">(Kolada)</span>'
        similar = words.one(p.similar.value) or "–"
        if p.similar.n:
            text = ngettext("%(n)s kommun", "%(n)s kommuner", p.similar.n) % {"n": p.similar.n}
            similar += f' <span class="nki-answers">({escape(text)})</span>'
        rows.append(
            f'<tr>\n<th scope="row">{year}</th>\n<td>{words.cell(p.cell)}</td>\n<td>{interval}</td>\n'
            f"<td>{words.change(p.change)}</td>\n<td>{words.sba(p.sba)}</td>\n<td>{national}</td>\n"
            f"<td>{similar}</td>\n</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every piece above is escaped
