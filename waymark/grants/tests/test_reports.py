"""Proportionate reporting: report rows made at award from the tier for the grant's size with a fixed due date,
recorded (a conversation counts) or skipped with a reason, and reminders before and after, each sent once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.core.dates import add_months
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus, DecisionOutcome, ReportStatus
from waymark.grants.factories import GrantDecisionFactory, GrantReportFactory, ProgrammeFactory
from waymark.grants.models import GrantReport, ReportingTier
from waymark.grants.services.reports import (
    ANSWER_LIMIT,
    create_reports_for,
    record_report,
    send_report_reminders,
    skip_report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_persona):
    return make_persona(Role.STAFF)


@pytest.fixture
def tiered_programme():
    """Grants up to £1,000 answer one question at six months; larger ones two questions at twelve."""
    programme = ProgrammeFactory(with_parts=False)
    ReportingTier.objects.create(
        programme=programme, up_to_amount=Decimal("1000"), questions=["What did you do?"], months_after_start=6
    )
    ReportingTier.objects.create(
        programme=programme, questions=["What did you do?", "What changed?"], months_after_start=12
    )
    return programme


def _award(programme, amount, **fields):
    return GrantDecisionFactory(
        application__programme=programme, amount_awarded=Decimal(amount), application__language="ur", **fields
    )


def test_an_award_gets_the_reporting_of_its_size_due_a_fixed_time_after_it_starts(tiered_programme, officer):
    small = _award(tiered_programme, "800")
    large = _award(tiered_programme, "4000")

    (small_report,) = create_reports_for(small, actor=officer)
    (large_report,) = create_reports_for(large, actor=officer)

    assert small_report.questions == ["What did you do?"]
    assert small_report.due_on == add_months(small.starts_on, 6)
    assert large_report.questions == ["What did you do?", "What changed?"]
    assert large_report.due_on == add_months(large.starts_on, 12)
    assert small_report.status == ReportStatus.DUE


def test_making_the_reports_again_adds_none_and_a_decline_gets_none(tiered_programme, officer):
    award = _award(tiered_programme, "800")
    create_reports_for(award, actor=officer)
    create_reports_for(award, actor=officer)
    decline = GrantDecisionFactory(
        application__programme=tiered_programme,
        application__status=ApplicationStatus.DECLINED,
        outcome=DecisionOutcome.DECLINE,
        amount_awarded=None,
    )

    assert create_reports_for(decline, actor=officer) == []
    assert GrantReport.objects.count() == 1


def test_a_programme_that_asks_no_reporting_of_a_size_makes_none(officer):
    programme = ProgrammeFactory(with_parts=False)
    ReportingTier.objects.create(programme=programme, up_to_amount=Decimal("500"), questions=["What did you do?"])

    assert create_reports_for(_award(programme, "2000"), actor=officer) == []


def test_a_conversation_staff_wrote_down_counts_as_the_report(officer):
    report = GrantReportFactory()

    recorded = record_report(
        report,
        answers={"1": "  Twelve sessions in the community centre. ", "2": ""},
        story="The group met every week; three people now volunteer.",
        by_conversation=True,
        received_on=timezone.localdate(),
        actor=officer,
    )

    assert recorded.status == ReportStatus.RECEIVED
    assert recorded.by_conversation is True
    assert recorded.answers == {"1": "Twelve sessions in the community centre."}
    assert recorded.recorded_by == officer
    assert recorded.history.first().history_user == officer


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"answers": {}, "story": ""}, "story", "at least one question"),
        ({"answers": {"1": "x" * (ANSWER_LIMIT + 1)}}, "answer_1", str(ANSWER_LIMIT)),
        ({"received_on": timezone.localdate() + datetime.timedelta(days=1)}, "received_on", "after today"),
        ({"received_on": datetime.date(2000, 1, 1)}, "received_on", "before the award"),
    ],
)
def test_a_report_that_cannot_be_recorded_is_refused_naming_the_field(officer, fields, field, words):
    report = GrantReportFactory()
    values = {"answers": {"1": "We ran it."}, "story": "", "by_conversation": False}
    values["received_on"] = timezone.localdate()
    values.update(fields)

    with pytest.raises(ValidationError) as refusal:
        record_report(report, actor=officer, **values)

    assert words in " ".join(refusal.value.message_dict[field])
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_a_report_is_recorded_or_skipped_once(officer):
    report = GrantReportFactory()
    skip_report(report, reason="We visited and saw the work.", actor=officer)

    with pytest.raises(ValidationError) as refusal:
        record_report(
            report,
            answers={"1": "Late"},
            story="",
            by_conversation=False,
            received_on=timezone.localdate(),
            actor=officer,
        )
    assert "Not needed" in refusal.value.message_dict["status"][0]


def test_skipping_needs_a_reason(officer):
    with pytest.raises(ValidationError) as refusal:
        skip_report(GrantReportFactory(), reason="  ", actor=officer)
    assert "reason" in refusal.value.message_dict


def _reminders():
    return EmailDelivery.objects.filter(template="grants_report_reminder").order_by("pk")


def test_reminders_go_before_and_after_the_due_date_each_once():
    report = GrantReportFactory(due_on=datetime.date(2027, 3, 31), decision__application__contact_email="a@example.org")

    assert send_report_reminders(today=datetime.date(2027, 3, 16)) == 0  # more than a fortnight ahead
    assert send_report_reminders(today=datetime.date(2027, 3, 17)) == 1
    assert send_report_reminders(today=datetime.date(2027, 3, 17)) == 0  # run twice: nothing more
    assert send_report_reminders(today=datetime.date(2027, 3, 31)) == 0
    # The due date stays fixed while the report is late, so the reminder after it fires (Hypha's #4476).
    assert send_report_reminders(today=datetime.date(2027, 4, 14)) == 1
    assert send_report_reminders(today=datetime.date(2027, 5, 30)) == 0

    before, after = _reminders()
    assert before.to_address == after.to_address == "a@example.org"
    assert "is due on 31 March 2027" in before.text_body
    assert "was due on 31 March 2027" in after.text_body
    assert "What did you do?" in before.text_body
    report.refresh_from_db()
    assert report.due_on == datetime.date(2027, 3, 31)
    assert report.reminded_before_at and report.reminded_after_at


def test_no_reminder_for_a_report_received_or_skipped(officer):
    received = GrantReportFactory(due_on=datetime.date(2027, 3, 31))
    record_report(
        received,
        answers={"1": "Done"},
        story="",
        by_conversation=False,
        received_on=timezone.localdate(),
        actor=officer,
    )
    skip_report(GrantReportFactory(due_on=datetime.date(2027, 3, 31)), reason="The group closed.", actor=officer)

    assert send_report_reminders(today=datetime.date(2027, 3, 20)) == 0
    assert send_report_reminders(today=datetime.date(2027, 4, 20)) == 0


# --- Pages -----------------------------------------------------------------------------------------------


def test_staff_record_a_report_on_its_page_and_read_it_back(client, verified_login, officer):
    report = GrantReportFactory()
    verified_login(client, officer)

    response = client.post(
        reverse("grants:report_record", kwargs={"uuid": report.uuid}),
        {
            "answer_1": "Twelve sessions.",
            "answer_2": "Forty people, most over sixty.",
            "story": "We were told about it on the telephone.",
            "by_conversation": "on",
            "received_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Forty people, most over sixty." in page.content.decode()
    assert "Taken down by staff in a conversation" in page.content.decode()


def test_a_refused_report_keeps_every_word_typed(client, verified_login, officer):
    report = GrantReportFactory()
    verified_login(client, officer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("grants:report_record", kwargs={"uuid": report.uuid}),
        {"answer_1": "Sessions in Urdu and English.", "story": "A long story.", "received_on": tomorrow},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Sessions in Urdu and English." in content and "A long story." in content
    assert "cannot be after today" in content


def test_a_programmes_reports_list_shows_the_overdue(client, verified_login, officer):
    programme = ProgrammeFactory()
    late = GrantReportFactory(
        decision__application__programme=programme, due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    GrantReportFactory(decision__application__programme=programme)
    verified_login(client, officer)

    overdue = client.get(reverse("grants:report_list", kwargs={"uuid": programme.uuid}), {"show": "overdue"})

    assert overdue.status_code == 200
    assert list(overdue.context["page"].object_list) == [late]
    assert "Overdue" in overdue.content.decode()
    detail = client.get(programme.get_absolute_url()).content.decode()
    assert "2 reports due" in detail and "1 overdue" in detail


def test_the_application_page_lists_its_reports(client, verified_login, officer):
    report = GrantReportFactory()
    verified_login(client, officer)

    page = client.get(report.decision.application.get_absolute_url()).content.decode()

    assert reverse("grants:report_record", kwargs={"uuid": report.uuid}) in page
