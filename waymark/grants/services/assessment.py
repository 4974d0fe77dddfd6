"""Assessment: grants officers give assessors seats on applications; each assessor declares their interests
before the application opens to them, then scores each weighted criterion with a written reason, saving a
draft as often as they like and submitting once. A community panel's recommendation is recorded beside them.

A declared conflict closes the seat for good: the declaration is kept, the seat can never be scored, and the
policy hides the application from that person everywhere (``permissions.applications_seen``). These services
refuse a conflicted or undeclared seat themselves too, so no page, API call or script can score through one.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as
from waymark.core.text import contains_nul
from waymark.grants.choices import ApplicationStatus, AssessmentStatus, AssessorRole, PanelRecommendation
from waymark.grants.models import Application, Assessment, Criterion, InterestDeclaration, PanelDecision, Score

DETAILS_LIMIT = 2_000
JUSTIFICATION_LIMIT = 3_000
COMMENT_LIMIT = 5_000
NOTES_LIMIT = 5_000
TOP_SCORE = 5

ScoreRows = Mapping[int, tuple[int | None, str]]


def _check_officer(actor: Any, doing: str) -> None:
    if actor is not None and not policy.can(actor, "grant_application.manage"):
        raise PermissionDenied(doing)


def _too_long(text: str, limit: int) -> bool:
    return len(text) > limit or contains_nul(text)


def _locked_seat(assessment: Assessment, actor: Any) -> Assessment:
    """The seat, locked, once we know ``actor`` holds it: nobody else declares or scores on someone's seat."""
    seat = Assessment.objects.select_for_update().select_related("application__programme").get(pk=assessment.pk)
    if actor is None or seat.assessor_id != actor.pk:
        raise PermissionDenied(_("Only the assessor who holds this seat may declare or score on it."))
    return seat


def _check_may_score(seat: Assessment) -> None:
    """A conflicted seat is closed and an undeclared one not yet open: both are refused outright."""
    if seat.status == AssessmentStatus.CONFLICTED:
        raise PermissionDenied(_("You declared a conflict of interest on this application, so you cannot score it."))
    if seat.status == AssessmentStatus.AWAITING_DECLARATION:
        raise PermissionDenied(_("Declare your interests before you open or score this application."))
    if seat.status == AssessmentStatus.SUBMITTED:
        raise ValidationError({"scores": _("These scores were submitted and can no longer be changed.")})
    if seat.application.status != ApplicationStatus.IN_ASSESSMENT:
        message = _("This application is no longer in assessment: it is %(status)s.")
        raise ValidationError({"scores": message % {"status": seat.application.get_status_display().lower()}})


