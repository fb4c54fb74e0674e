"""Server-rendered bar charts: horizontal bars as SVG, drawn by templates/includes/bar_chart.html.

No JavaScript (prints, and holds under the strict CSP), colours as classes from the one palette
(members/palette.py). Every chart comes with its numbers as a table (the same `bars`), so a
screen reader or a printout without colour loses nothing. No domain knowledge: the callers say
what a bar is, its value, its words and its colour step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import palette

ROW = 18  # SVG units per bar
LABEL_WIDTH = 170
BAR_WIDTH = 430
VALUE_GAP = 6
WIDTH = LABEL_WIDTH + BAR_WIDTH + 110
TOP = 6
AXIS = 20  # room for the reference lines' labels below the bars


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no value (no bar; the table says so)
    display: str  # the value as the reader reads it (localised), shown after the bar and in the table
    step: int | str = palette.NONE  # palette step (1–5) or palette.NONE
    words: str = ""  # what the colour means (band, level), in the table and the bar's title
    url: str = ""

    @property
    def css(self) -> str:
        return palette.fill(self.step)


@dataclass(frozen=True)
class Reference:
    value: float
    label: str


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar]
    low: float = 0
    high: float = 100
    references: list[Reference] = field(default_factory=list)
    value_header: str = ""
    words_header: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)  # [(css class, words)]

    # Geometry leaves as plain strings ("12.5"): the template language would localise a number
    # ("12,5", "1 234"), which is not SVG.
    @property
    def height(self) -> str:
        return _n(TOP + ROW * len(self.bars) + AXIS)

    @property
    def width(self) -> str:
        return _n(WIDTH)

    def _x(self, value: float) -> float:
        span = (self.high - self.low) or 1
        clipped = min(max(value, self.low), self.high)
        return round(LABEL_WIDTH + BAR_WIDTH * (clipped - self.low) / span, 1)

    @property
    def rows(self) -> list[dict]:
        """Each bar's geometry: y of its row, its width, where its value is written."""
        out = []
        for index, bar in enumerate(self.bars):
            y = TOP + index * ROW
            end = self._x(bar.value) if bar.value is not None else LABEL_WIDTH
            out.append(
                {
                    "bar": bar,
                    "y": _n(y + 2),
                    "text_y": _n(y + ROW / 2 + 4),
                    "width": _n(end - LABEL_WIDTH),
                    "value_x": _n(end + VALUE_GAP),
                }
            )
        return out

    @property
    def reference_lines(self) -> list[dict]:
        bottom = TOP + ROW * len(self.bars)
        return [
            {"ref": ref, "x": _n(self._x(ref.value)), "y1": _n(TOP), "y2": _n(bottom), "label_y": _n(bottom + 14)}
            for ref in self.references
        ]

    @property
    def label_x(self) -> str:
        return _n(LABEL_WIDTH - VALUE_GAP)

    @property
    def axis_x(self) -> str:
        return _n(LABEL_WIDTH)

    @property
    def axis_y2(self) -> str:
        return _n(TOP + ROW * len(self.bars))


def _n(value: float) -> str:
    return f"{round(value, 1):g}"
