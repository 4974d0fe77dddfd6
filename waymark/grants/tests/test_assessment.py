"""Screening and assessment as the people doing them meet it: a reason always, a declaration before the
application opens, a conflicted assessor refused everywhere, weighted scores with N/A left out."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.core.roles import Role
from waymark.grants import scoring
from waymark.grants.choices import ApplicationStatus, AssessmentStatus, AssessorRole, PanelRecommendation
from waymark.grants.factories import ApplicationFactory, AssessmentFactory, ProgrammeFactory
from waymark.grants.models import Assessment, InterestDeclaration
from waymark.grants.services.assessment import (
    assign_assessor,
    declare_interest,
    record_panel_decision,
    save_scores,
    submit_assessment,
)
from waymark.grants.services.screening import screen_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_persona):
    return make_persona(Role.STAFF)


@pytest.fixture
def in_assessment():
    return ApplicationFactory(status=ApplicationStatus.IN_ASSESSMENT)


def criteria_of(application):
    need, led = application.programme.criteria_set.order_by("order")
    return need, led


def open_seat(application, assessor):
    seat = AssessmentFactory(application=application, assessor=assessor)
    return declare_interest(seat, has_conflict=False, actor=assessor)


# --- Screening --------------------------------------------------------------------------------------------


def test_screening_needs_a_reason_and_moves_the_application(officer):
    application = ApplicationFactory()
    with pytest.raises(ValidationError) as refusal:
        screen_application(application, outcome="eligible", reason="  ", actor=officer)
    assert "reason" in refusal.value.message_dict
    screened = screen_application(application, outcome="ineligible", reason="Outside the borough.", actor=officer)
    assert screened.status == ApplicationStatus.SCREENED_OUT
    assert screened.screening_reason == "Outside the borough."
    assert screened.screened_by == officer


def test_screening_refuses_an_application_already_screened(officer):
    application = ApplicationFactory()
    screen_application(application, outcome="eligible", reason="Fits.", actor=officer)
    with pytest.raises(ValidationError) as refusal:
        screen_application(application, outcome="ineligible", reason="Second thoughts.", actor=officer)
    assert "outcome" in refusal.value.message_dict


def test_screening_names_the_limit_of_the_reason(officer):
    with pytest.raises(ValidationError) as refusal:
        screen_application(ApplicationFactory(), outcome="eligible", reason="x" * 2_001, actor=officer)
    assert "2000" in refusal.value.message_dict["reason"][0]


def test_screening_is_for_grants_officers(make_persona):
    with pytest.raises(PermissionDenied):
        screen_application(ApplicationFactory(), outcome="eligible", reason="Fits.", actor=make_persona(Role.ANALYST))


# --- Seats and declarations -------------------------------------------------------------------------------


def test_a_seat_waits_for_the_declaration_and_a_conflict_closes_it_for_good(officer, in_assessment, user_factory):
    assessor = user_factory()
    seat = assign_assessor(in_assessment, assessor=assessor, role=AssessorRole.STAFF, actor=officer)
    assert seat.status == AssessmentStatus.AWAITING_DECLARATION
    with pytest.raises(ValidationError) as refusal:
        declare_interest(seat, has_conflict=True, details="", actor=assessor)
    assert "details" in refusal.value.message_dict
    declare_interest(seat, has_conflict=True, details="I am a trustee of the group.", actor=assessor)
    seat.refresh_from_db()
    assert seat.status == AssessmentStatus.CONFLICTED
    with pytest.raises(ValidationError):
        declare_interest(seat, has_conflict=False, actor=assessor)  # no taking it back
    assert InterestDeclaration.objects.filter(assessment=seat, has_conflict=True).count() == 1
    with pytest.raises(ValidationError) as again:
        assign_assessor(in_assessment, assessor=assessor, role=AssessorRole.STAFF, actor=officer)
    assert "conflict" in again.value.message_dict["assessor"][0]


def test_only_the_seats_assessor_declares(in_assessment, user_factory):
    seat = AssessmentFactory(application=in_assessment)
    with pytest.raises(PermissionDenied):
        declare_interest(seat, has_conflict=False, actor=user_factory())


def test_a_panel_seat_needs_a_programme_with_a_panel(officer, in_assessment, user_factory):
    with pytest.raises(ValidationError) as refusal:
        assign_assessor(in_assessment, assessor=user_factory(), role=AssessorRole.PANEL, actor=officer)
    assert "role" in refusal.value.message_dict


def test_seats_are_given_only_in_assessment(officer, user_factory):
    with pytest.raises(ValidationError) as refusal:
        assign_assessor(ApplicationFactory(), assessor=user_factory(), role=AssessorRole.STAFF, actor=officer)
    assert "assessor" in refusal.value.message_dict


# --- Scores -----------------------------------------------------------------------------------------------


def test_a_conflicted_or_undeclared_assessor_cannot_score(in_assessment, user_factory):
    assessor = user_factory()
    seat = AssessmentFactory(application=in_assessment, assessor=assessor)
    need, _led = criteria_of(in_assessment)
    with pytest.raises(PermissionDenied):
        save_scores(seat, scores={need.pk: (4, "Clear need.")}, actor=assessor)
    declare_interest(seat, has_conflict=True, details="My sister runs it.", actor=assessor)
    with pytest.raises(PermissionDenied):
        save_scores(seat, scores={need.pk: (4, "Clear need.")}, actor=assessor)
    with pytest.raises(PermissionDenied):
        submit_assessment(seat, actor=assessor)
    assert not seat.scores.exists()


def test_someone_else_cannot_score_on_a_seat(in_assessment, user_factory, officer):
    seat = open_seat(in_assessment, user_factory())
    need, _led = criteria_of(in_assessment)
    with pytest.raises(PermissionDenied):
        save_scores(seat, scores={need.pk: (0, "Sabotage.")}, actor=officer)


def test_draft_then_submit_with_na_left_out_and_weights_renormalised(in_assessment, user_factory):
    assessor = user_factory()
    seat = open_seat(in_assessment, assessor)
    need, led = criteria_of(in_assessment)  # weights 2 and 1
    save_scores(seat, scores={need.pk: (4, "People wait months.")}, actor=assessor)
    seat = Assessment.objects.get(pk=seat.pk)
    assert seat.status == AssessmentStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as incomplete:
        submit_assessment(seat, actor=assessor)
    assert "Led by the community" in " ".join(incomplete.value.message_dict["scores"])
    assert "recommendation" in incomplete.value.message_dict
    save_scores(
        seat, scores={led.pk: (None, "")}, recommendation=PanelRecommendation.FUND, overall_comment="", actor=assessor
    )
    submit_assessment(seat, actor=assessor)
    seat = Assessment.objects.get(pk=seat.pk)
    assert seat.status == AssessmentStatus.SUBMITTED
    # N/A left out: 4*2 / 2, not (4*2 + 0*1) / 3
    assert scoring.weighted_score(seat) == Decimal("4.00")
    with pytest.raises(ValidationError):
        save_scores(seat, scores={need.pk: (5, "Changed my mind.")}, actor=assessor)


def test_weighted_score_uses_the_weights(in_assessment, user_factory):
    assessor = user_factory()
    seat = open_seat(in_assessment, assessor)
    need, led = criteria_of(in_assessment)
    save_scores(seat, scores={need.pk: (5, "Urgent."), led.pk: (2, "Partly.")}, actor=assessor)
    assert scoring.weighted_score(Assessment.objects.get(pk=seat.pk)) == Decimal("4.00")  # (10 + 2) / 3


def test_a_score_needs_its_reason_and_stays_in_range(in_assessment, user_factory):
    assessor = user_factory()
    seat = open_seat(in_assessment, assessor)
    need, led = criteria_of(in_assessment)
    with pytest.raises(ValidationError) as out_of_range:
        save_scores(seat, scores={need.pk: (6, "Off the scale.")}, actor=assessor)
    assert "0 to 5" in out_of_range.value.message_dict["scores"][0]
    save_scores(
        seat, scores={need.pk: (3, ""), led.pk: (3, "Fine.")}, recommendation=PanelRecommendation.FUND, actor=assessor
    )
    with pytest.raises(ValidationError) as no_reason:
        submit_assessment(seat, actor=assessor)
    assert "Need: say why" in no_reason.value.message_dict["scores"][0]


def test_everything_na_cannot_be_submitted(in_assessment, user_factory):
    assessor = user_factory()
    seat = open_seat(in_assessment, assessor)
    need, led = criteria_of(in_assessment)
    save_scores(
        seat,
        scores={need.pk: (None, ""), led.pk: (None, "")},
        recommendation=PanelRecommendation.DO_NOT_FUND,
        actor=assessor,
    )
    with pytest.raises(ValidationError):
        submit_assessment(seat, actor=assessor)


# --- Panel ------------------------------------------------------------------------------------------------


def test_the_panel_decision_is_recorded_only_where_there_is_a_panel(officer):
    without = ApplicationFactory(status=ApplicationStatus.IN_ASSESSMENT)
    fields = {
        "recommendation": PanelRecommendation.FUND,
        "votes_for": 5,
        "votes_against": 1,
        "abstentions": 0,
        "notes": "Well known and trusted.",
        "met_on": timezone.localdate(),
    }
    with pytest.raises(ValidationError):
        record_panel_decision(without, actor=officer, **fields)
    with_panel = ApplicationFactory(
        status=ApplicationStatus.IN_ASSESSMENT, programme=ProgrammeFactory(panel_enabled=True)
    )
    decision = record_panel_decision(with_panel, actor=officer, **fields)
    assert decision.votes_for == 5
    with pytest.raises(ValidationError) as future:
        record_panel_decision(
            with_panel, actor=officer, **{**fields, "met_on": timezone.localdate() + timezone.timedelta(days=1)}
        )
    assert "met_on" in future.value.message_dict


# --- Pages ------------------------------------------------------------------------------------------------


def test_a_conflicted_assessor_is_refused_the_page_and_never_sees_the_answers(
    client, verified_login, in_assessment, user_factory
):
    assessor = user_factory()
    in_assessment.answers = {"need": "A SECRET ANSWER", "difference": "x"}
    in_assessment.save()
    seat = AssessmentFactory(application=in_assessment, assessor=assessor)
    verified_login(client, assessor)
    # before declaring: the page sends them to the declaration, which shows the name but not the answers
    assert client.get(seat.get_absolute_url())["Location"] == reverse("grants:assessment_declare", args=[seat.uuid])
    declaration = client.get(reverse("grants:assessment_declare", args=[seat.uuid]))
    assert in_assessment.applicant_name in declaration.content.decode()
    assert "A SECRET ANSWER" not in declaration.content.decode()
    response = client.post(
        reverse("grants:assessment_declare", args=[seat.uuid]), {"has_conflict": "yes", "details": "I chair it."}
    )
    assert response.status_code == 302
    refused = client.get(seat.get_absolute_url())
    assert refused.status_code == 403
    assert "A SECRET ANSWER" not in refused.content.decode()
    need, _led = criteria_of(in_assessment)
    posted = client.post(seat.get_absolute_url(), {f"score_{need.pk}": "5", "justification_{need.pk}": "x"})
    assert posted.status_code == 403
    assert not seat.scores.exists()
    # and no other page opens it either
    assert client.get(in_assessment.get_absolute_url()).status_code == 403
    listing = client.get(reverse("grants:my_assessments"))
    assert "None: you declared a conflict" in listing.content.decode()


def test_an_officer_who_declared_a_conflict_loses_sight_of_the_application(client, verified_login, officer):
    application = ApplicationFactory(status=ApplicationStatus.IN_ASSESSMENT)
    seat = AssessmentFactory(application=application, assessor=officer)
    declare_interest(seat, has_conflict=True, details="I volunteer there.", actor=officer)
    verified_login(client, officer)
    assert client.get(application.get_absolute_url()).status_code == 404
    moderation = client.get(reverse("grants:moderation", args=[application.programme.uuid]))
    assert application.reference not in moderation.content.decode()


def test_an_officer_given_a_seat_opens_the_application_only_after_declaring(client, verified_login, officer):
    application = ApplicationFactory(status=ApplicationStatus.IN_ASSESSMENT)
    seat = AssessmentFactory(application=application, assessor=officer)
    verified_login(client, officer)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(seat.get_absolute_url()).url.endswith("/declare/")  # where they declare first

    declare_interest(seat, has_conflict=False, actor=officer)
    assert client.get(application.get_absolute_url()).status_code == 200


def test_an_assessor_scores_a_draft_then_submits_on_the_page(client, verified_login, in_assessment, user_factory):
    assessor = user_factory()
    seat = open_seat(in_assessment, assessor)
    need, led = criteria_of(in_assessment)
    verified_login(client, assessor)
    page = client.get(seat.get_absolute_url())
    assert page.status_code == 200
    assert "People wait months for help." in page.content.decode()
    draft = {f"score_{need.pk}": "4", f"justification_{need.pk}": "A real need.", "action": "save"}
    assert client.post(seat.get_absolute_url(), draft).status_code == 302
    # submitting without every criterion keeps what was typed and says what is missing
    incomplete = client.post(seat.get_absolute_url(), {**draft, "overall_comment": "Kept words", "action": "submit"})
    assert incomplete.status_code == 400
    assert "Kept words" in incomplete.content.decode()
    assert "Led by the community: give a score or mark it N/A" in incomplete.content.decode()
    complete = {**draft, f"score_{led.pk}": "na", "recommendation": "fund", "action": "submit"}
    assert client.post(seat.get_absolute_url(), complete).status_code == 302
    seat.refresh_from_db()
    assert seat.status == AssessmentStatus.SUBMITTED
    assert "Your submitted scores" in client.get(seat.get_absolute_url()).content.decode()


def test_a_reason_without_a_score_is_kept_and_asked_about(client, verified_login, in_assessment, user_factory):
    assessor = user_factory()
    seat = open_seat(in_assessment, assessor)
    need, _led = criteria_of(in_assessment)
    verified_login(client, assessor)
    response = client.post(seat.get_absolute_url(), {f"justification_{need.pk}": "Typed words", "action": "save"})
    assert response.status_code == 400
    assert "Typed words" in response.content.decode()


def test_officers_screen_assign_and_see_the_spread(client, verified_login, officer, user_factory):
    application = ApplicationFactory(eligibility_flags=[{"message": "Asks for more than the largest award"}])
    verified_login(client, officer)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "Asks for more than the largest award" in detail
    screen_url = reverse("grants:application_screen", args=[application.uuid])
    assert client.post(screen_url, {"outcome": "eligible"}).status_code == 400
    assert client.post(screen_url, {"outcome": "eligible", "reason": "Flag checked: within range."}).status_code == 302
    assessor = user_factory(email="assessor@example.org")
    assign_url = reverse("grants:assessor_assign", args=[application.uuid])
    assert client.post(assign_url, {"email": "nobody@example.org", "role": "staff"}).status_code == 400
    assert client.post(assign_url, {"email": "ASSESSOR@example.org", "role": "staff"}).status_code == 302
    seat = Assessment.objects.get(application=application, assessor=assessor)
    need, led = criteria_of(application)
    declare_interest(seat, has_conflict=False, actor=assessor)
    save_scores(
        seat,
        scores={need.pk: (5, "Strong."), led.pk: (2, "Some.")},
        recommendation=PanelRecommendation.FUND,
        actor=assessor,
    )
    submit_assessment(seat, actor=assessor)
    other = open_seat(application, user_factory())
    save_scores(
        other,
        scores={need.pk: (1, "Weak."), led.pk: (1, "Little.")},
        recommendation=PanelRecommendation.DO_NOT_FUND,
        actor=other.assessor,
    )
    submit_assessment(other, actor=other.assessor)
    moderation = client.get(reverse("grants:moderation", args=[application.programme.uuid])).content.decode()
    assert "4.00" in moderation and "1.00" in moderation and "To discuss" in moderation
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "Mean of submitted scores" in detail and "Strong." in detail


def test_my_assessments_lists_only_my_seats(client, verified_login, user_factory):
    mine = AssessmentFactory(assessor=user_factory())
    theirs = AssessmentFactory()
    verified_login(client, mine.assessor)
    page = client.get(reverse("grants:my_assessments")).content.decode()
    assert mine.application.reference in page
    assert theirs.application.reference not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