def assign_assessor(application: Application, *, assessor: Any, role: str, actor: Any) -> Assessment:
    """Give ``assessor`` a seat on ``application``, awaiting their declaration of interest."""
    _check_officer(actor, _("Assessors are assigned by grants officers."))
    errors = {}
    if role not in AssessorRole.values:
        errors["role"] = _("Choose whether they assess as staff or as a member of the community panel.")
    elif role == AssessorRole.PANEL and not application.programme.panel_enabled:
        errors["role"] = _("This programme has no community panel: assign a staff assessor.")
    if assessor is None or not assessor.is_active:
        errors["assessor"] = _("Choose someone with an active account.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.IN_ASSESSMENT:
            raise ValidationError(
                {"assessor": _("Assessors are assigned once screening sends the application to assessment.")}
            )
        existing = Assessment.objects.filter(application=locked, assessor=assessor).first()
        if existing is not None:
            if existing.status == AssessmentStatus.CONFLICTED:
                message = _("%(name)s declared a conflict of interest on this application: choose someone else.")
            else:
                message = _("%(name)s already has a seat on this application.")
            raise ValidationError({"assessor": message % {"name": assessor.get_full_name() or assessor.get_username()}})
        return Assessment.objects.create(application=locked, assessor=assessor, role=role, assigned_by=actor)


def declare_interest(assessment: Assessment, *, has_conflict: bool, details: str = "", actor: Any) -> Assessment:
    """The assessor's declaration, made once before the application opens to them. A conflict closes the seat."""
    details = (details or "").strip()
    if has_conflict and not details:
        raise ValidationError({"details": _("Say what the interest is, for example: I am a trustee of the group.")})
    if _too_long(details, DETAILS_LIMIT):
        raise ValidationError(
            {
                "details": _("The interest must be described in %(limit)d characters or fewer.")
                % {"limit": DETAILS_LIMIT}
            }
        )
    with transaction.atomic(), acting_as(actor):
        seat = _locked_seat(assessment, actor)
        if seat.status != AssessmentStatus.AWAITING_DECLARATION:
            raise ValidationError({"has_conflict": _("You have already declared your interests on this application.")})
        InterestDeclaration.objects.create(assessment=seat, has_conflict=has_conflict, details=details)
        seat.status = AssessmentStatus.CONFLICTED if has_conflict else AssessmentStatus.IN_PROGRESS
        seat.save(update_fields=["status"])
    return seat


def _checked_scores(seat: Assessment, scores: ScoreRows) -> dict[Criterion, tuple[int | None, str]]:
    criteria = {criterion.pk: criterion for criterion in seat.application.programme.criteria_set.all()}
    checked: dict[Criterion, tuple[int | None, str]] = {}
    problems = []
    for criterion_id, (score, justification) in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            problems.append(_("Score only this programme's criteria."))
            continue
        justification = (justification or "").strip()
        if score is not None and not (isinstance(score, int) and 0 <= score <= TOP_SCORE):
            problems.append(
                _("%(criterion)s: a score is a whole number from 0 to %(top)d, or N/A.")
                % {"criterion": criterion.title, "top": TOP_SCORE}
            )
        if _too_long(justification, JUSTIFICATION_LIMIT):
            problems.append(
                _("%(criterion)s: the reason must be %(limit)d characters or fewer.")
                % {"criterion": criterion.title, "limit": JUSTIFICATION_LIMIT}
            )
        checked[criterion] = (score, justification)
    if problems:
        raise ValidationError({"scores": problems})
    return checked


def save_scores(
    assessment: Assessment, *, scores: ScoreRows, recommendation: str = "", overall_comment: str = "", actor: Any
) -> Assessment:
    """Save the assessor's scores as a draft: ``scores`` maps criterion ids to (score 0 to 5 or None for N/A,
    the written reason). Criteria left out keep what was saved before."""
    overall_comment = (overall_comment or "").strip()
    errors = {}
    if recommendation and recommendation not in PanelRecommendation.values:
        errors["recommendation"] = _("Choose a recommendation from the list, or none yet.")
    if _too_long(overall_comment, COMMENT_LIMIT):
        errors["overall_comment"] = _("The overall comment must be %(limit)d characters or fewer.") % {
            "limit": COMMENT_LIMIT
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        seat = _locked_seat(assessment, actor)
        _check_may_score(seat)
        for criterion, (score, justification) in _checked_scores(seat, scores).items():
            Score.objects.update_or_create(
                assessment=seat, criterion=criterion, defaults={"score": score, "justification": justification}
            )
        seat.recommendation = recommendation
        seat.overall_comment = overall_comment
        seat.save(update_fields=["recommendation", "overall_comment"])
    return seat


def submit_assessment(assessment: Assessment, *, actor: Any) -> Assessment:
    """Submit the saved scores: every criterion scored or marked N/A, each score with its reason, at least one
    criterion scored, and a recommendation. Submitted scores no longer change."""
    with transaction.atomic(), acting_as(actor):
        seat = _locked_seat(assessment, actor)
        _check_may_score(seat)
        saved = {score.criterion_id: score for score in seat.scores.all()}
        problems = []
        for criterion in seat.application.programme.criteria_set.all():
            row = saved.get(criterion.pk)
            if row is None:
                problems.append(_("%(criterion)s: give a score or mark it N/A.") % {"criterion": criterion.title})
            elif row.score is not None and not row.justification.strip():
                problems.append(_("%(criterion)s: say why you gave this score.") % {"criterion": criterion.title})
        if saved and all(row.score is None for row in saved.values()):
            problems.append(_("Score at least one criterion: not every criterion can be N/A."))
        errors: dict[str, Any] = {}
        if problems:
            errors["scores"] = problems
        if not seat.recommendation:
            errors["recommendation"] = _("Give your recommendation before submitting.")
        if errors:
            raise ValidationError(errors)
        seat.status = AssessmentStatus.SUBMITTED
        seat.submitted_at = timezone.now()
        seat.save(update_fields=["status", "submitted_at"])
    return seat


def record_panel_decision(
    application: Application,
    *,
    recommendation: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    notes: str,
    met_on: datetime.date,
    actor: Any,
) -> PanelDecision:
    """Record (or correct) the community panel's recommendation on ``application``, as the panel made it."""
    _check_officer(actor, _("A panel's decision is recorded by grants officers."))
    notes = (notes or "").strip()
    errors = {}
    if not application.programme.panel_enabled:
        errors["recommendation"] = _("This programme has no community panel.")
    elif recommendation not in PanelRecommendation.values:
        errors["recommendation"] = _("Choose the panel's recommendation.")
    for field, value in (("votes_for", votes_for), ("votes_against", votes_against), ("abstentions", abstentions)):
        if not isinstance(value, int) or value < 0 or value > 1_000:
            errors[field] = _("Votes are a whole number from 0 to 1,000.")
    if not notes:
        errors["notes"] = _("Write down the panel's reasons.")
    elif _too_long(notes, NOTES_LIMIT):
        errors["notes"] = _("The panel's reasons must be %(limit)d characters or fewer.") % {"limit": NOTES_LIMIT}
    if met_on is None:
        errors["met_on"] = _("Give the date the panel met.")
    elif met_on > timezone.localdate():
        errors["met_on"] = _("The date the panel met must be today or earlier.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.IN_ASSESSMENT:
            raise ValidationError({"recommendation": _("The panel decides on applications in assessment.")})
        decision, _created = PanelDecision.objects.update_or_create(
            application=locked,
            defaults={
                "recommendation": recommendation,
                "votes_for": votes_for,
                "votes_against": votes_against,
                "abstentions": abstentions,
                "notes": notes,
                "met_on": met_on,
                "recorded_by": actor,
            },
        )
    return decision
