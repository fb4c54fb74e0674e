"""The one colour scale for everything people read as "better or worse": maturity levels, NKI
grade bands and answer rates, on the map, in charts and on badges.

Five steps from low (1) to high (5), ColorBrewer's RdYlBu (diverging red–yellow–blue, safe for
the common forms of colour blindness), with the ends darkened so a badge's text meets WCAG AA.
The colours themselves are CSS custom properties in static/css/portal.css (`--pal-1` … `--pal-5`,
`--pal-none`); this module says which step a value takes and names the classes:
`pal-fill-<step>` (SVG fill: map areas, chart bars) and `pal-bg-<step>` (badges: background and
text colour). Colour is never alone: every badge and bar carries its word or number too.
"""

from __future__ import annotations

STEPS = (1, 2, 3, 4, 5)
NONE = "none"  # no value: light grey

# The colours, for reference and the test that the CSS holds the same (tests/test_palette.py).
COLOURS = {1: "#a50026", 2: "#f46d43", 3: "#fee090", 4: "#74add1", 5: "#313695", NONE: "#dddddd"}
INK = {1: "#ffffff", 2: "#000000", 3: "#000000", 4: "#000000", 5: "#ffffff", NONE: "#000000"}

# NKI grade bands (nki.constants.GRADE_BANDS codes): very high … very low.
NKI_BAND_STEP = {"very_high": 5, "high": 4, "pass": 3, "low": 2, "very_low": 1}

# Maturity levels (overview.maturity.models.Level values): NEUTRAL is the middle, not "bad".
LEVEL_STEP = {"neutral": 3, "aktiv": 4, "proaktiv": 5}

# Answer rate on inquiries: (lower bound in %, step), highest first.
ANSWER_RATE_STEPS = ((90, 5), (75, 4), (50, 2), (0, 1))


def answer_rate_step(rate: float | None) -> int | str:
    if rate is None:
        return NONE
    return next(step for lower, step in ANSWER_RATE_STEPS if rate >= lower)


def fill(step: int | str) -> str:
    """The SVG fill class of a step (or NONE)."""
    return f"pal-fill-{step}"


def badge(step: int | str) -> str:
    """The badge class of a step (background and a text colour with AA contrast)."""
    return f"pal-bg-{step}"
