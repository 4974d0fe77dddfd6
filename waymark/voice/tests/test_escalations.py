"""Issues, escalations, answers and reminders, through the services every page and task calls."""

import datetime
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery, Theme
from waymark.core.roles import Role
from waymark.voice import answering, triage_queue
from waymark.voice.choices_items import ItemStatus
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import EscalationFactory
from waymark.voice.models import (
    AnswerLink,
    EscalationReminder,
    EscalationStatus,
    IssueStatus,
    ReceivedBy,
    ResponseOutcome,
)
from waymark.voice.services import escalations, reminders, triage
from waymark.voice.services.escalations import EscalationError

pytestmark = pytest.mark.django_db
D = datetime.date
ANSWER = {"text": "We will book female counsellors who speak Urdu.", "outcome": ResponseOutcome.ACCEPTED}


@pytest.fixture
def staff():
    return make_persona(Role.STAFF, email="lead@example.org")


def _issue(staff, **kwargs):
    return escalations.create_issue(
        actor=staff,
        data={
            "title": "Women cannot see a female Urdu-speaking counsellor",
            "description": "Raised at 3 events.",
            "owner": staff,
            **kwargs,
        },
    )


def test_an_issue_groups_items_and_takes_their_themes(staff) -> None:
    theme = Theme.objects.create(name="Access to therapy", slug="access-to-therapy")
    items = [FeedbackItemFactory(), FeedbackItemFactory()]
    items[0].themes.add(theme)
    issue = escalations.create_issue(actor=staff, data={"title": "Waiting", "description": "Long waits."}, items=items)
    assert set(issue.items.all()) == set(items)
    assert list(issue.themes.all()) == [theme]
    assert {item.status for item in issue.items.all()} == {ItemStatus.GROUPED}
    assert issue.history.count() == 1
    assert issue.history.get().history_user == staff


def test_escalating_sets_a_due_date_in_working_days_and_mails_the_responders(staff) -> None:
    organisation = OrganisationFactory()
    responder = make_persona(Role.RESPONDER, organisation=organisation, email="answers@trust.example.org")
    issue = _issue(staff)
    escalation = escalations.escalate_issue(
        actor=staff, issue=issue, responder=organisation, question="What will you do?", sent_on=D(2026, 3, 30)
    )
    assert escalation.due_on == D(2026, 4, 29)  # 20 working days, Good Friday and Easter Monday skipped
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ESCALATED
    delivery = EmailDelivery.objects.get(template="voice_escalation")
    assert delivery.to_address == responder.email
    assert str(escalation.uuid) in delivery.text_body
    assert not AnswerLink.objects.exists()  # it has an account: no link needed


def test_an_organisation_without_a_responder_account_gets_a_signed_link_at_its_nominated_contact(staff) -> None:
    organisation = OrganisationFactory(email="office@group.example.org")
    escalation = escalations.escalate_issue(
        actor=staff, issue=_issue(staff), responder=organisation, question="Q?", contact_email="chair@group.example.org"
    )
    link = AnswerLink.objects.get()
    assert link.sent_to == "chair@group.example.org"
    delivery = EmailDelivery.objects.get(template="voice_answer_link")
    assert delivery.to_address == "chair@group.example.org"
    assert f"/voice/answer/{escalation.uuid}/" in delivery.text_body


def test_the_same_organisation_cannot_be_asked_twice_while_it_has_the_issue(staff) -> None:
    issue = _issue(staff)
    organisation = OrganisationFactory(email="x@example.org")
    escalations.escalate_issue(actor=staff, issue=issue, responder=organisation, question="Q?")
    with pytest.raises(EscalationError, match="already has this issue"):
        escalations.escalate_issue(actor=staff, issue=issue, responder=organisation, question="Q?")


# --- The signed answer link ---------------------------------------------------------------------------


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_answer_link_opens_its_own_escalation_only(staff) -> None:
    mine = EscalationFactory()
    other = EscalationFactory()
    link, url = escalations.issue_answer_link(actor=staff, escalation=mine, send_to="a@example.org")
    token = _token(url)
    assert answering.answer_link_for(mine.uuid, token) == link
    assert answering.answer_link_for(other.uuid, token) is None
    assert answering.answer_link_for(mine.uuid, token[:-2] + "xx") is None  # altered: the signature fails


def test_the_answer_link_expires(staff) -> None:
    escalation = EscalationFactory()
    link, url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="a@example.org")
    AnswerLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert answering.answer_link_for(escalation.uuid, _token(url)) is None


def test_the_answer_link_can_be_revoked_and_a_new_one_replaces_the_old(staff) -> None:
    escalation = EscalationFactory()
    _first, first_url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="a@example.org")
    second, second_url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="b@example.org")
    assert answering.answer_link_for(escalation.uuid, _token(first_url)) is None
    assert answering.answer_link_for(escalation.uuid, _token(second_url)) == second
    escalations.revoke_answer_link(actor=staff, link=second)
    assert answering.answer_link_for(escalation.uuid, _token(second_url)) is None


