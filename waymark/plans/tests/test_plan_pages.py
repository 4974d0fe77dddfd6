"""Running a plan through its pages: start one from a template, change it, move its status, write its
objectives, and read its history; and every refusal on the field it is about."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans.choices import PlanStatus, PlanType
from waymark.plans.factories import ObjectiveFactory, PlanFactory
from waymark.plans.models import Objective, Plan, PlanTemplate
from waymark.plans.services.plans import add_objective, change_plan, move_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


@pytest.fixture
def admin(client):
    user = make_persona(Role.ADMIN)
    verified_login(client, user)
    return user


def _particulars(**changes):
    owner = OrganisationFactory(name="Riverside Mental Health Trust")
    data = {
        "title": "Riverside PCREF plan",
        "plan_type": "",
        "owner": owner.pk,
        "period_start": "2026-04-01",
        "period_end": "2029-03-31",
        "review_cycle_months": "12",
        "update_interval_days": "30",
        "board_lead_name": "Amara Okafor",
        "board_lead_role": "Chief Nurse",
        "summary": "What we will change, with whom.",
    }
    data.update(changes)
    return data


def test_start_a_plan_from_the_pcref_template_through_the_page(client, staff):
    partner = OrganisationFactory(name="Riverside Council")
    community = OrganisationFactory(name="African Caribbean Wellbeing Group", org_type="community_group")
    page = client.get(reverse("plans:plan_create"))
    assert page.status_code == 200
    assert "Start a plan" in page.content.decode()
    assert "No template: I will write the objectives" in page.content.decode()
    template = PlanTemplate.objects.get(code="pcref")
    response = client.post(
        reverse("plans:plan_create"),
        _particulars(template=template.pk, partners=[partner.pk], co_produced_with=[community.pk]),
    )
    plan = Plan.objects.get(title="Riverside PCREF plan")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.plan_type == PlanType.PCREF and plan.status == PlanStatus.DRAFT
    assert plan.template == template and plan.created_by == staff
    assert list(plan.partners.all()) == [partner] and list(plan.co_produced_with.all()) == [community]
    assert list(plan.objectives.values_list("code", flat=True)) == ["G", "C1", "C2", "C3", "C4", "C5", "C6", "F"]
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Co-production" in detail and "Amara Okafor" in detail and "Put out to consultation" in detail


def test_a_plan_without_a_template_needs_a_type(client, staff):
    response = client.post(reverse("plans:plan_create"), _particulars(template=""))
    assert response.status_code == 400
    assert "plan_type" in response.context["form"].errors
    assert not Plan.objects.exists()
    response = client.post(reverse("plans:plan_create"), _particulars(template="", plan_type=PlanType.PARTNERSHIP))
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.template is None and not plan.objectives.exists()


def test_a_period_ending_before_it_starts_is_refused_on_the_end_date(client, staff):
    response = client.post(
        reverse("plans:plan_create"),
        _particulars(plan_type=PlanType.PARTNERSHIP, period_start="2027-04-01", period_end="2026-03-31"),
    )
    assert response.status_code == 400
    assert "period_end" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Riverside PCREF plan"  # nothing typed is lost
    assert not Plan.objects.exists()


def test_the_service_refuses_a_period_ending_before_it_starts_on_the_end_date():
    plan = PlanFactory()
    with pytest.raises(ValidationError) as refused:
        change_plan(actor=None, plan=plan, data={"period_end": datetime.date(2020, 1, 1)})
    assert list(refused.value.message_dict) == ["period_end"]


def test_change_a_plan_and_read_its_history(client, staff):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    data = _particulars(plan_type=PlanType.PCREF, title="Renamed plan", board_lead_name="Dr Ravi Shah")
    data["owner"] = plan.owner.pk
    response = client.post(reverse("plans:plan_edit", args=[plan.uuid]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Renamed plan" and plan.board_lead_name == "Dr Ravi Shah"
    history = client.get(reverse("plans:plan_history", args=[plan.uuid]))
    assert history.status_code == 200
    text = history.content.decode()
    assert "Renamed plan" in text and "Dr Ravi Shah" in text and str(staff) in text


def test_status_moves_through_to_published_and_closed(client, admin):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    url = reverse("plans:plan_move", args=[plan.uuid])
    for status in (PlanStatus.IN_CONSULTATION, PlanStatus.APPROVED, PlanStatus.PUBLISHED):
        assert client.post(url, {"to_status": status, "note": "Board, 3 March"}).status_code == 302
        plan.refresh_from_db()
        assert plan.status == status
    assert plan.approved_at is not None and plan.published_at is not None
    assert plan.history.filter(status=PlanStatus.APPROVED).get().history_change_reason == "Board, 3 March"
    client.post(url, {"to_status": PlanStatus.UNDER_REVIEW})
    client.post(url, {"to_status": PlanStatus.CLOSED})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    statuses = list(plan.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert statuses == ["draft", "consultation", "approved", "published", "review", "closed"]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'name="to_status"' not in page  # a closed plan goes nowhere
    assert "Approved on" in page and "Published on" in page
    history = client.get(reverse("plans:plan_history", args=[plan.uuid])).content.decode()
    assert "Note: Board, 3 March" in history


def test_a_move_the_transitions_do_not_allow_is_refused_on_the_status(client, admin):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        move_plan(actor=admin, plan=plan, to_status=PlanStatus.PUBLISHED)
    assert list(refused.value.message_dict) == ["status"]
    response = client.post(reverse("plans:plan_move", args=[plan.uuid]), {"to_status": PlanStatus.CLOSED}, follow=True)
    assert "cannot be moved" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_staff_cannot_approve_or_publish_through_the_service():
    staff = make_persona(Role.STAFF)
    plan = PlanFactory(status=PlanStatus.IN_CONSULTATION)
    with pytest.raises(ValidationError) as refused:
        move_plan(actor=staff, plan=plan, to_status=PlanStatus.APPROVED)
    assert list(refused.value.message_dict) == ["status"]
    approved = PlanFactory(status=PlanStatus.APPROVED)
    with pytest.raises(ValidationError):
        move_plan(actor=staff, plan=approved, to_status=PlanStatus.PUBLISHED)
    plan.refresh_from_db()
    approved.refresh_from_db()
    assert (plan.status, plan.approved_at, approved.status) == (PlanStatus.IN_CONSULTATION, None, "approved")


@pytest.mark.parametrize(
    ("start", "to_status"),
    [(PlanStatus.IN_CONSULTATION, PlanStatus.APPROVED), (PlanStatus.APPROVED, PlanStatus.PUBLISHED)],
)
def test_staff_cannot_approve_or_publish_through_the_page(client, staff, start, to_status):
    plan = PlanFactory(status=start)
    response = client.post(reverse("plans:plan_move", args=[plan.uuid]), {"to_status": to_status})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == start


def test_staff_see_only_the_moves_they_may_make(client, staff):
    plan = PlanFactory(status=PlanStatus.IN_CONSULTATION)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'value="draft"' in page and 'value="approved"' not in page
    assert "An administrator records the plan" in page
    assert client.post(reverse("plans:plan_move", args=[plan.uuid]), {"to_status": "draft"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_add_and_change_an_objective(client, staff):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    response = client.post(
        reverse("plans:objective_create", args=[plan.uuid]),
        {"code": "4", "title": "Interpreters at every assessment", "description": "", "order": "4"},
    )
    assert response.status_code == 302
    objective = plan.objectives.get(code="4")
    response = client.post(
        reverse("plans:objective_edit", args=[objective.uuid]),
        {"code": "4", "title": "Interpreters at every Mental Health Act assessment", "description": "", "order": "4"},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Interpreters at every Mental Health Act assessment"
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("plans:objective_edit", args=[objective.uuid]) in page


def test_a_duplicate_objective_number_is_refused_on_the_number(client, staff):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    ObjectiveFactory(plan=plan, code="2")
    response = client.post(
        reverse("plans:objective_create", args=[plan.uuid]), {"code": "2", "title": "Again", "order": "1"}
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert plan.objectives.count() == 1
    other = ObjectiveFactory(plan=plan, code="3")
    response = client.post(
        reverse("plans:objective_edit", args=[other.uuid]), {"code": "2", "title": other.title, "order": "0"}
    )
    assert response.status_code == 400 and "code" in response.context["form"].errors
    other.refresh_from_db()
    assert other.code == "3"
    with pytest.raises(ValidationError) as refused:
        add_objective(actor=None, plan=plan, data={"code": "2", "title": "Service refusal"})
    assert list(refused.value.message_dict) == ["code"]


def test_responders_and_analysts_may_not_run_plans(client):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    for role in (Role.RESPONDER, Role.ANALYST):
        verified_login(client, make_persona(role, organisation=plan.owner))
        assert client.get(reverse("plans:plan_edit", args=[plan.uuid])).status_code == 403
        move = client.post(reverse("plans:plan_move", args=[plan.uuid]), {"to_status": "consultation"})
        assert move.status_code == 403
    assert "Run the plan" not in client.get(PlanFactory().get_absolute_url()).content.decode()
    assert Objective.objects.count() == 0


def test_the_plan_page_asks_the_same_number_of_queries_however_many_objectives_and_actions(client, staff):
    """Objectives without sources, their actions and leads are read once for the page, not once each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from waymark.plans.factories import ActionFactory

    def queries_for(objectives: int) -> int:
        plan = PlanFactory()
        for _ in range(objectives):
            objective = ObjectiveFactory(plan=plan)
            ActionFactory(objective=objective, lead=make_persona(Role.STAFF))
            ActionFactory(objective=objective)
        client.get(plan.get_absolute_url())  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(plan.get_absolute_url()).status_code == 200
        return len(queries)

    assert queries_for(8) == queries_for(2)
