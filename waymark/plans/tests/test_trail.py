"""The trail from what communities said to what changed: issues linked to the actions that answer them,
meeting actions raised into plan actions once, where objectives came from, what the public "You said, we
did" page shows, and who is told when a linked action changes status."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.network.factories_events import SurveyFactory
from waymark.network.factories_meetings import ActionFactory as MeetingActionFactory
from waymark.plans import panels, trail
from waymark.plans.choices import ActionStatus, PlanStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Action, ActionIssueLink
from waymark.plans.services.actions import update_action
from waymark.plans.services.trail import (
    link_issue,
    raise_from_meeting_action,
    set_objective_sources,
    unlink_issue,
)
from waymark.plans.services.trail_notices import send_status_notices
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import IssueFactory, ResponseFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "plans_action_status_changed"


@pytest.fixture
def staff(make_persona):
    return make_persona(Role.STAFF)


@pytest.fixture
def staff_client(client, staff, verified_login):
    verified_login(client, staff)
    return client


def public_issue():
    """An issue with a published answer, so it has a public "You said, we did" page."""
    return ResponseFactory(published=True).escalation.issue


def led_action(make_persona, **plan_fields):
    lead = make_persona(Role.RESPONDER, first_name="Priya", last_name="Leadperson")
    return ActionFactory(
        objective=ObjectiveFactory(plan=PlanFactory(**plan_fields)),
        lead=lead,
        title="Book interpreters for every appointment",
        status=ActionStatus.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Waiting for the new booking system.",
        progress=40,
    )


# --- Linking issues -----------------------------------------------------------------------------------


def test_an_issue_is_linked_once_and_unlinked_with_history(staff):
    action, issue = ActionFactory(), IssueFactory()
    link = link_issue(actor=staff, action=action, issue=issue, note="  Interpreters booked with the appointment.  ")
    assert link.note == "Interpreters booked with the appointment." and link.linked_by == staff
    assert list(action.answers_issues.all()) == [issue]
    with pytest.raises(ValidationError) as refused:
        link_issue(actor=staff, action=action, issue=issue)
    assert "issue" in refused.value.message_dict
    unlink_issue(actor=staff, action=action, issue=issue)
    assert not action.answers_issues.exists()
    assert ActionIssueLink.history.filter(history_type="-", history_user=staff).count() == 1
    with pytest.raises(ValidationError) as refused:
        unlink_issue(actor=staff, action=action, issue=issue)
    assert "issue" in refused.value.message_dict


def test_staff_link_an_issue_from_the_action_page_and_unlink_it(staff_client):
    action, issue = ActionFactory(), IssueFactory(title="No female counsellor speaks Urdu")
    page = staff_client.get(action.get_absolute_url()).content.decode()
    assert "No issue raised by communities is linked to this action yet." in page
    link_url = reverse("plans:issue_link", args=[action.uuid])
    assert link_url in page
    response = staff_client.post(link_url, {"issue": issue.pk, "note": "Recruiting two counsellors."})
    assert response.url == action.get_absolute_url()
    page = staff_client.get(action.get_absolute_url()).content.decode()
    assert "No female counsellor speaks Urdu" in page and "Recruiting two counsellors." in page
    assert "no public page yet" in page
    # An issue already linked is no longer offered.
    assert str(issue.uuid) not in staff_client.get(link_url).content.decode().split("<form")[1].split("</select>")[0]
    response = staff_client.post(reverse("plans:issue_unlink", args=[action.uuid, issue.uuid]))
    assert response.url == action.get_absolute_url()
    assert not ActionIssueLink.objects.exists()


def test_the_link_form_refuses_an_empty_choice_and_offers_only_issues_the_user_sees(staff_client):
    action = ActionFactory()
    response = staff_client.post(reverse("plans:issue_link", args=[action.uuid]), {"note": "Kept note"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the issue this action answers" in page and "Kept note" in page


def test_the_action_page_links_a_public_issue_to_its_you_said_we_did_page(staff_client, staff):
    action, issue = ActionFactory(), public_issue()
    link_issue(actor=staff, action=action, issue=issue)
    page = staff_client.get(action.get_absolute_url()).content.decode()
    assert reverse("voice:you_said_we_did_issue", args=[issue.uuid]) in page


def test_staffs_issue_page_lists_the_actions_that_answer_it_draft_plans_included(staff_client, staff):
    issue = IssueFactory()
    draft = ActionFactory(objective=ObjectiveFactory(plan=PlanFactory(status=PlanStatus.DRAFT)), title="Draft answer")
    link_issue(actor=staff, action=draft, issue=issue)
    page = staff_client.get(issue.get_absolute_url()).content.decode()
    assert "Plan actions that answer it" in page and draft.get_absolute_url() in page and "Draft answer" in page


def test_only_those_who_run_plans_may_link_or_unlink(client, make_persona, verified_login, staff):
    action, issue = ActionFactory(lead=make_persona(Role.RESPONDER)), IssueFactory()
    link_issue(actor=staff, action=action, issue=issue)
    verified_login(client, action.lead)
    page = client.get(action.get_absolute_url()).content.decode()
    assert reverse("plans:issue_link", args=[action.uuid]) not in page
    assert client.post(reverse("plans:issue_unlink", args=[action.uuid, issue.uuid])).status_code == 403
    assert ActionIssueLink.objects.count() == 1


# --- Raising a meeting action --------------------------------------------------------------------------


def test_a_meeting_action_is_raised_into_a_plan_action_once_only(staff):
    meeting_action = MeetingActionFactory(description="Ask the trust for interpreter data\nBy ward and language.")
    objective, lead_organisation = ObjectiveFactory(), OrganisationFactory()
    action = raise_from_meeting_action(
        actor=staff,
        meeting_action=meeting_action,
        objective=objective,
        data={"code": "2.1", "lead_organisation": lead_organisation},
    )
    assert action.raised_from == meeting_action and action.objective == objective
    assert action.title == "Ask the trust for interpreter data"
    assert action.description == "Ask the trust for interpreter data\nBy ward and language."
    assert action.due_date == meeting_action.due_date and action.lead_organisation == lead_organisation
    assert action.history.get().history_user == staff
    with pytest.raises(ValidationError) as refused:
        raise_from_meeting_action(
            actor=staff,
            meeting_action=meeting_action,
            objective=ObjectiveFactory(),
            data={"code": "9.9", "lead_organisation": lead_organisation},
        )
    assert "already raised into plan action 2.1" in refused.value.message_dict["meeting_action"][0]
    assert Action.objects.count() == 1


def test_raising_refuses_a_closed_plan_and_a_due_date_outside_the_plan(staff):
    meeting_action = MeetingActionFactory()
    closed = ObjectiveFactory(plan=PlanFactory(status=PlanStatus.CLOSED))
    with pytest.raises(ValidationError) as refused:
        raise_from_meeting_action(
            actor=staff,
            meeting_action=meeting_action,
            objective=closed,
            data={"code": "1", "lead_organisation": closed.plan.owner},
        )
    assert "objective" in refused.value.message_dict
    short = ObjectiveFactory(
        plan=PlanFactory(period_start=datetime.date(2025, 4, 1), period_end=datetime.date(2025, 6, 30))
    )
    with pytest.raises(ValidationError) as refused:
        raise_from_meeting_action(
            actor=staff,
            meeting_action=meeting_action,
            objective=short,
            data={"code": "1", "lead_organisation": short.plan.owner},
        )
    assert "due_date" in refused.value.message_dict
    assert not Action.objects.exists()


def test_staff_raise_a_meeting_action_from_its_page(staff_client):
    meeting_action = MeetingActionFactory(description="Map the community groups that run drop-ins")
    objective = ObjectiveFactory()
    edit_page = staff_client.get(meeting_action.get_absolute_url()).content.decode()
    raise_url = reverse("plans:raise_meeting_action", args=[meeting_action.uuid])
    assert raise_url in edit_page
    form_page = staff_client.get(raise_url).content.decode()
    assert 'value="Map the community groups that run drop-ins"' in form_page
    due = meeting_action.due_date
    for part, value in (("day", due.day), ("month", due.month), ("year", due.year)):
        assert f'name="due_date_{part}" value="{value}"' in form_page
    response = staff_client.post(
        raise_url,
        {
            "objective": objective.pk,
            "code": "3.4",
            "title": "Map the community groups that run drop-ins",
            "description": "",
            "lead_organisation": objective.plan.owner.pk,
            "due_date": meeting_action.due_date.isoformat(),
        },
    )
    action = Action.objects.get()
    assert response.url == action.get_absolute_url()
    action_page = staff_client.get(action.get_absolute_url()).content.decode()
    assert meeting_action.meeting.get_absolute_url() in action_page
    edit_page = staff_client.get(meeting_action.get_absolute_url()).content.decode()
    assert "Raised into plan action" in edit_page and action.get_absolute_url() in edit_page
    assert raise_url not in edit_page
    # Opened again, the page sends back to the meeting action; posted again, it is refused on the form.
    assert staff_client.get(raise_url).url == meeting_action.get_absolute_url()
    again = staff_client.post(
        raise_url,
        {
            "objective": objective.pk,
            "code": "3.5",
            "title": "Again",
            "lead_organisation": objective.plan.owner.pk,
            "due_date": meeting_action.due_date.isoformat(),
        },
    )
    assert again.status_code == 400 and "already raised into plan action 3.4" in again.content.decode()
    assert Action.objects.count() == 1


def test_the_meeting_action_panel_offers_raising_only_to_those_who_run_plans(rf, make_persona, staff):
    meeting_action = MeetingActionFactory()
    member_request, staff_request = rf.get("/"), rf.get("/")
    member_request.user = make_persona(Role.MEMBER, organisation=meeting_action.meeting.network.organisation)
    staff_request.user = staff
    assert panels.meeting_action_context(member_request, meeting_action) is None
    assert panels.meeting_action_context(staff_request, meeting_action) == {
        "raised": None,
        "meeting_action": meeting_action,
    }


# --- Where objectives came from ------------------------------------------------------------------------


def test_an_objectives_sources_are_replaced_in_one_history_row(staff):
    objective = ObjectiveFactory()
    issues, survey = [IssueFactory(), IssueFactory()], SurveyFactory(title="Community consultation 2025")
    before = objective.history.count()
    set_objective_sources(
        actor=staff, objective=objective, issues=issues, surveys=[survey], note=" Asked for at the summit. "
    )
    assert set(objective.source_issues.all()) == set(issues) and list(objective.source_surveys.all()) == [survey]
    assert objective.source_note == "Asked for at the summit."
    assert objective.history.count() == before + 1
    set_objective_sources(actor=staff, objective=objective, issues=issues[:1], surveys=[], note="")
    assert list(objective.source_issues.all()) == issues[:1] and not objective.source_surveys.exists()
    assert objective.history.count() == before + 2
    with pytest.raises(ValidationError) as refused:
        set_objective_sources(actor=staff, objective=objective, issues=[], surveys=[], note="x" * 2_001)
    assert "source_note" in refused.value.message_dict


def test_staff_say_where_an_objective_came_from_and_the_plan_page_shows_it(staff_client):
    objective = ObjectiveFactory(code="2", title="Interpreting")
    ObjectiveFactory(plan=objective.plan, code="3")
    issue, survey = public_issue(), SurveyFactory(title="Community consultation 2025")
    url = reverse("plans:objective_sources", args=[objective.uuid])
    assert url in staff_client.get(objective.plan.get_absolute_url()).content.decode()
    response = staff_client.post(
        url, {"source_issues": [issue.pk], "source_surveys": [survey.pk], "source_note": "Raised at the summit."}
    )
    assert response.url.endswith("#objective-2")
    page = staff_client.get(objective.plan.get_absolute_url()).content.decode()
    assert "Raised at the summit." in page and "Community consultation 2025" in page
    assert reverse("voice:you_said_we_did_issue", args=[issue.uuid]) in page


def test_the_plan_page_reads_every_objectives_sources_at_once(staff_client, django_assert_max_num_queries):
    plan = PlanFactory()
    for code in range(1, 4):
        ObjectiveFactory(plan=plan, code=str(code)).source_issues.add(IssueFactory())
    staff_client.get(plan.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        staff_client.get(plan.get_absolute_url())
    for code in range(4, 12):
        ObjectiveFactory(plan=plan, code=str(code)).source_issues.add(IssueFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(plan.get_absolute_url())


# --- The public "You said, we did" page -----------------------------------------------------------------


def test_the_public_issue_page_shows_the_linked_actions_status_and_never_the_leads_name(client, make_persona, staff):
    issue = public_issue()
    action = led_action(make_persona)
    link_issue(actor=staff, action=action, issue=issue, note="Interpreters are now booked with the appointment.")
    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()
    assert "What the action plans say" in page
    assert f"{action.code} Book interpreters for every appointment" in page
    assert "In progress" in page and "Amber" in page and "40%" in page
    assert "Interpreters are now booked with the appointment." in page
    assert action.objective.plan.title in page
    for personal in ("Priya", "Leadperson", action.lead.username, action.lead.email, staff.username):
        assert personal not in page
    assert "Waiting for the new booking system." not in page  # the RAG reason is the lead's working note


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.IN_CONSULTATION, PlanStatus.APPROVED])
def test_the_public_issue_page_shows_nothing_from_an_unpublished_plan(client, make_persona, staff, status):
    issue = public_issue()
    action = led_action(make_persona, status=status, title="Secret draft plan")
    link_issue(actor=staff, action=action, issue=issue, note="Draft words")
    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()
    assert "What the action plans say" not in page
    for unpublished in ("Secret draft plan", action.title, "Draft words"):
        assert unpublished not in page
    assert trail.public_answers(issue) == []


def test_the_read_functions_for_the_report_and_the_evidence_pack(make_persona, staff):
    action = led_action(make_persona)
    plan = action.objective.plan
    shown, unpublished = public_issue(), IssueFactory()
    link_issue(actor=staff, action=action, issue=shown)
    link_issue(actor=staff, action=action, issue=unpublished)
    public_rows = trail.issues_answered_by_plan(plan)
    assert [(row.issue, row.actions) for row in public_rows] == [(shown, [action])]
    assert public_rows[0].public_url == reverse("voice:you_said_we_did_issue", args=[shown.uuid])
    every_row = trail.issues_answered_by_plan(plan, public=False)
    assert {row.issue for row in every_row} == {shown, unpublished}
    assert trail.public_answers_by_issue([shown]).keys() == {shown.pk}
    assert list(trail.actions_answering(unpublished, staff)) == [action]
    plan.status = PlanStatus.DRAFT
    plan.save()
    assert trail.issues_answered_by_plan(plan) == []


# --- Telling people -----------------------------------------------------------------------------------


@pytest.fixture
def watched(make_persona, staff):
    """A linked action of a published plan co-produced with two organisations (one without an e-mail), whose
    issue grew from three items: one asked for updates, one did not, one asked and also raised another
    issue the action answers."""
    action = led_action(make_persona)
    plan = action.objective.plan
    plan.co_produced_with.add(
        OrganisationFactory(name="Sahara Women's Group", email="hello@sahara.example.org"),
        OrganisationFactory(name="No e-mail group", email=""),
    )
    issue, other_issue = public_issue(), IssueFactory(title="Other issue")
    issue.items.add(
        FeedbackItemFactory(contact_email="asked@example.org", wants_updates=True),
        FeedbackItemFactory(contact_email="did.not.ask@example.org", wants_updates=False),
        FeedbackItemFactory(contact_email="both@example.org", wants_updates=True),
    )
    other_issue.items.add(FeedbackItemFactory(contact_email="both@example.org", wants_updates=True))
    link_issue(actor=staff, action=action, issue=issue)
    link_issue(actor=staff, action=action, issue=other_issue)
    return action


def _update(action, capture, **data):
    with capture(execute=True):
        return update_action(actor=action.lead, action=action, data=data)


def test_a_status_change_tells_exactly_those_who_asked_and_the_co_producers_once(
    watched, django_capture_on_commit_callbacks
):
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    deliveries = EmailDelivery.objects.filter(template=TEMPLATE)
    assert sorted(deliveries.values_list("to_address", flat=True)) == [
        "asked@example.org",
        "both@example.org",
        "hello@sahara.example.org",
    ]
    person = deliveries.get(to_address="asked@example.org")
    assert "is now complete" in person.subject and "(was In progress)" in person.text_body
    assert "Tell me what happens about this" in person.text_body
    issue = watched.issue_links.order_by("pk").first().issue
    assert reverse("voice:you_said_we_did_issue", args=[issue.uuid]) in person.text_body
    assert "Other issue" not in person.text_body  # only what this person raised
    assert "Other issue" in deliveries.get(to_address="both@example.org").text_body
    for delivery in deliveries:
        for someone_else in ("Priya", "Leadperson", "did.not.ask@example.org", "asked@example.org"):
            if delivery.to_address != someone_else:
                assert someone_else not in delivery.text_body + delivery.html_body
    organisation = deliveries.get(to_address="hello@sahara.example.org")
    assert "Sahara Women's Group" in organisation.text_body and "Other issue" not in organisation.text_body


def test_a_second_identical_update_and_a_rag_only_change_send_nothing(watched, django_capture_on_commit_callbacks):
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    assert EmailDelivery.objects.filter(template=TEMPLATE).count() == 3
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    _update(watched, django_capture_on_commit_callbacks, rag=Rag.GREEN, rag_reason="Delivered on time.")
    _update(watched, django_capture_on_commit_callbacks, progress=100, evidence="Minutes of the board.")
    assert EmailDelivery.objects.filter(template=TEMPLATE).count() == 3


def test_a_later_change_is_told_again_even_back_to_an_earlier_status(watched, django_capture_on_commit_callbacks):
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.DEFERRED)
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.IN_PROGRESS)
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.DEFERRED)
    to_one = EmailDelivery.objects.filter(template=TEMPLATE, to_address="asked@example.org")
    assert to_one.count() == 3


def test_the_same_change_queued_twice_sends_once(watched, django_capture_on_commit_callbacks):
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    change_id = watched.history.order_by("-history_id").first().history_id
    with django_capture_on_commit_callbacks(execute=True):
        send_status_notices(
            action_id=watched.pk,
            status=ActionStatus.COMPLETE,
            previous_status=ActionStatus.IN_PROGRESS,
            change_id=change_id,
        )
    assert EmailDelivery.objects.filter(template=TEMPLATE).count() == 3


def test_a_bad_address_does_not_stop_the_others_being_told(watched, django_capture_on_commit_callbacks):
    watched.issue_links.order_by("pk").first().issue.items.add(
        FeedbackItemFactory(contact_email="not an address", wants_updates=True)
    )
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    assert EmailDelivery.objects.filter(template=TEMPLATE).count() == 3


def test_nobody_is_told_about_an_unpublished_plan_or_an_action_answering_nothing(
    watched, make_persona, django_capture_on_commit_callbacks
):
    plan = watched.objective.plan
    plan.status = PlanStatus.DRAFT
    plan.save()
    _update(watched, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    unlinked = led_action(make_persona)
    _update(unlinked, django_capture_on_commit_callbacks, status=ActionStatus.COMPLETE)
    assert not EmailDelivery.objects.filter(template=TEMPLATE).exists()
