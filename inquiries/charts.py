"""The inquiry statistics as bar charts (members.charts): answer rate and median time to answer
per kommun, decline reasons in the region. Built from the figures the page's tables show
(selectors.staff_insight), never queried again; answer rates coloured by the one palette."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members import palette
from members.charts import Bar, Chart


def answer_rate_legend() -> list[tuple[str, str]]:
    return [
        (palette.fill(5), _("%(low)s %% or more answered") % {"low": 90}),
        (palette.fill(4), _("%(low)s–%(high)s %% answered") % {"low": 75, "high": 89}),
        (palette.fill(2), _("%(low)s–%(high)s %% answered") % {"low": 50, "high": 74}),
        (palette.fill(1), _("under %(high)s %% answered") % {"high": 50}),
    ]


def answer_rate_chart(per_kommun: list[dict]) -> Chart | None:
    """Each kommun's answer rate (of its due dispatches), highest first."""
    rated = sorted(
        (f for f in per_kommun if f["answer_rate"] is not None), key=lambda f: (-f["answer_rate"], f["name"])
    )
    if not rated:
        return None
    return Chart(
        id="answer-rate-chart",
        title=_("Answer rate per kommun, highest first"),
        bars=[
            Bar(
                label=f["name"],
                value=f["answer_rate"],
                display=f"{number_format(f['answer_rate'])} %",
                step=palette.answer_rate_step(f["answer_rate"]),
            )
            for f in rated
        ],
        low=0,
        high=100,
        value_header=_("Answer rate"),
        legend=answer_rate_legend(),
    )


def answer_time_chart(per_kommun: list[dict]) -> Chart | None:
    """Each kommun's median days to answer, quickest first (one colour: time is not a grade)."""
    timed = sorted((f for f in per_kommun if f["median_days"] is not None), key=lambda f: (f["median_days"], f["name"]))
    if not timed:
        return None
    return Chart(
        id="answer-time-chart",
        title=_("Median days to answer per kommun, quickest first"),
        bars=[
            Bar(label=f["name"], value=float(f["median_days"]), display=number_format(f["median_days"], 1))
            for f in timed
        ],
        low=0,
        high=max(float(f["median_days"]) for f in timed) or 1,
        value_header=_("Median days"),
    )


def decline_reason_chart(reasons: list[tuple[str, int]]) -> Chart | None:
    """The region's decline reasons, most frequent first."""
    if not reasons:
        return None
    ordered = sorted(reasons, key=lambda item: (-item[1], str(item[0])))
    return Chart(
        id="decline-reason-chart",
        title=_("Decline reasons in the region"),
        bars=[Bar(label=str(label), value=n, display=number_format(n)) for label, n in ordered],
        low=0,
        high=max(n for _label, n in ordered),
        value_header=_("Answers"),
    )
