"""The report's part of the consultation page ("we asked, you said, we did"). An inclusion tag, so the
consultation views need no change."""

from typing import Any

from django import template

from waymark.core import policy
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.models import Consultation
from waymark.partnership.reports import report_of

register = template.Library()


@register.inclusion_tag("partnership/_consultation_report.html", takes_context=True)
def consultation_report(context: template.Context, consultation: Consultation) -> dict[str, Any]:
    user = context["request"].user
    can_record = policy.can(user, "consultation.record", consultation)
    return {
        "consultation": consultation,
        "report": report_of(consultation, user),
        "can_report": can_record and consultation.status != ConsultationStatus.CANCELLED,
        "can_view_items": policy.can(user, "voice_item.view"),
        "can_view_issues": policy.can(user, "voice_issue.view"),
        "can_view_actions": policy.can(user, "plan.view"),
    }
