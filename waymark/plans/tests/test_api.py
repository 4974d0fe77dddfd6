"""/api/v1/plans/: the plans a caller may see, filtered as the list pages filter, read-only."""

import pytest
from django.urls import reverse

from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.monitoring.factories import LocalAuthorityFactory
from waymark.monitoring.models import AnalysisGrouping
from waymark.plans.choices import ActionStatus, PlanStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Indicator


@pytest.fixture
def trust():
    return OrganisationFactory(name="Riverside Mental Health Trust")


@pytest.fixture
def plans(trust):
    published = PlanFactory(title="Published PCREF plan", owner=trust)
    own_draft = PlanFactory(title="Riverside draft", owner=trust, status=PlanStatus.DRAFT)
    other_draft = PlanFactory(title="Hillside draft", status=PlanStatus.DRAFT)
    return published, own_draft, other_draft


def _get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(client, name="api:plan-list", **params):
    return sorted(row["title"] for row in _get(client, name, **params)["results"])


@pytest.mark.django_db
def test_the_public_and_members_see_only_published_plans(client, plans, make_persona, verified_login):
    assert _titles(client) == ["Published PCREF plan"]
    verified_login(client, make_persona(Role.MEMBER))
    assert _titles(client) == ["Published PCREF plan"]
    _published, own_draft, _other = plans
    assert client.get(reverse("api:plan-detail", args=[own_draft.uuid])).status_code == 404


@pytest.mark.django_db
def test_a_responder_sees_their_organisations_drafts_and_staff_see_every_plan(
    client, plans, trust, make_persona, verified_login
):
    verified_login(client, make_persona(Role.RESPONDER, trust))
    assert _titles(client) == ["Published PCREF plan", "Riverside draft"]
    verified_login(client, make_persona(Role.STAFF))
    assert _titles(client) == ["Hillside draft", "Published PCREF plan", "Riverside draft"]


@pytest.mark.django_db
def test_objectives_actions_and_indicators_follow_their_plan(client, plans):
    published, own_draft, _other = plans
    seen = ActionFactory(objective=ObjectiveFactory(plan=published, code="1"), title="Seen")
    hidden = ActionFactory(objective=ObjectiveFactory(plan=own_draft, code="1"), title="Hidden")
    for action in (seen, hidden):
        Indicator.objects.create(
            action=action,
            title=f"Detention ratio for {action.title}",
            measure="mha_detention",
            provider=published.owner,
            area=LocalAuthorityFactory(),
            grouping=AnalysisGrouping.objects.get(is_default=True),
            group="Black Caribbean",
            reference_group="White British",
            target=2.0,
            baseline_year=2024,
        )
    assert [row["plan"] for row in _get(client, "api:plan-objective-list")["results"]] == [str(published.uuid)]
    assert _titles(client, "api:plan-action-list") == ["Seen"]
    (indicator,) = _get(client, "api:plan-indicator-list")["results"]
    assert (indicator["title"], indicator["plan"], indicator["action"]) == (
        "Detention ratio for Seen",
        str(published.uuid),
        str(seen.uuid),
    )
    assert client.get(reverse("api:plan-action-detail", args=[hidden.uuid])).status_code == 404


@pytest.mark.django_db
def test_the_lists_filter_as_the_pages_do(client, plans, make_persona, verified_login):
    published, own_draft, _other = plans
    objective = ObjectiveFactory(plan=published, code="1")
    ActionFactory(objective=objective, title="Red one", rag=Rag.RED, rag_reason="Stalled")
    ActionFactory(objective=objective, title="Done", status=ActionStatus.COMPLETE, rag=Rag.GREEN, rag_reason="Ok")
    ActionFactory(objective=ObjectiveFactory(plan=own_draft, code="1"), title="Draft action")
    verified_login(client, make_persona(Role.STAFF))
    assert _titles(client, status=PlanStatus.DRAFT) == ["Hillside draft", "Riverside draft"]
    assert _titles(client, q="riverside") == ["Riverside draft"]
    assert _titles(client, "api:plan-action-list", plan=str(published.uuid)) == ["Done", "Red one"]
    assert _titles(client, "api:plan-action-list", rag=Rag.RED) == ["Red one"]
    assert _titles(client, "api:plan-action-list", status=ActionStatus.COMPLETE) == ["Done"]
    assert [row["code"] for row in _get(client, "api:plan-objective-list", plan=str(own_draft.uuid))["results"]] == [
        "1"
    ]


@pytest.mark.django_db
def test_a_named_lead_is_shown_to_working_roles_only(client, plans, make_persona, verified_login, django_user_model):
    published, _own, _other = plans
    lead = django_user_model.objects.create_user("lead", first_name="Ama", last_name="Owusu", email="a@x.example")
    action = ActionFactory(objective=ObjectiveFactory(plan=published), lead=lead)
    url = reverse("api:plan-action-detail", args=[action.uuid])
    public = client.get(url).json()
    assert public["lead_name"] is None and public["lead_organisation"]["name"] == published.owner.name
    assert "a@x.example" not in client.get(url).content.decode()
    verified_login(client, make_persona(Role.STAFF))
    assert client.get(url).json()["lead_name"] == "Ama Owusu"


@pytest.mark.django_db
def test_the_action_list_asks_a_fixed_number_of_queries(client, plans, django_assert_max_num_queries):
    published, _own, _other = plans
    objective = ObjectiveFactory(plan=published)
    for _number in range(30):
        ActionFactory(objective=objective)
    with django_assert_max_num_queries(6):
        assert len(_get(client, "api:plan-action-list")["results"]) == 30


@pytest.mark.django_db
def test_the_api_does_not_write(client, plans, make_persona, verified_login):
    verified_login(client, make_persona(Role.ADMIN))
    published, _own, _other = plans
    assert client.post(reverse("api:plan-list"), {}).status_code == 405
    assert client.delete(reverse("api:plan-detail", args=[published.uuid])).status_code == 405
