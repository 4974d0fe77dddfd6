"""Closing the loop: a consultation's report ("we asked, you said, we did") with the feedback and issues it
produced and the plan actions it feeds; links chosen only among rows the person sees, and never dropped when
someone who cannot see them saves; the report on the consultation's page and its history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.partnership.services.reports import record_report
from waymark.plans.choices import PlanStatus
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import EscalationFactory, IssueFactory
from waymark.voice.models import Issue

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)


@pytest.fixture
def staff(make_persona):
    return make_persona(Role.STAFF)


@pytest.fixture
def responder(make_persona):
    return make_persona(Role.RESPONDER)


@pytest.fixture
def consultation(responder):
    """A closed consultation led by the responder's organisation."""
    return ConsultationFactory(
        title="Crisis care for Somali families",
        lead_organisation=responder.role_grants.get().organisation,
        starts_on=START,
        ends_on=START + datetime.timedelta(days=28),
        status=ConsultationStatus.CLOSED,
        communities=[CommunityFactory(name="Somali")],
        themes=[ThemeFactory(name="Crisis care", slug="r-crisis")],
    )


@pytest.fixture
def records():
    """A feedback item received while the consultation ran, an issue and a published plan's action: staff
    see them all; a responder sees none of them unless the issue is escalated to them."""
    return {
        "item": FeedbackItemFactory(received_on=START + datetime.timedelta(days=3), english_summary="No interpreter"),
        "issue": IssueFactory(title="Families wait too long for a crisis visit"),
        "action": ActionFactory(title="Run a crisis line in Somali"),
    }


def _report(actor, consultation, **fields):
    return record_report(actor=actor, consultation=consultation, **{"summary": "We heard about waits.", **fields})


# --- The service -----------------------------------------------------------------------------------------


def test_a_report_records_what_was_heard_and_its_links_in_one_history_row(staff, consultation, records):
    before = consultation.history.count()
    _report(
        staff,
        consultation,
        url="https://example.org/report",
        items=[records["item"]],
        issues=[records["issue"]],
        actions=[records["action"]],
    )
    consultation.refresh_from_db()
    assert consultation.report_summary == "We heard about waits."
    assert consultation.report_url == "https://example.org/report"
    assert list(consultation.produced_items.all()) == [records["item"]]
    assert list(consultation.produced_issues.all()) == [records["issue"]]
    assert list(consultation.feeds_actions.all()) == [records["action"]]
    assert consultation.history.count() == before + 1
    latest = consultation.history.latest()
    assert latest.history_user == staff
    assert [row.action_id for row in latest.feeds_actions.all()] == [records["action"].pk]


def test_marking_a_closed_consultation_reported_needs_a_summary(staff, consultation):
    with pytest.raises(ValidationError) as refusal:
        _report(staff, consultation, summary="  ", mark_reported=True)
    assert "report_summary" in refusal.value.message_dict
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED

    _report(staff, consultation, mark_reported=True)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.REPORTED
    assert consultation.reported_on is not None


def test_only_a_closed_consultation_is_marked_reported(staff, consultation):
    consultation.status = ConsultationStatus.OPEN
    consultation.save()
    with pytest.raises(ValidationError) as refusal:
        _report(staff, consultation, mark_reported=True)
    assert "mark_reported" in refusal.value.message_dict


def test_a_reported_consultation_keeps_a_summary(staff, consultation):
    _report(staff, consultation, mark_reported=True)
    with pytest.raises(ValidationError) as refusal:
        _report(staff, consultation, summary="")
    assert "report_summary" in refusal.value.message_dict
    consultation.refresh_from_db()
    assert consultation.report_summary == "We heard about waits."


def test_a_cancelled_consultation_has_no_report(staff, consultation):
    consultation.status = ConsultationStatus.CANCELLED
    consultation.save()
    with pytest.raises(ValidationError):
        _report(staff, consultation)


def test_a_bad_link_to_the_full_report_is_refused_naming_the_field(staff, consultation):
    with pytest.raises(ValidationError) as refusal:
        _report(staff, consultation, url="not a web address")
    assert "report_url" in refusal.value.message_dict


def test_a_responder_reports_only_on_their_own_bodys_consultations(make_persona, consultation):
    other = make_persona(Role.RESPONDER)
    with pytest.raises(PermissionDenied):
        _report(other, consultation)


def test_a_link_to_a_row_the_actor_cannot_see_is_refused_naming_the_field(responder, consultation, records):
    with pytest.raises(ValidationError) as refusal:
        _report(responder, consultation, issues=[records["issue"]])
    assert "produced_issues" in refusal.value.message_dict


def test_saving_keeps_the_links_the_actor_cannot_see(staff, responder, consultation, records):
    """Staff linked an item, an issue and a draft plan's action; the responder then saves the report with
    the one issue they see (escalated to them): nothing staff linked is lost."""
    draft_action = ActionFactory(objective=ObjectiveFactory(plan=PlanFactory(status=PlanStatus.DRAFT)))
    theirs = EscalationFactory(responder=responder.role_grants.get().organisation).issue
    _report(staff, consultation, items=[records["item"]], issues=[records["issue"]], actions=[draft_action])

    _report(responder, consultation, summary="Rewritten by the lead body.", issues=[theirs])

    consultation.refresh_from_db()
    assert consultation.report_summary == "Rewritten by the lead body."
    assert set(consultation.produced_issues.all()) == {records["issue"], theirs}
    assert list(consultation.produced_items.all()) == [records["item"]]
    assert list(consultation.feeds_actions.all()) == [draft_action]


