"""The demo borough's small grants: last year's round of the seed fund decided, paid and reported, this year's open,
about forty applications at every stage (at least ten awards to unregistered groups), written through the services,
in the small borough that tests load."""

import datetime

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import verified_login
from waymark.accounts.models import User
from waymark.core.models import Job
from waymark.grants import budgets, demo, demo_data
from waymark.grants.choices import (
    ApplicationStatus,
    AssessmentStatus,
    Channel,
    DecisionOutcome,
    IdentifierScheme,
    ReportStatus,
)
from waymark.grants.demo_data import Stage
from waymark.grants.models import (
    Application,
    Assessment,
    GrantDecision,
    GrantReport,
    InterestDeclaration,
    Payment,
    Programme,
    RecipientIdentifier,
)
from waymark.grants.services import recipients

pytestmark = pytest.mark.django_db

STATUS_OF = {
    Stage.DRAFT: ApplicationStatus.DRAFT,
    Stage.WITHDRAWN: ApplicationStatus.WITHDRAWN,
    Stage.SUBMITTED: ApplicationStatus.SUBMITTED,
    Stage.SCREENED_OUT: ApplicationStatus.SCREENED_OUT,
    Stage.ASSESSING: ApplicationStatus.IN_ASSESSMENT,
    Stage.DECLINED: ApplicationStatus.DECLINED,
    Stage.AWARDED: ApplicationStatus.AWARDED,
}


def test_the_demo_borough_tells_the_grants_story(borough, client):
    """One load of the small borough (each load takes a minute), then each part of the story in turn."""
    summary = Job.objects.get(name="seed_demo").result["grants"]
    assert summary["programmes"] == 2 and summary["applications"] == len(demo.APPLICATIONS)
    written = frozenset(Stage)
    _two_rounds_one_closed_one_open()
    _about_forty_applications_at_every_stage(written)
    _assessed_with_a_declared_conflict()
    _awarded_within_budget_paid_in_instalments_and_reported()
    _unregistered_groups_keep_one_identifier(written)
    _the_demo_people_see_their_pages(client, written)


def test_the_round_covers_every_stage():
    assert {plan.stage for plan in demo.APPLICATIONS} == set(Stage)


def _two_rounds_one_closed_one_open():
    today = timezone.localdate()
    last_year = Programme.objects.get(code="wellbeing-seed-1")
    this_year = Programme.objects.get(code="wellbeing-seed-2")
    assert last_year.closes_on < last_year.decision_by < today
    assert this_year.opens_on <= today <= this_year.closes_on
    for programme in (last_year, this_year):
        assert programme.published and programme.panel_enabled
        assert programme.questions.count() == len(demo_data.QUESTIONS)
        assert programme.criteria_set.count() == len(demo_data.CRITERIA)
        assert programme.eligibility_questions.count() == len(demo_data.ELIGIBILITY)
        assert programme.reporting_tiers.count() == len(demo_data.TIERS)
        assert set(programme.languages) == {"ur", "pl", "bn"}
    # Written while open, then its timetable moved back: the move is in its history, with the reason.
    assert Programme.history.filter(id=last_year.pk, history_change_reason=demo.MOVED_BACK).exists()


def _about_forty_applications_at_every_stage(written):
    applications = Application.objects.all()
    assert 36 <= applications.count() <= 44
    assert set(applications.values_list("status", flat=True)) == {STATUS_OF[stage] for stage in written}
    assert applications.filter(status=ApplicationStatus.DRAFT).count() >= 4
    assert applications.filter(channel=Channel.PHONE, entered_by__isnull=False).exists()
    assert applications.filter(channel=Channel.PAPER).exists()
    assert set(applications.values_list("language", flat=True)) >= {"en-gb", "ur", "pl", "bn"}
    # Imperfect: a draft left mid-sentence, one with nothing but a name, a postcode typed untidily (tidied).
    assert applications.filter(status=ApplicationStatus.DRAFT, organisation_name="", project_title="").exists()
    assert applications.filter(status=ApplicationStatus.DRAFT, answers__need__endswith="caring for").exists()
    if Stage.SCREENED_OUT not in written:
        return
    # Screened out with a reason, the automatic flags kept as they were.
    screened_out = applications.filter(status=ApplicationStatus.SCREENED_OUT)
    assert screened_out.count() >= 3 and not screened_out.filter(screening_reason="").exists()
    flagged = {flag["code"] for flags in screened_out.values_list("eligibility_flags", flat=True) for flag in flags}
    assert {"individual", "organisation_type", "area"} <= flagged
    # Sent before they were screened, screened before they were decided: dates in the order they happened.
    for application in applications.exclude(screened_at=None):
        assert application.created_at <= application.submitted_at <= application.screened_at


