"""The demo borough's plans story: the trust's PCREF plan at every rating, the trail to it from what communities said
and from the network's meetings, and plans in other states, all in the small borough that tests load."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import verified_login
from waymark.accounts.models import RoleGrant
from waymark.core.choices import OrganisationType
from waymark.core.models import EmailDelivery, Job
from waymark.core.roles import Role
from waymark.plans import indicator_values
from waymark.plans.choices import ActionStatus, Freshness, GraderRole, PlanStatus, PlanType, Rag
from waymark.plans.models import Action, ActionIssueLink, EdsGrading, Indicator, Plan
from waymark.plans.progress import freshness

pytestmark = pytest.mark.django_db


def test_the_demo_borough_tells_the_plans_story(borough, client):
    """One load of the small borough (each load takes seconds), then each part of the story in turn."""
    plan = Plan.objects.get(plan_type=PlanType.PCREF)
    assert plan.status == PlanStatus.PUBLISHED and plan.published_at and plan.published_at < timezone.now()
    assert plan.owner.org_type == OrganisationType.NHS_TRUST
    assert {partner.org_type for partner in plan.partners.all()} == {
        OrganisationType.ICB,
        OrganisationType.LOCAL_AUTHORITY,
    }
    assert 2 <= plan.co_produced_with.count() <= 3
    assert plan.board_lead_name and plan.board_lead_role
    assert plan.objectives.count() == 8

    actions = list(Action.objects.filter(objective__plan=plan).select_related("lead"))
    assert len(actions) >= 40
    assert {action.rag for action in actions} == {Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED}
    assert all(action.objective.actions.exists() for action in actions)
    assert all(action.rag_reason for action in actions if action.rag in {Rag.RED, Rag.AMBER})
    fresh = [freshness(action, plan) for action in actions]
    assert fresh.count(Freshness.STALE) >= 5 and fresh.count(Freshness.LATE) >= 3
    today = timezone.localdate()
    overdue = [a for a in actions if a.due_date < today and a.status not in {ActionStatus.COMPLETE, "cancelled"}]
    assert len(overdue) >= 3
    assert any(action.status == ActionStatus.COMPLETE and action.completed_on < today for action in actions)
    # One complete action follows a figure that has not moved: the page flags it.
    followed = Indicator.objects.filter(action__objective__plan=plan, action__status=ActionStatus.COMPLETE)
    assert any(indicator_values.indicator_value(indicator, None).unmoved_complete for indicator in followed)
    assert Indicator.objects.filter(objective__plan=plan).exists()
    # A red rating explained in a few words, as some leads do.
    assert min(len(action.rag_reason) for action in actions if action.rag == Rag.RED) < 40
    # Every stale rating was set by its lead through the service, and its date moved back afterwards, in the open.
    moved = Action.history.filter(history_change_reason="Demo dates moved back").values_list("id", flat=True)
    assert {action.pk for action in actions} <= set(moved)

    _the_demo_responder_and_worker_lead_actions_they_can_update(client)
    _what_communities_said_and_the_network_agreed_is_linked_to_the_plan(plan)
    _the_plan_lists_are_not_uniform()
    _the_icb_has_graded_itself_on_eds_2022_for_two_years()
    assert plan.competency_assessments.count() == 6
    assert plan.reviewed_at_meetings.exists() and plan.objectives.exclude(source_note="").exists()


def _the_demo_responder_and_worker_lead_actions_they_can_update(client):
    responder = RoleGrant.objects.select_related("user", "organisation").get(user__username="demo-responder")
    assert responder.role == Role.RESPONDER
    led = Action.objects.filter(lead=responder.user, objective__plan__plan_type=PlanType.PCREF)
    assert led.count() >= 3 and set(led.values_list("lead_organisation", flat=True)) == {responder.organisation_id}
    # Signed in, the responder finds them under "My actions" and may update them, and no one else's.
    verified_login(client, responder.user)
    page = client.get(reverse("plans:my_actions"))
    assert {action.pk for action in page.context["actions"]} == set(led.values_list("pk", flat=True))
    assert client.get(reverse("plans:action_update", args=[led.first().uuid])).status_code == 200
    others = Action.objects.exclude(lead=responder.user).filter(objective__plan__plan_type=PlanType.PCREF)
    assert client.get(reverse("plans:action_update", args=[others.first().uuid])).status_code == 403
    client.logout()
    worker = RoleGrant.objects.get(user__username="demo-worker")
    assert Action.objects.filter(lead=worker.user, lead_organisation=worker.organisation).exists()
    # Made-up staff lead the rest; nobody but the demo people can sign in.
    staff_leads = {action.lead for action in Action.objects.exclude(lead=None).select_related("lead")}
    assert len(staff_leads) >= 5
    assert all(lead.has_usable_password() == lead.username.startswith("demo-") for lead in staff_leads)


def _what_communities_said_and_the_network_agreed_is_linked_to_the_plan(plan):
    links = ActionIssueLink.objects.filter(action__objective__plan=plan)
    assert links.values("issue").distinct().count() >= 10
    assert all(link.note for link in links)
    raised = Action.objects.filter(objective__plan=plan, raised_from__isnull=False).select_related("raised_from")
    assert raised.count() >= 5
    assert all(action.title == action.raised_from.description for action in raised)
    assert not EmailDelivery.objects.filter(template__startswith="plans_").exists()  # nobody is written to
    summary = Job.objects.get(name="seed_demo").result["plans"]
    assert summary["issues_linked"] >= 10 and summary["meeting_actions_raised"] == 5


def _the_plan_lists_are_not_uniform():
    statuses = set(Plan.objects.values_list("status", flat=True))
    assert {PlanStatus.PUBLISHED, PlanStatus.DRAFT, PlanStatus.CLOSED} <= statuses
    assert set(Plan.objects.values_list("plan_type", flat=True)) >= {PlanType.PCREF, PlanType.PARTNERSHIP}


def _the_icb_has_graded_itself_on_eds_2022_for_two_years():
    gradings = list(EdsGrading.objects.filter(organisation__org_type=OrganisationType.ICB).order_by("year"))
    assert [grading.year for grading in gradings] == [gradings[0].year, gradings[0].year + 1]
    earlier, latest = gradings
    today = timezone.localdate()
    assert earlier.published_on and earlier.published_on <= today
    assert latest.published_on is None and today < latest.publish_by <= today + datetime.timedelta(days=60)
    for grading in gradings:
        assert grading.grades.count() == 11
        assert {GraderRole.STAFF, GraderRole.STAKEHOLDER} <= set(grading.graders.values_list("role", flat=True))
    assert GraderRole.PEER in set(latest.graders.values_list("role", flat=True))
    # Year on year, some outcomes improved.
    before = dict(earlier.grades.values_list("outcome__code", "grade"))
    assert any(grade > before[code] for code, grade in latest.grades.values_list("outcome__code", "grade"))
