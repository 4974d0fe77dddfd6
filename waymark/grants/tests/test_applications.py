"""The applicant's services: start, save at every step, send, withdraw; staff entry; the draft link."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery, Organisation
from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus, Channel, DeiReply
from waymark.grants.drafts import application_for_token, draft_token
from waymark.grants.factories import ProgrammeFactory
from waymark.grants.models import Application
from waymark.grants.services.applications import (
    add_attachment,
    enter_application,
    missing_for_submission,
    save_draft,
    send_draft_links,
    start_application,
    submit_application,
    withdraw_application,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _start(programme=None, **kwargs):
    return start_application(
        programme=programme or ProgrammeFactory(),
        language=kwargs.pop("language", "en-gb"),
        contact_name="Applicant",
        contact_email=kwargs.pop("contact_email", "applicant@example.org"),
        **kwargs,
    )


def _complete(application):
    return save_draft(
        application,
        organisation_name="Riverside Wellbeing Circle",
        organisation_type=OrganisationType.COMMUNITY_GROUP,
        postcode="zz1 1aa",
        project_title="Peer support in Urdu",
        project_summary="Weekly meetings.",
        amount_requested=Decimal("2000"),
        starts_on=TODAY() + datetime.timedelta(days=60),
        ends_on=TODAY() + datetime.timedelta(days=400),
        answers={"need": "People wait months for help.", "difference": "Less isolation."},
    )


def test_a_draft_gets_a_reference_and_its_link_is_emailed_in_its_language():
    programme = ProgrammeFactory(code="seed-2027")
    first = _start(programme, language="ur")
    second = _start(programme, contact_email="other@example.org")
    assert (first.reference, second.reference) == ("SEED-2027-0001", "SEED-2027-0002")
    assert first.status == ApplicationStatus.DRAFT
    mail = EmailDelivery.objects.get(to_address="applicant@example.org")
    assert "/grants/apply/ur/draft/" in mail.text_body
    token = mail.text_body.split("/draft/")[1].split("/")[0]
    assert application_for_token(token) == first


def test_a_closed_or_unoffered_programme_refuses_to_start():
    closed = ProgrammeFactory(
        opens_on=TODAY() - datetime.timedelta(days=60), closes_on=TODAY() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        _start(closed)
    assert "programme" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _start(ProgrammeFactory(languages=[]), language="ur")
    assert "language" in refused.value.message_dict


def test_a_resumed_draft_has_every_word_that_was_typed():
    application = _start()
    long_answer = " ".join(["word"] * 140) + " last—ending ✓ with unicode اردو"
    save_draft(application, answers={"need": long_answer})
    save_draft(application, answers={"difference": "Second step's words.\r\nOn two lines."})
    save_draft(application, project_title="A title")
    again = application_for_token(draft_token(application))
    assert again.answers["need"] == long_answer
    assert again.answers["difference"] == "Second step's words.\nOn two lines."
    assert again.project_title == "A title"


def test_an_answer_over_its_word_limit_is_refused_naming_the_limit_and_nothing_changes():
    application = _start()
    save_draft(application, answers={"need": "Kept words."})
    with pytest.raises(ValidationError) as refused:
        save_draft(application, answers={"need": " ".join(["word"] * 151), "difference": "Fine."})
    message = refused.value.message_dict["answer_need"][0]
    assert "151" in message and "150" in message
    application.refresh_from_db()
    assert application.answers == {"need": "Kept words."}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"amount_requested": Decimal("5000.01")}, "amount_requested", "£5,000"),
        ({"amount_requested": Decimal("100")}, "amount_requested", "£500"),
        ({"starts_on": TODAY() + datetime.timedelta(days=30), "ends_on": TODAY()}, "ends_on", "start date"),
        ({"charity_number": "12"}, "charity_number", "6 to 8 digits"),
        ({"company_number": "ABC"}, "company_number", "8 characters"),
        ({"project_title": "x" * 201}, "project_title", "200"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_the_limit(fields, field, words):
    application = _start()
    with pytest.raises(ValidationError) as refused:
        save_draft(application, **fields)
    assert words in " ".join(refused.value.message_dict[field])


def test_submitting_checks_completeness_flags_and_links_one_organisation():
    programme = ProgrammeFactory()
    application = _start(programme)
    with pytest.raises(ValidationError) as refused:
        submit_application(application)
    assert {"project_title", "amount_requested", "answer_need"} <= set(refused.value.message_dict)
    _complete(application)
    save_draft(application, organisation_type=OrganisationType.PRIVATE_COMPANY)
    sent = submit_application(application)
    assert sent.status == ApplicationStatus.SUBMITTED and sent.submitted_at
    assert [flag["code"] for flag in sent.eligibility_flags] == ["organisation_type"]
    assert sent.organisation.name == "Riverside Wellbeing Circle"
    assert sent.dei_reply == DeiReply.NO_REPLY
    assert EmailDelivery.objects.filter(template="grants_application_received").count() == 1
    # Sending again (a refreshed page) changes nothing and sends nothing.
    assert submit_application(sent).submitted_at == sent.submitted_at
    assert EmailDelivery.objects.filter(template="grants_application_received").count() == 1
    # The same group applying again, typed slightly differently, is the same organisation.
    second = _complete(_start(programme, contact_email="b@example.org"))
    save_draft(second, organisation_name="the riverside wellbeing circle", postcode="ZZ1 1AA")
    assert submit_application(second).organisation == sent.organisation
    with pytest.raises(ValidationError):
        save_draft(sent, project_title="Changed after sending")


def test_a_registered_number_matches_the_existing_organisation():
    charity = OrganisationFactory(name="Old Name Trust", charity_number="1123456", org_type=OrganisationType.CHARITY)
    application = _complete(_start())
    save_draft(application, charity_number="112 3456", organisation_type=OrganisationType.CHARITY)
    assert submit_application(application).organisation == charity
    assert Organisation.objects.filter(charity_number="1123456").count() == 1


def test_an_amount_above_the_maximum_is_flagged_at_submission_not_lost():
    programme = ProgrammeFactory()
    application = _complete(_start(programme))
    assert missing_for_submission(application) == {}
    assert submit_application(application).eligibility_flags == []


def test_staff_enter_an_application_taken_by_phone(make_persona):
    officer = make_persona(Role.STAFF)
    programme = ProgrammeFactory(
        opens_on=TODAY() - datetime.timedelta(days=60), closes_on=TODAY() - datetime.timedelta(days=1)
    )
    application = enter_application(
        programme=programme,
        actor=officer,
        channel=Channel.PHONE,
        language="bn",
        contact_name="Caller",
        contact_email="caller@example.org",
        organisation_name="Tuesday Lunch Club",
        organisation_type=OrganisationType.COMMUNITY_GROUP,
        project_title="Lunch and talk",
        project_summary="A meal and a conversation.",
        amount_requested=Decimal("800"),
        starts_on=TODAY() + datetime.timedelta(days=30),
        ends_on=TODAY() + datetime.timedelta(days=200),
        answers={"need": "Lonely elders.", "difference": "Company."},
    )
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.channel, application.entered_by, application.language) == (Channel.PHONE, officer, "bn")
    assert not EmailDelivery.objects.filter(template="grants_draft_link").exists()
    with pytest.raises(ValidationError) as refused:
        enter_application(programme=programme, actor=officer, channel=Channel.ONLINE)
    assert "channel" in refused.value.message_dict
    assert Application.objects.count() == 1


def test_withdrawing_and_the_lost_link_form():
    application = _start(contact_email="Someone@Example.org")
    assert send_draft_links(email="someone@example.org") == 1
    assert send_draft_links(email="nobody@example.org") == 0
    assert withdraw_application(application).status == ApplicationStatus.WITHDRAWN
    assert send_draft_links(email="someone@example.org") == 0


def test_an_attachment_of_the_wrong_kind_or_size_is_refused(settings):
    application = _start()
    with pytest.raises(ValidationError) as refused:
        add_attachment(application, title="Budget", file=SimpleUploadedFile("budget.exe", b"MZ..."))
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add_attachment(application, title="Budget", file=SimpleUploadedFile("budget.pdf", b"not a pdf"))
    assert "PDF" in " ".join(refused.value.message_dict["file"])
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "grant_attachments": {**settings.UPLOAD_LIMITS["grant_attachments"], "max_bytes": 10},
    }
    with pytest.raises(ValidationError) as refused:
        add_attachment(application, title="Budget", file=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 " + b"x" * 100))
    assert "10 bytes" in " ".join(refused.value.message_dict["file"])
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "grant_attachments": {**settings.UPLOAD_LIMITS["grant_attachments"], "max_bytes": 5_000_000},
    }
    kept = add_attachment(application, title="Budget", file=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 fine"))
    assert kept.file.open("rb").read().startswith(b"%PDF")
