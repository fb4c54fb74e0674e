"""The reports' one colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008).

One dict for Python (the SVG charts) and the same colours as CSS custom properties in
overview/static/overview/css/report.css (a test holds the two together). Maturity levels, answer
rates and the chart series take their colours from here; every colour also comes with a word or a
number, never colour alone. The staff overview and the NKI charts are meant to share it.
"""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Maturity levels: light → dark along the steps, so the order reads in greyscale too.
LEVEL = {"neutral": OKABE_ITO["sky_blue"], "aktiv": OKABE_ITO["blue"], "proaktiv": OKABE_ITO["bluish_green"]}

# Answer rate bands (low / middle / high) and their lower bounds in per cent.
ANSWER_RATE = {"low": OKABE_ITO["vermillion"], "middle": OKABE_ITO["orange"], "high": OKABE_ITO["bluish_green"]}
ANSWER_RATE_BOUNDS = {"middle": 50, "high": 80}

# Chart series.
INQUIRY_SERIES = {"received": OKABE_ITO["sky_blue"], "answered": OKABE_ITO["blue"], "won": OKABE_ITO["bluish_green"]}
NKI_SERIES = {"kommun": OKABE_ITO["blue"], "sba": OKABE_ITO["orange"], "national": OKABE_ITO["sky_blue"]}


def answer_rate_band(rate: float | int | None) -> str | None:
    """'low', 'middle' or 'high' for an answer rate in per cent (None: not yet known)."""
    if rate is None:
        return None
    if rate >= ANSWER_RATE_BOUNDS["high"]:
        return "high"
    return "middle" if rate >= ANSWER_RATE_BOUNDS["middle"] else "low"


def css_name(key: str) -> str:
    """The CSS custom property of an Okabe–Ito colour: 'sky_blue' → '--oi-sky-blue'."""
    return "--oi-" + key.replace("_", "-")
