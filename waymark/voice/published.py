"""What "You said, we did" may show the public: issues with a published answer, what changed, and counts.

The rules, in one place so the pages and the public API cannot drift apart:

- An issue is public once staff have published at least one answer to it; only published answers show.
- No personal data: no names, contact details, demographics, references, documents or who typed an answer.
- The words people used appear only as staff have edited them to remove anything that could identify
  anyone (``public_quote``, never the text as sent), only from items whose author consented to publication,
  and never from an item flagged for safeguarding.
- Every count of feedback passes through ``core.disclosure`` (small numbers hidden, the rest rounded).
- Response timeliness counts escalations to an organisation, not people: it is the organisation's public
  record of answering on time, so it is shown exactly.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.disclosure import PublishedCount, protect_counts
from waymark.core.models import Organisation, Theme
from waymark.voice.language import ISO639_3_TO_BCP47
from waymark.voice.models import Escalation, EscalationStatus, FeedbackItem, Issue, Response

QUOTES_PER_ISSUE = 3


def top_theme(theme: Theme) -> Theme:
    """The top-level theme a theme belongs to (the taxonomy has two levels)."""
    return theme.parent if theme.parent_id and theme.parent is not None else theme


def public_responses() -> QuerySet[Response]:
    return Response.objects.filter(published=True)


def public_issues() -> QuerySet[Issue]:
    """Issues with at least one published answer, with what their pages need fetched in a few queries."""
    published = public_responses().values("escalation__issue_id")
    return (
        Issue.objects.filter(pk__in=published)
        .prefetch_related(
            "themes",
            "communities",
            Prefetch(
                "escalations",
                queryset=Escalation.objects.filter(response__published=True)
                .select_related("responder", "response")
                .order_by("sent_at"),
                to_attr="published_escalations",
            ),
        )
        .order_by("-updated_at", "-pk")
    )


def issues_for_theme(theme: Theme) -> QuerySet[Issue]:
    """Public issues under a theme or any theme beneath it."""
    return public_issues().filter(Q(themes=theme) | Q(themes__parent=theme)).distinct()


def issues_for_organisation(organisation: Organisation) -> QuerySet[Issue]:
    """Public issues the organisation has published an answer to."""
    answered = public_responses().filter(escalation__responder=organisation).values("escalation__issue_id")
    return public_issues().filter(pk__in=answered)


def issues_for_service(service: Any) -> QuerySet[Issue]:
    """Public issues built from feedback about a directory service."""
    return public_issues().filter(items__services=service).distinct()


@dataclass(frozen=True)
class Quote:
    """Words that may be quoted publicly, and the language they are in (a two-letter code, or empty)."""

    text: str
    lang: str = ""


def quotable_items(items: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    """Items whose authors consented to publication and whose words staff have edited for quoting; never
    safeguarding items. Only ``public_quote`` is ever quoted, never the words as they were sent."""
    return items.filter(consent_to_publish=True, safeguarding=False).exclude(public_quote="")


def quotes_from(items: QuerySet[FeedbackItem], limit: int) -> list[Quote]:
    rows = items.values_list("public_quote", "original_language__code")[:limit]
    return [Quote(text, quote_lang(code)) for text, code in rows]


def quote_lang(iso639_3: str | None) -> str:
    """The two-letter BCP 47 code for a quote's ``lang``, or empty when the language has none (or is unknown)."""
    return ISO639_3_TO_BCP47.get(iso639_3 or "", "")


def publishable_quotes(issue: Issue, limit: int = QUOTES_PER_ISSUE) -> list[Quote]:
    """The staff-edited words from the issue's quotable items (see ``quotable_items``)."""
    return quotes_from(quotable_items(issue.items.all()).order_by("received_on", "pk"), limit)


def item_count(issue: Issue) -> PublishedCount:
    """How many pieces of feedback the issue grew from, disclosure-controlled."""
    cells, _total = protect_counts({"items": issue.items.count()})
    return cells["items"]


