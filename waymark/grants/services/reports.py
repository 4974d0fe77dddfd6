"""Proportionate reporting on an award: the reports are rows made when the award is made, each with a due date
fixed then (so a late report stays late and its reminder after the due date fires: Hypha's #4476), recorded
from what the group sent or from a conversation staff wrote down, or skipped with a reason.

Reminders go to the applicant's contact before and after the due date, each once: the report row is locked
and its ``reminded_before_at`` or ``reminded_after_at`` set in the transaction that queues the e-mail (whose
de-duplication key is the report and the reminder's kind), so a second run, or two at once, sends nothing more.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.dates import add_months
from waymark.core.email import send_email
from waymark.grants.choices import DecisionOutcome, ReportStatus
from waymark.grants.models import GrantDecision, GrantReport
from waymark.grants.reporting import reporting_tier_for

ANSWER_LIMIT = 2_000
STORY_LIMIT = 10_000
SKIP_REASON_LIMIT = 500
# Days before the due date that the first reminder goes, and after it that the second goes.
REMIND_BEFORE_DAYS = 14
REMIND_AFTER_DAYS = 14


def create_reports_for(decision: GrantDecision, *, actor: Any) -> list[GrantReport]:
    """Make the award's report rows from the programme's reporting tier for the award's size, due the tier's
    months after the grant starts (or after the award, when it has no start date). Called by the decision
    service when an award is made; calling it again for the same award makes nothing new. A decline, or a
    programme that asks no reporting of this size, gets none."""
    if decision.outcome != DecisionOutcome.AWARD or decision.amount_awarded is None:
        return []
    with transaction.atomic(), acting_as(actor):
        locked = GrantDecision.objects.select_for_update().get(pk=decision.pk)
        existing = list(locked.reports.all())
        if existing:
            return existing
        programme = decision.application.programme
        tier = reporting_tier_for(programme, decision.amount_awarded)
        if tier is None:
            return []
        start = decision.starts_on or decision.award_date
        report = GrantReport.objects.create(
            decision=locked,
            due_on=add_months(start, tier.months_after_start),
            questions=[str(question) for question in tier.questions],
        )
    return [report]


def _locked_due_report(report: GrantReport) -> GrantReport:
    current = GrantReport.objects.select_for_update().select_related("decision").get(pk=report.pk)
    if current.status != ReportStatus.DUE:
        raise ValidationError(
            {
                "status": _("This report is already marked “%(status)s”: it cannot be recorded or skipped again.")
                % {"status": current.get_status_display()}
            }
        )
    return current


def record_report(
    report: GrantReport,
    *,
    answers: Mapping[str, str],
    story: str,
    by_conversation: bool,
    received_on: datetime.date,
    actor: Any,
) -> GrantReport:
    """Record a report as received: the answers to its questions (keyed by the question's number, "1" for the
    first), the group's story, and whether staff took it down in a conversation (which counts as a report).
    Refuses a report already received or skipped, an answer or story over its limit, a receipt date in the
    future or before the award, and a report with nothing in it."""
    story = story.strip()
    cleaned = {key: str(value).strip() for key, value in answers.items() if str(value).strip()}
    errors: dict[str, str] = {}
    numbers = {str(number) for number in range(1, len(report.questions) + 1)}
    for key, value in cleaned.items():
        if key not in numbers:
            errors[f"answer_{key}"] = _("There is no question %(number)s in this report.") % {"number": key}
        elif len(value) > ANSWER_LIMIT:
            errors[f"answer_{key}"] = _(
                "Answer %(number)s must be %(limit)d characters or fewer (it has %(count)d)."
            ) % {
                "number": key,
                "limit": ANSWER_LIMIT,
                "count": len(value),
            }
    if len(story) > STORY_LIMIT:
        errors["story"] = _("The story must be %(limit)d characters or fewer (it has %(count)d).") % {
            "limit": STORY_LIMIT,
            "count": len(story),
        }
    if not story and not cleaned:
        errors["story"] = _("Give the group's story, or an answer to at least one question.")
    today = timezone.localdate()
    if received_on > today:
        errors["received_on"] = _("The date received cannot be after today (%(today)s).") % {
            "today": today.strftime("%d/%m/%Y")
        }
    elif received_on < report.decision.award_date:
        errors["received_on"] = _("The date received cannot be before the award was made (%(day)s).") % {
            "day": report.decision.award_date.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        current = _locked_due_report(report)
        current.answers = cleaned
        current.story = story
        current.by_conversation = by_conversation
        current.received_on = received_on
        current.status = ReportStatus.RECEIVED
        current.recorded_by = actor
        current.save()
    return current


def skip_report(report: GrantReport, *, reason: str, actor: Any) -> GrantReport:
    """Mark a report not needed (the project changed, the group closed, a visit told us enough), with the
    reason, which is kept. No reminder goes for a skipped report."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this report is not needed.")})
    if len(reason) > SKIP_REASON_LIMIT:
        raise ValidationError(
            {"reason": _("The reason must be %(limit)d characters or fewer.") % {"limit": SKIP_REASON_LIMIT}}
        )
    with transaction.atomic(), acting_as(actor):
        current = _locked_due_report(report)
        current.status = ReportStatus.SKIPPED
        current.skip_reason = reason
        current.recorded_by = actor
        current.save()
    return current


def _remind(report_pk: int, *, after: bool, today: datetime.date) -> bool:
    """Send one reminder if it is still unsent; False when another run sent it first or the report is done."""
    field = "reminded_after_at" if after else "reminded_before_at"
    with transaction.atomic(), acting_as(None):
        report = (
            GrantReport.objects.select_for_update()
            .select_related("decision__application__programme__funder")
            .get(pk=report_pk)
        )
        if report.status != ReportStatus.DUE or getattr(report, field) is not None:
            return False
        setattr(report, field, timezone.now())
        report.save(update_fields=[field])
        application = report.decision.application
        with translation.override(application.language):
            send_email(
                to=application.contact_email,
                template="grants_report_reminder",
                context={
                    "report": report,
                    "application": application,
                    "programme": application.programme,
                    "overdue": after,
                    "days_late": (today - report.due_on).days,
                },
                dedupe_key=f"grants-report-reminder:{report.uuid}:{'after' if after else 'before'}",
            )
    return True


def send_report_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail the contact of every due report once in the fortnight before its due date, and once more a
    fortnight after it if it has still not come. Returns how many reminders this run sent."""
    today = today or timezone.localdate()
    due = GrantReport.objects.filter(status=ReportStatus.DUE).exclude(decision__application__contact_email="")
    before = due.filter(
        reminded_before_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=REMIND_BEFORE_DAYS),
    )
    after = due.filter(reminded_after_at__isnull=True, due_on__lte=today - datetime.timedelta(days=REMIND_AFTER_DAYS))
    sent = 0
    for pk in before.order_by("pk").values_list("pk", flat=True):
        sent += _remind(pk, after=False, today=today)
    for pk in after.order_by("pk").values_list("pk", flat=True):
        sent += _remind(pk, after=True, today=today)
    return sent
