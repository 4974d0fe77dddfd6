"""The grants records the permission matrix's URLs point at (see ``tests/permission_matrix_grants``)."""

from typing import Any

from waymark.core.roles import Role
from waymark.grants.choices import ApplicantKind, ApplicationStatus, AssessmentStatus
from waymark.grants.factories import ApplicationFactory, AssessmentFactory, GrantDecisionFactory, ProgrammeFactory
from waymark.grants.models import InterestDeclaration


def grants_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A published, open programme funded by the responder persona's organisation and a submitted application
    to it; returns the URL keyword arguments for the grants rows."""
    responder_organisation = users[Role.RESPONDER].role_grants.get().organisation
    programme = ProgrammeFactory(funder=responder_organisation, code="matrix-seed")
    application = ApplicationFactory(programme=programme)
    on_programme = {"uuid": programme.uuid}
    on_application = {"uuid": application.uuid}
    kwargs = {
        "grants:programme_detail": on_programme,
        "grants:application_list": on_programme,
        "grants:application_detail": on_application,
        # programmes
        "grants:programme_edit": on_programme,
        "grants:programme_questions": on_programme,
        "grants:programme_eligibility": on_programme,
        "grants:programme_criteria": on_programme,
        "grants:programme_reporting": on_programme,
        "grants:programme_history": on_programme,
        "api:grants-programme-detail": on_programme,
        # public (helper 3)
        "grants:public_programme": {"lang": "en-gb", "code": programme.code},
        "grants:public_programme_statistics": {"lang": "en-gb", "code": programme.code},
    }
    kwargs.update(apply_world(programme, application))
    kwargs.update(awards_world(programme, application))
    kwargs.update(assess_world(users, programme, application))
    kwargs.update(opendata_world(programme))
    kwargs.update(aftercare_world(programme))
    return kwargs


# apply (helper 2): a draft with a file, reached by its signed link; the submitted application's link and file
def apply_world(programme: Any, application: Any) -> dict[str, dict[str, Any]]:
    from django.core.files.base import ContentFile

    from waymark.grants.drafts import draft_token
    from waymark.grants.models import Attachment
    from waymark.grants.services.applications import start_application

    draft = start_application(
        programme=programme, language="en-gb", contact_name="Matrix applicant", contact_email="matrix@example.org"
    )
    draft_file = Attachment(application=draft, title="Budget")
    draft_file.file.save("budget.pdf", ContentFile(b"%PDF-1.4 budget"), save=True)
    sent_file = Attachment(application=application, title="Constitution")
    sent_file.file.save("constitution.pdf", ContentFile(b"%PDF-1.4 rules"), save=True)
    on_draft = {"lang": "en-gb", "token": draft_token(draft)}
    return {
        "grants:apply_start": {"lang": "en-gb", "code": programme.code},
        "grants:apply_lost_link": {"lang": "en-gb"},
        "grants:apply_lost_link_sent": {"lang": "en-gb"},
        "grants:apply_resume": on_draft,
        "grants:apply_step": {**on_draft, "step": "group"},
        "grants:apply_sent": {"lang": "en-gb", "token": draft_token(application)},
        "grants:apply_attachment_remove": {**on_draft, "uuid": draft_file.uuid},
        "grants:application_enter": {"uuid": programme.uuid},
        "grants:application_attachment": {"uuid": application.uuid, "attachment": sent_file.uuid},
        "api:grants-application-detail": {"uuid": application.uuid},
    }


# awards (helper 5): deciding an application in assessment; an award on a second application, with one payment
# due, and its letter's signed link
def awards_world(programme: Any, application: Any) -> dict[str, dict[str, Any]]:
    from waymark.core.signed_links import make_token
    from waymark.grants.factories import GrantDecisionFactory, PaymentFactory
    from waymark.grants.services.decisions import LETTER_LINK_PURPOSE

    award = GrantDecisionFactory(application__programme=programme)
    payment = PaymentFactory(decision=award, amount=award.amount_awarded)
    in_assessment = ApplicationFactory(programme=programme, status=ApplicationStatus.IN_ASSESSMENT)
    on_award = {"uuid": award.application.uuid}
    return {
        "grants:application_decide": {"uuid": in_assessment.uuid},
        "grants:payment_schedule": on_award,
        "grants:payment_paid": {"uuid": payment.uuid},
        "grants:award_letter": on_award,
        "grants:award_letter_public": {
            "token": make_token(purpose=LETTER_LINK_PURPOSE, subject=f"grant-decision:{award.uuid}")
        },
    }


# assess: an application in assessment to a programme with a community panel, and the member persona's seat on
# it, declared with no conflict.
def assess_world(users: dict[str, Any], programme: Any, submitted: Any) -> dict[str, dict[str, Any]]:
    panel_programme = ProgrammeFactory(funder=programme.funder, code="matrix-assess", panel_enabled=True)
    in_assessment = ApplicationFactory(programme=panel_programme, status=ApplicationStatus.IN_ASSESSMENT)
    seat = AssessmentFactory(
        application=in_assessment, assessor=users[Role.MEMBER], status=AssessmentStatus.IN_PROGRESS
    )
    InterestDeclaration.objects.create(assessment=seat, has_conflict=False)
    return {
        "grants:application_screen": {"uuid": submitted.uuid},
        "grants:assessor_assign": {"uuid": in_assessment.uuid},
        "grants:panel_decision": {"uuid": in_assessment.uuid},
        "grants:moderation": {"uuid": panel_programme.uuid},
        "grants:assessment": {"uuid": seat.uuid},
        "grants:assessment_declare": {"uuid": seat.uuid},
        "api:grant-assessment-detail": {"uuid": seat.uuid},
        "api:grant-assessment-scores": {"uuid": seat.uuid},
    }


# opendata (helper 6): a published award, to a person so that it needs no organisation identifier
def opendata_world(programme: Any) -> dict[str, dict[str, Any]]:
    awarded = ApplicationFactory(
        programme=programme, applicant_kind=ApplicantKind.INDIVIDUAL, status=ApplicationStatus.AWARDED
    )
    award = GrantDecisionFactory(application=awarded)
    return {"api:grants-award-detail": {"grant_id": award.grant_identifier}}


# aftercare (helper 8): an award to another application of the programme, with its report due
def aftercare_world(programme: Any) -> dict[str, dict[str, Any]]:
    from waymark.grants.factories import GrantReportFactory

    report = GrantReportFactory(decision__application__programme=programme)
    on_report = {"uuid": report.uuid}
    return {
        "grants:report_list": {"uuid": programme.uuid},
        "grants:report_detail": on_report,
        "grants:report_record": on_report,
        "grants:report_skip": on_report,
    }
