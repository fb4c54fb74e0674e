"""What the portal's own data says about a maturity criterion (MaturityCriterion.evidence_key).

Each entry of EVIDENCE is a function (kommun_ids) → {kommun_id: Evidence} with a fixed number of
queries, whatever the number of kommuner. A criterion whose key is not in EVIDENCE counts the
kommun's own answer only. Adding a check: write the function here and add its key to EVIDENCE.

- contact_nki: a named contact person holding the NKI responsibility (members);
- contact_investment: a named näringslivschef or holder of the investment responsibility (members);
- inquiry_answer_rate: the share of the inquiries due in the last 12 months that the kommun
  answered, against settings.MATURITY_ANSWER_RATE_THRESHOLD (inquiries); none due: unknown;
- nki_years: NKI results that can be compared over time (no method break between them, nki.change)
  for at least settings.MATURITY_NKI_MIN_YEARS years in one area (nki).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inquiries import selectors as inquiry_selectors
from members.models import Contact, Responsibility
from nki import selectors as nki_selectors

from .models import MaturityCriterion


@dataclass(frozen=True)
class Evidence:
    """What the portal's own data says about one criterion for one kommun.

    met: True / False, or None when the data cannot tell (e.g. no inquiries were sent).
    """

    value: str
    met: bool | None
    explanation: str


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole)


# --- members: a named contact person holding the responsibility --------------------------------


def _contact_evidence(
    contacts: Callable[[list[int]], QuerySet[Contact]], holder: Promise
) -> Callable[[Iterable[int]], dict[int, Evidence]]:
    """Evidence from the contacts `contacts(ids)` returns: someone named, or nobody. One query."""

    def evidence(kommun_ids: Iterable[int]) -> dict[int, Evidence]:
        ids = list(kommun_ids)
        names: dict[int, list[str]] = {pk: [] for pk in ids}
        for kommun_id, name in (
            contacts(ids).exclude(name="").order_by("kommun_id", "-is_primary", "name").values_list("kommun_id", "name")
        ):
            names[kommun_id].append(name)
        result = {}
        for pk in ids:
            if names[pk]:
                result[pk] = Evidence(
                    value=", ".join(names[pk][:3]),
                    met=True,
                    explanation=_("Named in the portal as %(role)s: %(names)s.")
                    % {"role": holder, "names": ", ".join(names[pk][:3])},
                )
            else:
                result[pk] = Evidence(
                    value="—",
                    met=False,
                    explanation=_("No contact is recorded in the portal as %(role)s.") % {"role": holder},
                )
        return result

    return evidence


def _nki_holders(ids: list[int]) -> QuerySet[Contact]:
    return Contact.objects.active().filter(kommun_id__in=ids).holding(Responsibility.NKI)


def _investment_holders(ids: list[int]) -> QuerySet[Contact]:
    return Contact.objects.active().filter(kommun_id__in=ids).receiving_inquiries()


# --- inquiries: the answer rate of the last 12 months --------------------------------------------


def answer_rate_evidence(kommun_ids: Iterable[int]) -> dict[int, Evidence]:
    """Answered share of the inquiries due in the last 12 months against
    settings.MATURITY_ANSWER_RATE_THRESHOLD. No inquiry due in 12 months: the data cannot tell."""
    ids = list(kommun_ids)
    figures = inquiry_selectors.answer_figures_recent(ids)
    threshold = settings.MATURITY_ANSWER_RATE_THRESHOLD
    result = {}
    for pk in ids:
        f = figures.get(pk)
        if not f or not f["due"]:
            result[pk] = Evidence(
                value="—",
                met=None,
                explanation=_("No SBA inquiry to the kommun was due for an answer in the last 12 months."),
            )
            continue
        share = f["answered"] / f["due"]
        numbers = {"answered": f["answered"], "due": f["due"], "rate": percent(f["answered"], f["due"])}
        explanation = _("Answered %(answered)d of %(due)d inquiries in the last 12 months (%(rate)d %%).") % numbers
        explanation += " " + _("The threshold is %(threshold)d %%.") % {"threshold": round(100 * threshold)}
        result[pk] = Evidence(value=f"{numbers['rate']} %", met=share >= threshold, explanation=explanation)
    return result


# --- nki: results for enough years ---------------------------------------------------------------


def _year_span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def nki_years_evidence(kommun_ids: Iterable[int]) -> dict[int, Evidence]:
    """NKI results comparable over time for at least settings.MATURITY_NKI_MIN_YEARS years in one
    area (nki.selectors.comparable_series: years across a method break do not count together).
    Three queries.

    A kommun with no result in the portal at all is unknown (the results may simply not have been
    imported), so its own answer counts; with some years, the count decides."""
    ids = list(kommun_ids)
    series = nki_selectors.comparable_series(ids)
    needed = settings.MATURITY_NKI_MIN_YEARS
    result = {}
    for pk in ids:
        found = series.get(pk)
        if found is None:
            result[pk] = Evidence(
                value="—", met=None, explanation=_("No NKI results for the kommun are in the portal.")
            )
            continue
        explanation = _(
            "Comparable NKI results for %(n)d years are in the portal (%(area)s %(span)s); %(needed)d are needed."
        ) % {"n": len(found.years), "area": found.area.name, "span": _year_span(found.years), "needed": needed}
        if found.cut_by is not None:
            explanation += " " + _("Earlier years are not comparable: the method changed in %(year)d.") % {
                "year": found.cut_by.year
            }
        result[pk] = Evidence(value=str(len(found.years)), met=len(found.years) >= needed, explanation=explanation)
    return result


# --- The checks by key ---------------------------------------------------------------------------

EVIDENCE: dict[str, Callable[[Iterable[int]], dict[int, Evidence]]] = {
    "contact_nki": _contact_evidence(_nki_holders, gettext_lazy("responsible for NKI")),
    "contact_investment": _contact_evidence(
        _investment_holders, gettext_lazy("näringslivschef or responsible for investment")
    ),
    "inquiry_answer_rate": answer_rate_evidence,
    "nki_years": nki_years_evidence,
}


def evidence_for(keys: Iterable[str], kommun_ids: Iterable[int]) -> dict[str, dict[int, Evidence]]:
    """{key: {kommun_id: Evidence}} for the keys that have a check (one call each)."""
    ids = list(kommun_ids)
    return {key: EVIDENCE[key](ids) for key in set(keys) if key in EVIDENCE}


def evidence_by_criterion(criteria: Iterable[MaturityCriterion], kommun_id: int) -> dict[int, Evidence]:
    """{criterion_id: Evidence} for one kommun, for the criteria whose evidence is available."""
    criteria = [c for c in criteria if c.evidence_key]
    found = evidence_for({c.evidence_key for c in criteria}, [kommun_id])
    return {
        c.pk: found[c.evidence_key][kommun_id]
        for c in criteria
        if c.evidence_key in found and kommun_id in found[c.evidence_key]
    }