# --- The pages -------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff, verified_login):
    verified_login(client, staff)
    return client


def test_the_report_page_offers_what_staff_see_and_saves_it(staff_client, consultation, records):
    url = reverse("partnership:consultation_report", args=[consultation.uuid])
    page = staff_client.get(url).content.decode()
    assert records["item"].reference in page
    assert records["issue"].title in page
    assert records["action"].title in page
    assert "Mark the consultation reported" in page  # it is closed

    response = staff_client.post(
        url,
        {
            "report_summary": "People told us crisis visits come too late.",
            "report_url": "https://example.org/crisis-report",
            "produced_items": [records["item"].pk],
            "produced_issues": [records["issue"].pk],
            "feeds_actions": [records["action"].pk],
            "mark_reported": "on",
        },
    )
    assert response.status_code == 302
    detail = staff_client.get(response["Location"]).content.decode()
    assert "The report is saved and the consultation is reported." in detail
    assert "People told us crisis visits come too late." in detail
    assert "https://example.org/crisis-report" in detail
    assert records["issue"].title in detail
    assert records["action"].title in detail
    assert records["item"].reference in detail


def test_feedback_from_long_before_the_consultation_is_not_offered(staff_client, consultation):
    old = FeedbackItemFactory(received_on=START - datetime.timedelta(days=200))
    page = staff_client.get(reverse("partnership:consultation_report", args=[consultation.uuid])).content.decode()
    assert old.reference not in page


def test_an_issue_raised_before_the_consultation_is_not_offered_unless_linked(staff, staff_client, consultation):
    earlier = IssueFactory(title="Raised a year before")
    linked_earlier = IssueFactory(title="Raised before, linked all the same")
    Issue.objects.filter(pk__in=[earlier.pk, linked_earlier.pk]).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 9, 1))
    )
    _report(staff, consultation, issues=[linked_earlier])
    page = staff_client.get(reverse("partnership:consultation_report", args=[consultation.uuid])).content.decode()
    assert "Raised a year before" not in page
    assert "Raised before, linked all the same" in page


def test_a_bad_report_keeps_what_was_typed_and_names_the_field(staff_client, consultation):
    response = staff_client.post(
        reverse("partnership:consultation_report", args=[consultation.uuid]),
        {"report_summary": "Half written, with care.", "report_url": "not a web address"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the link to the full report as a web address" in page
    assert "Half written, with care." in page


def test_marking_reported_without_a_summary_names_the_summary(staff_client, consultation):
    response = staff_client.post(
        reverse("partnership:consultation_report", args=[consultation.uuid]),
        {"report_url": "https://example.org/r", "mark_reported": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write what you heard and what will be done" in page
    assert 'href="#id_report_summary"' in page
    assert "https://example.org/r" in page


def test_the_responders_pickers_hold_only_what_they_see(client, verified_login, responder, consultation, records):
    verified_login(client, responder)
    theirs = EscalationFactory(responder=responder.role_grants.get().organisation).issue
    url = reverse("partnership:consultation_report", args=[consultation.uuid])
    page = client.get(url).content.decode()
    assert theirs.title in page
    assert records["issue"].title not in page
    assert records["item"].reference not in page

    response = client.post(url, {"report_summary": "x", "produced_issues": [records["issue"].pk]})
    assert response.status_code == 400
    assert "Issues it produced" in response.content.decode()


def test_the_consultation_page_offers_the_report_to_the_lead_body_only(
    client, verified_login, make_persona, consultation
):
    analyst = make_persona(Role.ANALYST)
    verified_login(client, analyst)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Nobody has written up what was heard yet." in page
    assert reverse("partnership:consultation_report", args=[consultation.uuid]) not in page
    assert reverse("partnership:consultation_history", args=[consultation.uuid]) in page
    assert client.get(reverse("partnership:consultation_report", args=[consultation.uuid])).status_code == 403


def test_the_consultation_page_shows_only_the_links_the_viewer_sees(
    client, verified_login, staff, responder, consultation, records
):
    _report(staff, consultation, items=[records["item"]], issues=[records["issue"]], actions=[records["action"]])
    verified_login(client, responder)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "We heard about waits." in page
    assert records["action"].title in page  # a published plan's action
    assert records["issue"].title not in page  # not escalated to them
    assert records["item"].reference not in page  # feedback is for staff


def test_the_history_shows_who_changed_the_report_and_its_links(staff_client, staff, consultation, records):
    _report(staff, consultation, actions=[records["action"]])
    page = staff_client.get(reverse("partnership:consultation_history", args=[consultation.uuid])).content.decode()
    assert "History of changes" in page
    assert "What we heard and what we will do" in page
    assert "Plan actions it feeds" in page
    assert str(records["action"]) in page
