"""One colour scale (members/palette.py) for maturity, NKI bands and answer rates: the CSS holds
the same colours, and the map, badges and charts take their classes from it."""

import re
from pathlib import Path

from members import palette
from nki import constants as nki_constants
from overview import measures
from overview.maturity.models import Level

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "portal.css").read_text(encoding="utf-8")


def test_the_css_defines_the_palette_once_with_the_same_colours():
    for step, colour in palette.COLOURS.items():
        assert re.findall(rf"--pal-{step}:\s*(#[0-9a-f]{{6}})", CSS) == [colour]
        assert re.findall(rf"--pal-{step}-ink:\s*(#[0-9a-f]{{6}})", CSS) == [palette.INK[step]]
        assert f".pal-fill-{step} {{ fill: var(--pal-{step}); }}" in CSS
        assert f".pal-bg-{step} {{ background-color: var(--pal-{step}); color: var(--pal-{step}-ink); }}" in CSS


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_badge_text_meets_wcag_aa_on_every_step():
    for step, colour in palette.COLOURS.items():
        assert _contrast(colour, palette.INK[step]) >= 4.5, step


def test_nki_bands_maturity_levels_and_answer_rates_share_the_scale():
    assert [band.css for band in nki_constants.GRADE_BANDS] == [
        "pal-bg-5",
        "pal-bg-4",
        "pal-bg-3",
        "pal-bg-2",
        "pal-bg-1",
    ]
    assert measures.BAND_CLASS == {
        "very_high": "pal-fill-5",
        "high": "pal-fill-4",
        "pass": "pal-fill-3",
        "low": "pal-fill-2",
        "very_low": "pal-fill-1",
    }
    assert measures.LEVEL_CLASS == {
        Level.NEUTRAL: "pal-fill-3",
        Level.AKTIV: "pal-fill-4",
        Level.PROAKTIV: "pal-fill-5",
    }
    assert [palette.answer_rate_step(r) for r in (100, 90, 89, 75, 74, 50, 49, 0, None)] == [
        5,
        5,
        4,
        4,
        2,
        2,
        1,
        1,
        "none",
    ]
    badge = (Path(__file__).resolve().parents[1] / "overview/templates/overview/includes/level_badge.html").read_text()
    assert "pal-bg-5" in badge and "pal-bg-4" in badge and "pal-bg-3" in badge
