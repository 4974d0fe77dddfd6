"""Server-side SVG bar charts for results pages: no JavaScript, drawn from the same rows as the table beside.

The chart is decoration for sighted readers (``aria-hidden``); the table next to it carries the figures
for everyone, so the two must always be drawn from the same rows.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Sized for half a page column (about 380 CSS pixels), so the text is drawn at its real size.
BAR_HEIGHT = 26
GAP = 10
LABEL_WIDTH = 170
BAR_AREA = 170
VALUE_WIDTH = 40


def _shorten(label: str, limit: int = 21) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, int | None]]) -> SafeString:
    """Horizontal bars, one per (label, value); a value of None (hidden by disclosure control) draws no bar."""
    largest = max((value or 0 for _label, value in rows), default=0) or 1
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bars = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar_width = round(BAR_AREA * (value or 0) / largest)
        shown = "–" if value is None else str(value)
        bars.append(
            (
                y + BAR_HEIGHT * 0.7,
                _shorten(label),
                LABEL_WIDTH,
                y,
                bar_width,
                BAR_HEIGHT,
                LABEL_WIDTH + bar_width + 6,
                y + BAR_HEIGHT * 0.7,
                shown,
            )
        )
    body = format_html_join(
        "\n",
        '<text x="0" y="{}" font-size="15" fill="#212b32">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#005eb8"></rect>'
        '<text x="{}" y="{}" font-size="15" font-weight="bold" fill="#212b32">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="waymark-chart" font-family="Arial, sans-serif" viewBox="0 0 {} {}" width="100%" '
        'role="presentation" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        width,
        height,
        body,
    )
