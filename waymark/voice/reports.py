"""The intelligence report: what communities told us over a period, for a theme or a community.

Written for commissioners and overview and scrutiny committees, who receive it outside Waymark (as a page,
a PDF or a spreadsheet), so it is built to be published: every count of feedback passes through
``core.disclosure`` (two-way tables with ``protect_table``, so hidden cells cannot be worked out from the
totals), people's words appear only with their consent to publish and never from a safeguarding item, and
nothing identifies anyone (no names, references or demographics). Counts of issues, escalations and
answers are about organisations' work, not people, and are exact.

``build_report`` reads each table once and counts in Python: a year of a busy borough is a few thousand
items, which is far cheaper than one aggregate query per cell.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.disclosure import ProtectedTable, PublishedCount, protect_counts, protect_table
from waymark.core.models import Community, Theme
from waymark.voice import published
from waymark.voice.charts import LineChart, line_chart
from waymark.voice.choices_items import HowGathered, Sentiment
from waymark.voice.models import FeedbackItem, Issue, Response

THEMES_CHARTED = 6
COMMUNITIES_CHARTED = 4
QUOTES = 8
MONTHLY_UP_TO_DAYS = 200  # longer periods are counted by quarter, so cells stay large enough to publish


@dataclass(frozen=True)
class ReportScope:
    """What the report covers: a period, and optionally one theme and one community."""

    date_from: datetime.date
    date_to: datetime.date
    theme: Theme | None = None
    community: Community | None = None

    @property
    def title(self) -> str:
        parts = [_("Community intelligence report")]
        if self.theme:
            parts.append(self.theme.name)
        if self.community:
            parts.append(self.community.name)
        return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]

    def query_string(self) -> str:
        from urllib.parse import urlencode

        params = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.theme:
            params["theme"] = self.theme.slug
        if self.community:
            params["community"] = str(self.community.pk)
        return urlencode(params)


def default_scope() -> ReportScope:
    """The last twelve whole months."""
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    return ReportScope(date_from=first_of_month.replace(year=first_of_month.year - 1), date_to=today)


@dataclass(frozen=True)
class CountRow:
    label: str
    count: PublishedCount


@dataclass(frozen=True)
class ThemeTimeTable:
    """Themes (rows) by period (columns) for one community, or for everyone, with its chart."""

    label: str
    periods: list[str]
    themes: list[str]
    table: ProtectedTable
    chart: LineChart | None
    slug: str

    @property
    def rows(self) -> list[tuple[str, list[PublishedCount], PublishedCount]]:
        """(theme, its count in each period, its total) for the table."""
        return list(zip(self.themes, self.table.cells, self.table.row_totals, strict=True))


@dataclass(frozen=True)
class IssueLine:
    issue: Issue
    responders: list[str]
    outcomes: list[str]


@dataclass
class IntelligenceReport:
    scope: ReportScope
    generated_at: datetime.datetime
    total: PublishedCount
    by_theme: list[CountRow]
    by_how_gathered: list[CountRow]
    by_sentiment: list[CountRow]
    by_language: list[CountRow]
    over_time: list[ThemeTimeTable]
    issues: list[IssueLine]
    issue_statuses: list[tuple[str, int]]
    outcomes: list[tuple[str, int]]
    timeliness: list[published.Timeliness]
    quotes: list[published.Quote] = field(default_factory=list)


def items_in_scope(scope: ReportScope) -> QuerySet[FeedbackItem]:
    items = FeedbackItem.objects.filter(received_on__gte=scope.date_from, received_on__lte=scope.date_to)
    if scope.theme:
        items = items.filter(Q(themes=scope.theme) | Q(themes__parent=scope.theme))
    if scope.community:
        items = items.filter(communities=scope.community)
    return items.distinct()


def period_labels(scope: ReportScope) -> tuple[list[str], Any]:
    """The periods the report counts by (months for short reports, quarters otherwise), and a date → label."""
    monthly = (scope.date_to - scope.date_from).days <= MONTHLY_UP_TO_DAYS

    def label_of(day: datetime.date) -> str:
        return f"{day:%b %Y}" if monthly else f"{day.year} Q{(day.month - 1) // 3 + 1}"

    labels: list[str] = []
    day = scope.date_from.replace(day=1)
    while day <= scope.date_to:
        if label_of(day) not in labels:
            labels.append(label_of(day))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return labels, label_of


def _counted(counts: dict[Any, int], labels: dict[Any, str]) -> list[CountRow]:
    cells, _total = protect_counts(counts)
    return [CountRow(labels[key], cells[key]) for key in counts]


def build_report(scope: ReportScope) -> IntelligenceReport:
    """Everything in the report, every count of feedback already disclosure-controlled."""
    items = list(
        items_in_scope(scope).values_list("pk", "received_on", "how_gathered", "sentiment", "original_language__name")
    )
    item_ids = [row[0] for row in items]
    tops = {theme.pk: theme for theme in Theme.objects.filter(parent__isnull=True).order_by("name")}
    parent_of = dict(Theme.objects.values_list("pk", "parent_id"))
    themes_of: dict[int, set[int]] = defaultdict(set)
    for item_id, theme_id in FeedbackItem.themes.through.objects.filter(feedbackitem_id__in=item_ids).values_list(
        "feedbackitem_id", "theme_id"
    ):
        top = parent_of.get(theme_id) or theme_id
        if top in tops:
            themes_of[item_id].add(top)
    communities_of: dict[int, set[int]] = defaultdict(set)
    for item_id, community_id in FeedbackItem.communities.through.objects.filter(
        feedbackitem_id__in=item_ids
    ).values_list("feedbackitem_id", "community_id"):
        communities_of[item_id].add(community_id)

    theme_totals = Counter(dict.fromkeys(tops, 0))
    for item_id in item_ids:
        theme_totals.update(themes_of[item_id])
    how = Counter({choice.value: 0 for choice in HowGathered})
    how.update(row[2] for row in items)
    sentiment = Counter({choice.value: 0 for choice in Sentiment})
    sentiment.update(row[3] for row in items if row[3])
    language_names = Counter(row[4] or _("Not yet known") for row in items)
    _cells, total = protect_counts({"all": len(items)})

    return IntelligenceReport(
        scope=scope,
        generated_at=timezone.now(),
        total=total,
        by_theme=_counted(dict(theme_totals), {pk: theme.name for pk, theme in tops.items()}),
        by_how_gathered=_counted(dict(how), {choice.value: str(choice.label) for choice in HowGathered}),
        by_sentiment=_counted(dict(sentiment), {choice.value: str(choice.label) for choice in Sentiment}),
        by_language=_counted(dict(language_names.most_common()), {name: str(name) for name in language_names}),
        over_time=_over_time(scope, items, themes_of, communities_of, tops, theme_totals),
        **_issue_sections(scope),
        quotes=published.quotes_from(
            published.quotable_items(items_in_scope(scope)).order_by("-received_on", "pk"), QUOTES
        ),
    )


def _over_time(
    scope: ReportScope,
    items: list[tuple],
    themes_of: dict[int, set[int]],
    communities_of: dict[int, set[int]],
    tops: dict[int, Theme],
    theme_totals: Counter,
) -> list[ThemeTimeTable]:
    """Themes over time for everyone, then for each of the communities that raised most."""
    labels, label_of = period_labels(scope)
    charted = [pk for pk, count in theme_totals.most_common(THEMES_CHARTED) if count]
    if scope.community:
        groups: list[tuple[str, str, int | None]] = [(scope.community.name, f"c{scope.community.pk}", None)]
    else:
        by_community = Counter(pk for item_id, *_rest in items for pk in communities_of[item_id])
        names = dict(Community.objects.filter(pk__in=list(by_community)).values_list("pk", "name"))
        groups = [(_("All communities"), "all", None)]
        groups += [(names[pk], f"c{pk}", pk) for pk, _n in by_community.most_common(COMMUNITIES_CHARTED)]
    tables = []
    for label, slug, community_id in groups:
        grid = {(theme, period): 0 for theme in charted for period in labels}
        for item_id, received_on, *_rest in items:
            if community_id is not None and community_id not in communities_of[item_id]:
                continue
            for theme in themes_of[item_id] & set(charted):
                grid[(theme, label_of(received_on))] += 1
        if not charted:
            continue
        table = protect_table([[grid[(theme, period)] for period in labels] for theme in charted])
        series = [
            (tops[theme].name, [cell.value for cell in row]) for theme, row in zip(charted, table.cells, strict=True)
        ]
        chart = line_chart(labels, series)
        tables.append(
            ThemeTimeTable(
                label=label,
                periods=labels,
                themes=[tops[theme].name for theme in charted],
                table=table,
                chart=chart,
                slug=slug,
            )
        )
    return tables


def _issue_sections(scope: ReportScope) -> dict[str, Any]:
    """Issues opened in the period (for the theme or community), their escalations, answers and timeliness."""
    start = datetime.datetime.combine(scope.date_from, datetime.time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime.combine(scope.date_to, datetime.time.max, tzinfo=timezone.get_current_timezone())
    issues = Issue.objects.filter(created_at__gte=start, created_at__lte=end)
    if scope.theme:
        issues = issues.filter(Q(themes=scope.theme) | Q(themes__parent=scope.theme))
    if scope.community:
        issues = issues.filter(communities=scope.community)
    issues = (
        issues.distinct().prefetch_related("escalations__responder", "escalations__response").order_by("-created_at")
    )
    lines = []
    responders = {}
    statuses: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for issue in issues:
        statuses[issue.get_status_display()] += 1
        escalations = list(issue.escalations.all())
        answer_outcomes = []
        for escalation in escalations:
            responders[escalation.responder_id] = escalation.responder
            response: Response | None = getattr(escalation, "response", None)
            if response is not None:
                answer_outcomes.append(response.get_outcome_display())
                outcomes[response.get_outcome_display()] += 1
        lines.append(
            IssueLine(
                issue=issue,
                responders=[escalation.responder.name for escalation in escalations],
                outcomes=answer_outcomes,
            )
        )
    return {
        "issues": lines,
        "issue_statuses": sorted(statuses.items()),
        "outcomes": sorted(outcomes.items()),
        "timeliness": published.timeliness(responders.values()) if responders else [],
    }
