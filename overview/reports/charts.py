"""Server-rendered SVG bar charts for the printable reports (no JavaScript, so they print and go
into the PDF as they are).

Python lays the chart out in plain shapes (rectangles, lines, texts) and
overview/templates/overview/reports/charts/chart.svg.html draws them. Every bar carries its number
as a text beside it and in `data-value`, and the chart comes with a sentence for screen readers
(`description`); the pages put the numbers in a table as well.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

LABEL_CHARS = 24  # what fits in a bar chart's label column at its font size


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    series: str
    value: float
    group: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "axis"


@dataclass
class Chart:
    key: str
    width: float
    height: float
    title: str
    description: str
    series: list[Series]
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rects


def fmt(value: float | Decimal | int, decimals: int = 0) -> str:
    """A number as the active language writes it (74,6 in Swedish)."""
    return number_format(value, decimal_pos=decimals, use_l10n=True)


def short(label: str, most: int = LABEL_CHARS) -> str:
    """A label that fits beside the bars (the description and the table have it in full)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … that is at least `value` (an axis' top)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def column_chart(
    *,
    key: str,
    title: str,
    description: str,
    series: list[Series],
    groups: list[tuple[str, dict[str, int]]],
    width: float = 330,
    height: float = 140,
) -> Chart:
    """Vertical bars, one group per label (a year or a quarter), one bar per series: heights are
    proportional to the values on an axis from 0 to a round number."""
    chart = Chart(key, width, height, title, description, series)
    left, right, top, bottom = 24.0, 4.0, 13.0, 16.0
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max((v for _label, values in groups for v in values.values()), default=0))
    base = top + plot_h
    for tick in (0, top_value / 2, top_value) if top_value >= 2 else (0, top_value):
        y = base - plot_h * tick / top_value
        chart.lines.append(Line(left, y, width - right, y, "grid" if tick else "axis"))
        chart.texts.append(Text(left - 3, y + 3, fmt(tick, 0 if tick == int(tick) else 1), "end", "tick"))
    if not groups:
        return chart
    group_w = plot_w / len(groups)
    bar_w = min(22.0, group_w * 0.8 / len(series))
    for i, (label, values) in enumerate(groups):
        x0 = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = values.get(s.key, 0)
            h = plot_h * value / top_value
            x = x0 + j * bar_w
            chart.rects.append(
                Rect(round(x, 2), round(base - h, 2), round(bar_w - 1.5, 2), round(h, 2), s.colour, s.key, value, label)
            )
            chart.texts.append(
                Text(round(x + (bar_w - 1.5) / 2, 2), round(base - h - 2, 2), fmt(value), "middle", "value")
            )
        chart.texts.append(Text(round(left + (i + 0.5) * group_w, 2), height - 5, label, "middle", "label"))
    return chart


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    series: list[Series],
    rows: list[tuple[str, dict[str, Decimal | None]]],
    scale: float = 100,
    width: float = 330,
    label_width: float = 128,
    bar_h: float = 7.0,
) -> Chart:
    """Horizontal bars on a fixed scale (NKI: 0–100), one row per label and one bar per series;
    a missing value leaves its bar out and says "–"."""
    gap, row_gap, top = 1.2, 5.0, 4.0
    row_h = len(series) * (bar_h + gap) + row_gap
    height = top + row_h * len(rows) + 12
    chart = Chart(key, width, height, title, description, series)
    plot_w = width - label_width - 26
    base_y = height - 12
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot_w * tick / scale
        chart.lines.append(Line(round(x, 2), top, round(x, 2), base_y, "axis" if tick == 0 else "grid"))
        chart.texts.append(Text(round(x, 2), height - 3, fmt(tick), "middle", "tick"))
    for i, (label, values) in enumerate(rows):
        y0 = top + i * row_h
        chart.texts.append(
            Text(label_width - 4, round(y0 + len(series) * (bar_h + gap) / 2 + 3, 2), short(label), "end", "label")
        )
        for j, s in enumerate(series):
            value = values.get(s.key)
            y = y0 + j * (bar_h + gap)
            if value is None:
                chart.texts.append(Text(label_width + 2, round(y + bar_h - 0.5, 2), "–", "start", "value"))
                continue
            w = plot_w * float(value) / scale
            chart.rects.append(Rect(label_width, round(y, 2), round(w, 2), bar_h, s.colour, s.key, float(value), label))
            chart.texts.append(
                Text(round(label_width + w + 2, 2), round(y + bar_h - 0.5, 2), fmt(value, 1), "start", "value")
            )
    return chart
