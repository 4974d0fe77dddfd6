"""The balance chart: for each quarter, one bar per function showing its share of the quarter's hours, and a
dashed line at the warning share. Drawn on the server as SVG, no JavaScript.

The chart is for sighted readers (``aria-hidden``); the table beside it, drawn from the same quarters,
carries the figures and the warnings for everyone.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from waymark.partnership.balances import QuarterBalance

# Drawn 280 wide, about a third of a page column, so the text shows at its real size: each function's name
# above its bar, so that the longest ("Community capacity-builder") needs no shortening.
WIDTH = 280
BAR_AREA = 230
HEADING = 24
LABEL = 17
BAR_HEIGHT = 14
GAP = 9
QUARTER_GAP = 14
# One colour per function, in CdwFunction's order; each bar is labelled too, so colour is never the only cue.
COLOURS = ("#005eb8", "#7c2855", "#007f3b", "#330072")


def balance_chart(quarters: Sequence[QuarterBalance], limit: int) -> SafeString:
    """Bars of each function's share (0 to 100 per cent) per quarter, with the warning line at ``limit``."""
    parts: list[SafeString] = []
    y = 0
    line_x = round(BAR_AREA * limit / 100)
    step = LABEL + BAR_HEIGHT + GAP
    for quarter in quarters:
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="15" font-weight="bold" fill="#212b32">{}</text>', y + 16, quarter.label
            )
        )
        top = y + HEADING
        bars = []
        for index, (item, colour) in enumerate(zip(quarter.functions, COLOURS, strict=True)):
            label_y = top + index * step + 13
            bar_y = top + index * step + LABEL
            share = item.share if quarter.total else Decimal(0)
            bar_width = round(BAR_AREA * share / 100)
            bars.append(
                (
                    label_y,
                    item.label,
                    bar_y,
                    bar_width,
                    BAR_HEIGHT,
                    colour,
                    bar_width + 5,
                    bar_y + BAR_HEIGHT - 2,
                    f"{round(share)}%",
                )
            )
        parts.append(
            format_html_join(
                "\n",
                '<text x="0" y="{}" font-size="14" fill="#212b32">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#212b32">{}</text>',
                bars,
            )
        )
        bottom = top + len(quarter.functions) * step - GAP
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d5281b" stroke-width="2" stroke-dasharray="5 3">'
                "</line>",
                line_x,
                top + LABEL - 3,
                line_x,
                bottom + 3,
            )
        )
        y = bottom + QUARTER_GAP
    legend_y = y + 4
    parts.append(
        format_html(
            '<line x1="0" y1="{}" x2="24" y2="{}" stroke="#d5281b" stroke-width="2" stroke-dasharray="5 3"></line>'
            '<text x="30" y="{}" font-size="13" fill="#212b32">{}</text>',
            legend_y,
            legend_y,
            legend_y + 5,
            _("Warning above %(limit)s%% of the hours") % {"limit": limit},
        )
    )
    height = legend_y + 12
    return format_html(
        '<svg class="waymark-chart" font-family="Arial, sans-serif" viewBox="0 0 {} {}" width="100%" '
        'role="presentation" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        height,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