def items_by_theme(items: QuerySet[FeedbackItem] | None = None) -> list[tuple[Theme, PublishedCount]]:
    """Feedback items per top-level theme (an item counts once under each top-level theme it touches)."""
    items = FeedbackItem.objects.all() if items is None else items
    tops = {theme.pk: theme for theme in Theme.objects.filter(parent__isnull=True).order_by("name")}
    parent_of = dict(Theme.objects.values_list("pk", "parent_id"))
    pairs = FeedbackItem.themes.through.objects.filter(feedbackitem__in=items).values_list(
        "feedbackitem_id", "theme_id"
    )
    seen: set[tuple[int, int]] = set()
    counts: Counter[int] = Counter(dict.fromkeys(tops, 0))
    for item_id, theme_id in pairs:
        top = parent_of.get(theme_id) or theme_id
        if top in tops and (item_id, top) not in seen:
            seen.add((item_id, top))
            counts[top] += 1
    cells, _total = protect_counts(dict(counts))
    return [(tops[pk], cells[pk]) for pk in tops]


@dataclass(frozen=True)
class Timeliness:
    """One organisation's record of answering escalations, from the escalations sent to it."""

    organisation: Organisation
    sent: int
    on_time: int
    late: int
    waiting: int
    overdue: int

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None


TIMELINESS_LABELS = {
    "sent": _("Escalations sent"),
    "on_time": _("Answered by the due date"),
    "late": _("Answered late"),
    "waiting": _("Awaiting, not yet due"),
    "overdue": _("Awaiting, overdue"),
}


def timeliness(organisations: Iterable[Organisation] | None = None) -> list[Timeliness]:
    """Each responder's escalations by whether they were answered by the due date, late, or not yet.

    Counted in the database, one row per organisation, so the cost does not grow with the escalations. An
    answer is on time when it was given on or before the due date in the site's time zone."""
    today = timezone.localdate()
    escalations = Escalation.objects.alias(
        answered_on=TruncDate("response__created_at", tzinfo=timezone.get_current_timezone())
    )
    if organisations is not None:
        escalations = escalations.filter(responder__in=list(organisations))
    unanswered = Q(response__isnull=True, status=EscalationStatus.AWAITING)
    tallies = (
        escalations.values("responder_id")
        .annotate(
            sent=Count("pk"),
            on_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(answered_on__gt=F("due_on"))),
            waiting=Count("pk", filter=unanswered & Q(due_on__gte=today)),
            overdue=Count("pk", filter=unanswered & Q(due_on__lt=today)),
        )
        .order_by()
    )
    responders = Organisation.objects.in_bulk([tally["responder_id"] for tally in tallies])
    rows = [
        Timeliness(
            organisation=responders[tally["responder_id"]],
            sent=tally["sent"],
            on_time=tally["on_time"],
            late=tally["late"],
            waiting=tally["waiting"],
            overdue=tally["overdue"],
        )
        for tally in tallies
    ]
    return sorted(rows, key=lambda row: row.organisation.name)


def public_themes() -> list[Theme]:
    """Top-level themes that have at least one public issue, for browsing."""
    issue_themes = Theme.objects.filter(voice_issues__in=public_issues().values("pk")).values_list("pk", "parent_id")
    wanted = {parent or pk for pk, parent in issue_themes}
    return list(Theme.objects.filter(pk__in=wanted).order_by("name"))


def public_organisations() -> list[Organisation]:
    """Organisations that have published at least one answer."""
    answered = public_responses().values("escalation__responder_id")
    return list(Organisation.objects.filter(pk__in=answered).order_by("name"))


def services_with_public_issues() -> list[Any]:
    """Public directory services that public issues were raised about."""
    from waymark.directory.models import Service

    issue_items = FeedbackItem.objects.filter(issues__in=public_issues().values("pk"))
    return list(
        Service.objects.public()
        .filter(feedback_items__in=issue_items.values("pk"))
        .select_related("organisation")
        .distinct()
        .order_by("name")
    )