def test_answering_through_the_link_uses_it_up(staff) -> None:
    escalation = EscalationFactory()
    link, url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="a@example.org")
    response = escalations.record_response(
        actor=None, escalation=escalation, data=ANSWER, received_by=ReceivedBy.LINK, link=link
    )
    assert response.received_by == ReceivedBy.LINK
    assert answering.answer_link_for(escalation.uuid, _token(url)) is None
    with pytest.raises(EscalationError, match="already been answered"):
        escalations.record_response(
            actor=None, escalation=escalation, data=ANSWER, received_by=ReceivedBy.LINK, link=link
        )


# --- Answers and outcomes ------------------------------------------------------------------------------


def test_an_answer_recorded_by_staff_stops_the_link_working(staff) -> None:
    escalation = EscalationFactory()
    _link, url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="a@example.org")
    escalations.record_response(actor=staff, escalation=escalation, data=ANSWER, received_by=ReceivedBy.LETTER)
    assert answering.answer_link_for(escalation.uuid, _token(url)) is None


def test_declining_needs_reasons(staff) -> None:
    from django.core.exceptions import ValidationError

    escalation = EscalationFactory()
    with pytest.raises(ValidationError) as error:
        escalations.record_response(
            actor=staff,
            escalation=escalation,
            data={"text": "No.", "outcome": ResponseOutcome.DECLINED},
            received_by=ReceivedBy.ACCOUNT,
        )
    assert "reasons" in error.value.message_dict
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.AWAITING


def test_staff_record_a_letter_on_the_responders_behalf_with_the_document(staff) -> None:
    issue = _issue(staff)
    escalation = EscalationFactory(issue=issue)
    letter = SimpleUploadedFile("reply.pdf", b"%PDF-1.4 reply", content_type="application/pdf")
    response = escalations.record_response(
        actor=staff,
        escalation=escalation,
        data={**ANSWER, "responder_name": "Chief Executive"},
        received_by=ReceivedBy.LETTER,
        document=letter,
    )
    assert response.on_behalf
    assert response.recorded_by == staff
    assert response.document.read() == b"%PDF-1.4 reply"
    assert EmailDelivery.objects.filter(template="voice_response_received", to_address=staff.email).exists()


def test_an_outcome_is_tracked_to_closure_and_closes_the_issue_and_its_items(staff) -> None:
    item = FeedbackItemFactory()
    issue = escalations.create_issue(actor=staff, data={"title": "T", "description": "D"}, items=[item])
    first = escalations.escalate_issue(actor=staff, issue=issue, responder=OrganisationFactory(), question="Q1")
    second = escalations.escalate_issue(actor=staff, issue=issue, responder=OrganisationFactory(), question="Q2")
    with pytest.raises(EscalationError, match="Record the answer"):
        escalations.close_escalation(actor=staff, escalation=first, note="Nothing.")
    for escalation in (first, second):
        escalations.record_response(actor=staff, escalation=escalation, data=ANSWER, received_by=ReceivedBy.EMAIL)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ANSWERED
    escalations.close_escalation(actor=staff, escalation=first, note="Two counsellors recruited.")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ANSWERED
    escalations.close_escalation(actor=staff, escalation=second, note="Leaflets translated.")
    issue.refresh_from_db()
    item.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    assert item.status == ItemStatus.CLOSED


def test_publishing_an_answer_makes_its_issue_public(staff) -> None:
    escalation = EscalationFactory()
    response = escalations.record_response(
        actor=staff, escalation=escalation, data=ANSWER, received_by=ReceivedBy.EMAIL
    )
    from waymark.voice.models import Issue

    assert not Issue.objects.visible_to(None).exists()
    escalations.set_response_published(actor=staff, response=response, published=True)
    assert list(Issue.objects.visible_to(None)) == [escalation.issue]


# --- Reminders -----------------------------------------------------------------------------------------


