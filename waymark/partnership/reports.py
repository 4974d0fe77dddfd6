"""Reading the loop a consultation closes: the feedback and issues it produced and the plan actions it feeds,
as the viewer may see them; and, from the other side, the consultations behind an issue or a plan action.
Every row passes its own model's ``visible_to``, so a page never shows a link its viewer could not open."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from waymark.partnership.feeds import public_consultations
from waymark.partnership.models import Consultation
from waymark.plans.models import Action
from waymark.voice.models import FeedbackItem, Issue


@dataclass(frozen=True)
class ConsultationReport:
    items: list[FeedbackItem]
    issues: list[Issue]
    actions: list[Action]

    @property
    def links(self) -> bool:
        return bool(self.items or self.issues or self.actions)


def report_of(consultation: Consultation, user: Any) -> ConsultationReport:
    """What the consultation produced and feeds, among the rows ``user`` sees."""
    return ConsultationReport(
        items=list(
            FeedbackItem.objects.visible_to(user)
            .filter(consultations=consultation)
            .only("pk", "uuid", "reference", "received_on", "english_summary", "text")
            .order_by("received_on", "pk")
        ),
        issues=list(Issue.objects.visible_to(user).filter(consultations=consultation).order_by("title", "pk")),
        actions=list(
            Action.objects.visible_to(user)
            .filter(consultations=consultation)
            .select_related("objective__plan")
            .order_by("objective__plan__title", "code", "pk")
        ),
    )


def _consultations(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.visible_to(user).select_related("lead_organisation").order_by("-starts_on", "pk")


def consultations_feeding(action: Action, user: Any) -> list[Consultation]:
    """The consultations ``user`` sees that feed this plan action, newest first."""
    return list(_consultations(user).filter(feeds_actions=action))


def consultations_raising(issue: Issue, user: Any) -> list[Consultation]:
    """The consultations ``user`` sees in which this issue was raised, newest first."""
    return list(_consultations(user).filter(produced_issues=issue))


def consultations_hearing(item: FeedbackItem, user: Any) -> list[Consultation]:
    """The consultations ``user`` sees that produced this feedback item, newest first."""
    return list(_consultations(user).filter(produced_items=item))


def public_consultations_raising(issue: Issue) -> list[Consultation]:
    """The consultations on the public page (published, open or reported) in which this issue was raised:
    what anyone may read, whoever is looking."""
    return list(
        public_consultations()
        .filter(produced_issues=issue)
        .select_related("lead_organisation")
        .only("uuid", "title", "starts_on", "ends_on", "status", "lead_organisation__name")
        .order_by("-starts_on", "pk")
    )
