from waymark.plans.models.assessments import CompetencyAssessment, EdsGrader, EdsGrading, EdsOutcomeGrade
from waymark.plans.models.indicators import Indicator
from waymark.plans.models.links import ActionIssueLink
from waymark.plans.models.plans import (
    Action,
    ActionEvidence,
    ActionPartner,
    ActionReminder,
    Milestone,
    Objective,
    Plan,
)
from waymark.plans.models.templates import PlanTemplate, TemplateItem

__all__ = [
    "Action",
    "ActionEvidence",
    "ActionIssueLink",
    "ActionPartner",
    "ActionReminder",
    "CompetencyAssessment",
    "EdsGrader",
    "EdsGrading",
    "EdsOutcomeGrade",
    "Indicator",
    "Milestone",
    "Objective",
    "Plan",
    "PlanTemplate",
    "TemplateItem",
]