def _assessed_with_a_declared_conflict():
    conflicted = Assessment.objects.filter(status=AssessmentStatus.CONFLICTED)
    assert conflicted.count() >= 3
    for seat in conflicted:
        declaration = InterestDeclaration.objects.get(assessment=seat)
        assert declaration.has_conflict and declaration.details
        assert not seat.scores.exists()
    # Last year's conflicts did not stop the assessment: another assessor took a seat and submitted.
    for seat in conflicted.filter(application__programme__code="wellbeing-seed-1"):
        others = Assessment.objects.filter(application=seat.application, status=AssessmentStatus.SUBMITTED)
        assert others.count() >= 2
    # This year's round is part way: seats awaiting declaration and scores in draft.
    seats = Assessment.objects.filter(application__programme__code="wellbeing-seed-2")
    assert {AssessmentStatus.AWAITING_DECLARATION, AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED} <= set(
        seats.values_list("status", flat=True)
    )


def _awarded_within_budget_paid_in_instalments_and_reported():
    last_year = Programme.objects.get(code="wellbeing-seed-1")
    position = budgets.budget_position(last_year)
    assert 0 < position.committed <= position.budget and position.paid < position.committed
    decisions = GrantDecision.objects.filter(application__programme=last_year)
    assert decisions.filter(outcome=DecisionOutcome.AWARD).count() >= 12
    assert decisions.filter(outcome=DecisionOutcome.DECLINE).count() >= 6
    assert not decisions.filter(reason="").exists()  # a reason always
    # The decline that says the money ran out is true: less remains than the group asked for.
    ran_out = Application.objects.get(programme=last_year, organisation_name="Parkfield Pakistani Women's Keep Fit")
    assert ran_out.decision.outcome == DecisionOutcome.DECLINE
    assert position.remaining < ran_out.amount_requested
    # Instalments: some awards in two or three, partly paid; never more paid than awarded.
    for decision in decisions.filter(outcome=DecisionOutcome.AWARD):
        payments = Payment.objects.filter(decision=decision)
        assert payments.aggregate(total=Sum("amount"))["total"] == decision.amount_awarded
    assert any(
        Payment.objects.filter(decision=decision).count() >= 2
        and Payment.objects.filter(decision=decision, paid_on=None).exists()
        and Payment.objects.filter(decision=decision, paid_on__isnull=False).exists()
        for decision in decisions
    )
    # Decided last year, before this year's round opened.
    assert decisions.filter(award_date__gt=timezone.localdate() - datetime.timedelta(days=200)).count() == 0
    # Reports: received (one taken down in a conversation), skipped with a reason, due, and overdue.
    reports = GrantReport.objects.filter(decision__application__programme=last_year)
    assert reports.filter(status=ReportStatus.RECEIVED, by_conversation=True).exists()
    assert reports.filter(status=ReportStatus.RECEIVED, by_conversation=False).count() >= 3
    assert reports.filter(status=ReportStatus.SKIPPED).exclude(skip_reason="").exists()
    today = timezone.localdate()
    assert reports.filter(status=ReportStatus.DUE, due_on__lt=today).exists()
    assert reports.filter(status=ReportStatus.DUE, due_on__gte=today).exists()


def _unregistered_groups_keep_one_identifier(written):
    reached = ApplicationStatus.AWARDED if Stage.AWARDED in written else ApplicationStatus.IN_ASSESSMENT
    funded = Application.objects.filter(status=reached, programme__code="wellbeing-seed-1")
    unregistered = [
        application
        for application in funded.select_related("organisation")
        if not application.charity_number and not application.company_number and application.organisation
    ]
    assert len(unregistered) >= 10
    for application in unregistered:
        identifier = recipients.recipient_identifier_for(application.organisation, actor=None)
        assert identifier.scheme == IdentifierScheme.MINTED
        assert recipients.recipient_identifier_for(application.organisation, actor=None) == identifier
    assert RecipientIdentifier.objects.count() >= 10
    # A group already in the directory was matched, not made again.
    hooyo = Application.objects.get(organisation_name="Hooyo Wellbeing Circle", status=reached)
    assert hooyo.organisation is not None and hooyo.organisation.grant_applications.count() == 1
    assert hooyo.organisation.org_type == "community_group"


def _the_demo_people_see_their_pages(client, written):
    officer = User.objects.get(username=demo_data.OFFICER[0])
    verified_login(client, officer)
    last_year = Programme.objects.get(code="wellbeing-seed-1")
    assert client.get(reverse("grants:programme_list")).status_code == 200
    assert client.get(last_year.get_absolute_url()).status_code == 200
    for application in Application.objects.exclude(status=ApplicationStatus.DRAFT)[:3]:
        assert client.get(application.get_absolute_url()).status_code == 200
    if Stage.ASSESSING not in written:
        return
    # The assessor does not see the application they declared a conflict on.
    assessor = User.objects.get(username=demo_data.ASSESSOR[0])
    mine = Assessment.objects.filter(assessor=assessor)
    assert set(mine.values_list("status", flat=True)) >= {
        AssessmentStatus.CONFLICTED,
        AssessmentStatus.IN_PROGRESS,
        AssessmentStatus.AWAITING_DECLARATION,
    }
    conflicted = mine.get(status=AssessmentStatus.CONFLICTED, application__programme__code="wellbeing-seed-2")
    assert not Application.objects.visible_to(assessor).filter(pk=conflicted.application_id).exists()
