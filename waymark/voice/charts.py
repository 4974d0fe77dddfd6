"""Server-side SVG line charts of themes over time, drawn from disclosure-controlled counts.

The geometry is computed here and drawn by ``voice/reports/_line_chart.html``, so the chart works in the
page, in print and in the PDF without JavaScript. A suppressed count is a gap in its line, never a zero.
Lines differ by dash pattern and marker as well as colour, and the same figures are always in a table
beside the chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# NHS identity colours with enough contrast against white for lines (WCAG 1.4.11, 3:1).
SERIES_STYLES = (
    ("#005eb8", ""),
    ("#007f3b", "8 4"),
    ("#7c2855", "2 3"),
    ("#330072", "10 3 2 3"),
    ("#d5281b", "4 4"),
    ("#425563", "12 6"),
    ("#00703c", "1 4"),
    ("#003087", "6 2 2 2"),
)
WIDTH = 680
HEIGHT = 300
LEFT = 48
RIGHT = 40  # room for the last period label, centred on the last point
TOP = 12
BOTTOM = 40


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str
    segments: list[str]  # SVG polyline "x,y x,y" strings, one per unbroken run of published counts
    points: list[Point]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    series: list[Series]


def nice_ceiling(value: int) -> int:
    """The smallest of 5, 10, 20, 50, 100, 200, 500… at or above ``value``, so ticks fall on round numbers."""
    top = 5
    while top < value:
        top = top * 5 // 2 if str(top).startswith("2") else top * 2
    return top


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]]) -> LineChart | None:
    """Where to draw each series over the periods in ``labels``; None when there is nothing to draw."""
    values = [value for _label, counts in series for value in counts if value is not None]
    if not labels or not values:
        return None
    top = nice_ceiling(max(values))
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    step = (plot_right - LEFT) / max(len(labels) - 1, 1)

    def x_of(index: int) -> float:
        return round(LEFT + index * step, 1) if len(labels) > 1 else (LEFT + plot_right) / 2

    def y_of(value: int) -> float:
        return round(plot_bottom - value / top * (plot_bottom - TOP), 1)

    drawn = []
    for number, (label, counts) in enumerate(series):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        points = [Point(x_of(i), y_of(value), value) for i, value in enumerate(counts) if value is not None]
        segments: list[str] = []
        run: list[str] = []
        for i, value in enumerate(counts):
            if value is None:
                if len(run) > 1:
                    segments.append(" ".join(run))
                run = []
                continue
            run.append(f"{x_of(i)},{y_of(value)}")
        if len(run) > 1:
            segments.append(" ".join(run))
        drawn.append(Series(label=label, colour=colour, dash=dash, segments=segments, points=points))
    every = max(1, len(labels) // 8)  # at most about eight period labels, so they never overlap
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        x_ticks=[(x_of(i), label) for i, label in enumerate(labels) if i % every == 0],
        y_ticks=[(y_of(top * k // 5), f"{top * k // 5:,}") for k in range(6)],  # whole numbers for every top
        series=drawn,
    )
