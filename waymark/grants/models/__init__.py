from waymark.grants.models.applications import Application, Attachment, RecipientIdentifier
from waymark.grants.models.assessment import Assessment, InterestDeclaration, PanelDecision, Score
from waymark.grants.models.awards import GrantDecision, GrantReport, Payment
from waymark.grants.models.programmes import Criterion, EligibilityQuestion, Programme, Question, ReportingTier

__all__ = [
    "Application",
    "Assessment",
    "Attachment",
    "Criterion",
    "EligibilityQuestion",
    "GrantDecision",
    "GrantReport",
    "InterestDeclaration",
    "PanelDecision",
    "Payment",
    "Programme",
    "Question",
    "RecipientIdentifier",
    "ReportingTier",
    "Score",
]
