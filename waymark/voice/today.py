"""What voice puts in a person's work queue on the home page (``core.today``), and the filters of the lists
those lines lead to, so that each count is exactly what its list shows."""

import datetime
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.core.today import Line
from waymark.voice import answering, triage_queue
from waymark.voice.language import needing_interpreting
from waymark.voice.models import Escalation, FeedbackItem, Issue
from waymark.voice.models.issues import EscalationStatus
from waymark.voice.workdays import add_working_days

DUE_SOON_WORKING_DAYS = 5


def escalations_due_by() -> datetime.date:
    """Escalations awaiting an answer due on or before this day are overdue or due within five working days."""
    return add_working_days(timezone.localdate(), DUE_SOON_WORKING_DAYS)


def issues_with_escalations_due[Issues: QuerySet[Issue]](issues: Issues) -> Issues:
    """The issue list's ``?escalations=due`` filter."""
    due = Escalation.objects.filter(status=EscalationStatus.AWAITING, due_on__lte=escalations_due_by())
    return issues.filter(pk__in=due.values("issue_id"))


def awaiting_answer[Escalations: QuerySet[Escalation]](escalations: Escalations) -> Escalations:
    """The responder list's ``?status=awaiting`` filter."""
    return escalations.filter(status=EscalationStatus.AWAITING)


def triage_lines(user: Any) -> list[Line]:
    counts = triage_queue.new_items(user).aggregate(
        total=Count("pk"), safeguarding=Count("pk", filter=Q(safeguarding=True))
    )
    total, safeguarding = counts["total"], counts["safeguarding"]
    text = ngettext("%(count)d new feedback item to triage", "%(count)d new feedback items to triage", total) % {
        "count": total
    }
    if safeguarding:
        text += " " + ngettext(
            "(%(count)d a safeguarding concern)", "(%(count)d safeguarding concerns)", safeguarding
        ) % {"count": safeguarding}
    return [Line(text, reverse("voice:triage"), total, urgent=bool(safeguarding))]


def interpreting_lines(user: Any) -> list[Line]:
    count = needing_interpreting(FeedbackItem.objects.visible_to(user)).count()
    text = ngettext(
        "%(count)d feedback item needs interpreting", "%(count)d feedback items need interpreting", count
    ) % {"count": count}
    return [Line(text, reverse("voice:item_list") + "?interpreting=1", count)]


def escalation_lines(user: Any) -> list[Line]:
    issues = issues_with_escalations_due(Issue.objects.visible_to(user))
    count = issues.count()
    text = ngettext(
        "%(count)d issue with an escalation overdue or due within five working days",
        "%(count)d issues with escalations overdue or due within five working days",
        count,
    ) % {"count": count}
    return [Line(text, reverse("voice:issue_list") + "?escalations=due", count)]


def responder_lines(user: Any) -> list[Line]:
    awaiting = awaiting_answer(answering.escalations_for_responder(user))
    counts = awaiting.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())), first_due=Min("due_on")
    )
    total = counts["total"]
    text = ngettext("%(count)d escalation to answer", "%(count)d escalations to answer", total) % {"count": total}
    if total:
        text += ", " + _("the first due %(date)s") % {"date": formats.date_format(counts["first_due"], "j F Y")}
    return [Line(text, reverse("voice:responder_list") + "?status=awaiting", total, urgent=bool(counts["overdue"]))]