def test_reminders_go_before_and_after_the_due_date_each_only_once(staff) -> None:
    organisation = OrganisationFactory()
    make_persona(Role.RESPONDER, organisation=organisation, email="r@trust.example.org")
    issue = _issue(staff)
    escalation = escalations.escalate_issue(
        actor=staff, issue=issue, responder=organisation, question="Q?", sent_on=D(2026, 3, 2), working_days=20
    )
    assert escalation.due_on == D(2026, 3, 30)
    assert reminders.send_due_reminders(D(2026, 3, 16)) == {"before": 0, "overdue": 0}  # 10 working days left
    assert reminders.send_due_reminders(D(2026, 3, 23)) == {"before": 1, "overdue": 0}
    assert reminders.send_due_reminders(D(2026, 3, 24)) == {"before": 0, "overdue": 0}  # queued twice: once
    assert reminders.send_due_reminders(D(2026, 3, 31)) == {"before": 0, "overdue": 1}
    assert reminders.send_due_reminders(D(2026, 3, 31)) == {"before": 0, "overdue": 0}
    # The next overdue reminder waits five more working days (Good Friday and Easter Monday do not count).
    assert reminders.send_due_reminders(D(2026, 4, 8)) == {"before": 0, "overdue": 0}
    assert reminders.send_due_reminders(D(2026, 4, 9)) == {"before": 0, "overdue": 1}
    assert EscalationReminder.objects.filter(escalation=escalation).count() == 3
    overdue = EmailDelivery.objects.filter(template="voice_reminder", subject__startswith="Overdue")
    assert set(overdue.values_list("to_address", flat=True)) == {"r@trust.example.org", staff.email}


def test_no_reminder_once_answered(staff) -> None:
    escalation = EscalationFactory(due_on=D(2026, 3, 30))
    escalations.record_response(actor=staff, escalation=escalation, data=ANSWER, received_by=ReceivedBy.EMAIL)
    assert reminders.send_due_reminders(D(2026, 4, 10)) == {"before": 0, "overdue": 0}


def test_the_reminder_task_runs_twice_and_mails_once(staff) -> None:
    from waymark.voice.tasks_escalations import send_escalation_reminders

    EscalationFactory(due_on=timezone.localdate() - timedelta(days=10), contact_email="c@example.org")
    send_escalation_reminders.call()
    send_escalation_reminders.call()
    assert EmailDelivery.objects.filter(template="voice_reminder").count() == 1


# --- Triage --------------------------------------------------------------------------------------------


def test_safeguarding_alert_carries_a_link_and_never_the_words(staff, django_capture_on_commit_callbacks) -> None:
    item = FeedbackItemFactory(text="My neighbour said she will hurt herself tonight")
    with django_capture_on_commit_callbacks(execute=True):
        triage.flag_safeguarding(actor=staff, item=item)
        triage.flag_safeguarding(actor=staff, item=item)
    delivery = EmailDelivery.objects.get(template="voice_safeguarding_alert")
    assert delivery.to_address == staff.email
    assert item.get_absolute_url() in delivery.text_body
    assert item.get_absolute_url() in delivery.html_body
    for body in (delivery.subject, delivery.text_body, delivery.html_body):
        assert "hurt herself" not in body


def test_an_item_saved_with_the_safeguarding_flag_raises_the_alert(staff, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = FeedbackItemFactory(safeguarding=True)
    assert EmailDelivery.objects.filter(template="voice_safeguarding_alert", dedupe_key__contains=str(item.uuid))


def test_triage_puts_safeguarding_first_and_groups_similar_items(staff) -> None:
    housing = Theme.objects.create(name="Housing", slug="housing")
    therapy = Theme.objects.create(name="Therapy", slug="therapy")
    first = FeedbackItemFactory(received_on=D(2026, 1, 1))
    urgent = FeedbackItemFactory(received_on=D(2026, 2, 1), safeguarding=True)
    a, b = FeedbackItemFactory(), FeedbackItemFactory()
    for item in (a, b):
        item.themes.add(therapy)
    first.themes.add(housing)
    untagged = FeedbackItemFactory()
    about_trust = FeedbackItemFactory()
    about_trust.organisations.add(OrganisationFactory(name="Riverside Trust"))
    queue = list(triage_queue.new_items(staff))
    assert queue[0] == urgent
    groups = triage_queue.group_similar([item for item in queue if not item.safeguarding])
    assert [(group.label, set(group.items)) for group in groups] == [
        ("Therapy", {a, b}),
        ("Housing", {first}),
        ("About Riverside Trust, no theme yet", {about_trust}),
        ("No theme yet", {untagged}),
    ]


# --- Personal data ---------------------------------------------------------------------------------------


def test_contact_addresses_are_found_for_a_subject_access_request_and_answer_links_expire_from_the_record(
    staff,
) -> None:
    from waymark.core import personal_data

    escalation = EscalationFactory(contact_email="chair@group.example.org")
    link, _url = escalations.issue_answer_link(actor=staff, escalation=escalation)
    found = personal_data.find_personal_data(personal_data.PersonIdentity(email="CHAIR@group.example.org"))
    assert list(found["voice.escalation_contact"]) == [escalation]
    assert list(found["voice.answer_link_recipient"]) == [link]
    AnswerLink.objects.filter(pk=link.pk).update(created_at=timezone.now() - timedelta(days=400))
    personal_data.enforce_retention()
    link.refresh_from_db()
    assert link.sent_to == ""
