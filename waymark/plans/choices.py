"""Fixed vocabularies of the plans app: kinds of plan, their statuses, RAG ratings, roles and grades."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanType(models.TextChoices):
    PCREF = "pcref", _("PCREF local plan")
    EDS = "eds2022", _("Equality Delivery System 2022")
    EQUALITY_OBJECTIVES = "psed", _("Equality objectives (Public Sector Equality Duty)")
    PARTNERSHIP = "partnership", _("Local partnership plan")
    OTHER = "other", _("Other plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_CONSULTATION = "consultation", _("In consultation")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    UNDER_REVIEW = "review", _("Under review")
    CLOSED = "closed", _("Closed")


# Where a plan may go from each status. Approving and publishing are for administrators (plan.approve).
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlanStatus.DRAFT: (PlanStatus.IN_CONSULTATION, PlanStatus.APPROVED),
    PlanStatus.IN_CONSULTATION: (PlanStatus.DRAFT, PlanStatus.APPROVED),
    PlanStatus.APPROVED: (PlanStatus.PUBLISHED, PlanStatus.DRAFT),
    PlanStatus.PUBLISHED: (PlanStatus.UNDER_REVIEW, PlanStatus.CLOSED),
    PlanStatus.UNDER_REVIEW: (PlanStatus.PUBLISHED, PlanStatus.CLOSED),
    PlanStatus.CLOSED: (),
}
APPROVER_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED})
# Statuses in which the public and network members read the plan.
PUBLIC_STATUSES = frozenset({PlanStatus.PUBLISHED, PlanStatus.UNDER_REVIEW, PlanStatus.CLOSED})


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    DEFERRED = "deferred", _("Deferred")
    CANCELLED = "cancelled", _("Cancelled")


# Actions that no longer count towards a plan's roll-up or its staleness.
WITHDRAWN_STATUSES = frozenset({ActionStatus.CANCELLED})
FINISHED_STATUSES = frozenset({ActionStatus.COMPLETE, ActionStatus.CANCELLED})


class Rag(models.TextChoices):
    """Red, amber, green, with the definitions printed on every page and report that shows them."""

    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")
    NOT_RATED = "", _("Not rated")


RAG_DEFINITIONS = {
    Rag.RED: _("Will not be delivered by the due date, or not at all, without a change of plan or more resources."),
    Rag.AMBER: _("At risk: behind schedule or facing a problem the lead expects to resolve."),
    Rag.GREEN: _("On track to be delivered by the due date, or delivered."),
}
# Worst first: the roll-up takes the first of these found among an objective's actions.
RAG_SEVERITY = (Rag.RED, Rag.AMBER, Rag.GREEN)
RAGS_NEEDING_REASON = frozenset({Rag.RED, Rag.AMBER})


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    CONSULTED = "consulted", _("Consulted")


class Freshness(models.TextChoices):
    """How long since an action's lead last updated it, against its plan's update interval."""

    CURRENT = "current", _("Up to date")
    LATE = "late", _("Update late")
    STALE = "stale", _("Stale")


class Statistic(models.TextChoices):
    """Which figure of a monitoring table an indicator follows, for its group."""

    RATIO_TO_REFERENCE = "ratio_to_reference", _("Rate ratio against the reference group")
    RATIO_TO_OTHERS = "ratio_to_others", _("Rate ratio against all other groups")
    RATE = "rate", _("Rate per 100,000")


class Direction(models.TextChoices):
    AT_MOST = "at_most", _("At or below the target is better")
    AT_LEAST = "at_least", _("At or above the target is better")


class TemplateItemKind(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    COMPETENCY = "competency", _("Organisational competency")
    OUTCOME = "outcome", _("EDS 2022 outcome")


class EdsGrade(models.IntegerChoices):
    UNDEVELOPED = 0, _("Undeveloped activity")
    DEVELOPING = 1, _("Developing activity")
    ACHIEVING = 2, _("Achieving activity")
    EXCELLING = 3, _("Excelling activity")


class GraderRole(models.TextChoices):
    STAFF = "staff", _("Staff")
    STAKEHOLDER = "stakeholder", _("Stakeholders")
    PEER = "peer", _("Peers")


class CompetencyLevel(models.TextChoices):
    """A plan's self-assessment against one PCREF organisational competency."""

    NOT_STARTED = "not_started", _("Not started")
    DEVELOPING = "developing", _("Developing")
    ESTABLISHED = "established", _("Established")
    EMBEDDED = "embedded", _("Embedded")


def eds_overall_rating(total: int) -> EdsGrade:
    """The EDS 2022 overall rating from the sum of the eleven outcome grades (0 to 33): under 8 undeveloped,
    8 to 21 developing, 22 to 32 achieving, 33 excelling."""
    if total >= 33:
        return EdsGrade.EXCELLING
    if total >= 22:
        return EdsGrade.ACHIEVING
    if total >= 8:
        return EdsGrade.DEVELOPING
    return EdsGrade.UNDEVELOPED
