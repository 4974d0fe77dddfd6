"""The decision log's pages: what each person sees of a decision's evidence, the log's order, filters and
pages, and recording or changing a decision with nothing typed lost."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from waymark.core.roles import Role
from waymark.monitoring.models import PublishedSnapshot
from waymark.network.factories_meetings import MeetingFactory, NetworkFactory
from waymark.partnership.factories import (
    CommunityFactory,
    ConsultationFactory,
    DecisionFactory,
    PartnershipFactory,
    ThemeFactory,
)
from waymark.partnership.models import Decision
from waymark.plans.choices import PlanStatus
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.voice.factories_escalations import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_persona):
    return make_persona(Role.STAFF)


@pytest.fixture
def staff_client(client, staff, verified_login):
    verified_login(client, staff)
    return client


@pytest.fixture
def responder_client(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.RESPONDER))
    return client


def _snapshot(title):
    return PublishedSnapshot.objects.create(
        title=title,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
        grouping_name="ONS 2021",
        methods_note="How they were made.",
    )


def _decision_on_every_kind_of_evidence():
    """A decision resting on an issue no responder sees, a snapshot and a consultation everyone working sees,
    an action of a draft plan and one of a published plan, taken at a meeting of a network."""
    network = NetworkFactory()
    meeting = MeetingFactory(
        network=network, title="Partnership board", start=timezone.now() - datetime.timedelta(days=9)
    )
    decision = DecisionFactory(partnership=PartnershipFactory(network=network), meeting=meeting)
    decision.evidence_issues.set([IssueFactory(title="Interpreters missing at crisis assessments")])
    decision.evidence_snapshots.set([_snapshot("Detentions by ethnic group 2025/26")])
    decision.evidence_consultations.set(
        [
            ConsultationFactory(
                title="Somali families on crisis care", communities=[CommunityFactory()], themes=[ThemeFactory()]
            )
        ]
    )
    draft = PlanFactory(title="Draft trust plan", status=PlanStatus.DRAFT)
    decision.evidence_actions.set([ActionFactory(objective=ObjectiveFactory(plan=draft), title="Draft-only action")])
    decision.following_actions.set([ActionFactory(title="Commission an interpreting service")])
    return decision


# --- What each person sees --------------------------------------------------------------------------------


def test_staff_see_every_piece_of_evidence(staff_client):
    decision = _decision_on_every_kind_of_evidence()
    page = staff_client.get(decision.get_absolute_url()).content.decode()
    for shown in (
        "Interpreters missing at crisis assessments",
        "Detentions by ethnic group 2025/26",
        "Somali families on crisis care",
        "Draft-only action",
        "Commission an interpreting service",
        "Partnership board",
        "Change the decision",
    ):
        assert shown in page, shown


def test_a_responder_sees_only_the_evidence_whose_sources_they_may_see(responder_client):
    decision = _decision_on_every_kind_of_evidence()
    response = responder_client.get(decision.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Detentions by ethnic group 2025/26" in page  # published figures are public
    assert "Somali families on crisis care" in page  # every working user sees the calendar
    assert "Commission an interpreting service" in page  # an action of a published plan
    assert "Interpreters missing at crisis assessments" not in page  # not escalated to their organisation
    assert "Draft-only action" not in page  # a draft plan of another body
    assert "Partnership board" not in page  # a meeting of a network they are not in
    assert "Change the decision" not in page


def test_the_log_counts_and_filters_only_evidence_the_viewer_may_see(responder_client):
    decision = _decision_on_every_kind_of_evidence()
    decision.evidence_snapshots.clear()
    decision.evidence_consultations.clear()
    url = reverse("partnership:decision_list", args=[decision.partnership.uuid])
    page = responder_client.get(url).content.decode()
    assert decision.decision in page
    assert "1 issue" not in page and "1 plan action" not in page and "1 action follows" in page
    assert decision.decision not in responder_client.get(url, {"evidence": "issues"}).content.decode()
    assert decision.decision not in responder_client.get(url, {"evidence": "actions"}).content.decode()


# --- The log ----------------------------------------------------------------------------------------------


def test_the_log_is_newest_first_filtered_by_year_and_kind_and_paginated(staff_client, django_assert_max_num_queries):
    partnership = PartnershipFactory()
    today = timezone.localdate()
    DecisionFactory(
        partnership=partnership, decision="Adopt the terms of reference", decided_on=today.replace(year=today.year - 1)
    )
    newer = DecisionFactory(partnership=partnership, decision="Hold the next café event", decided_on=today)
    newer.evidence_issues.set([IssueFactory()])
    for number in range(30):
        decision = DecisionFactory(partnership=partnership, decided_on=today - datetime.timedelta(days=number + 1))
        decision.evidence_actions.set([ActionFactory()])
        decision.following_actions.set([ActionFactory()])
    DecisionFactory(decision="Another partnership's decision")
    url = reverse("partnership:decision_list", args=[partnership.uuid])
    with django_assert_max_num_queries(20):
        page = staff_client.get(url).content.decode()
    assert "32 decisions" in page
    assert page.index("Hold the next café event") < page.index("1 issue")
    assert "Another partnership&#x27;s decision" not in page and "Adopt the terms" not in page  # on page 2
    assert "Adopt the terms of reference" in staff_client.get(url, {"page": 2}).content.decode()
    last_year = staff_client.get(url, {"year": today.year - 1}).content.decode()
    assert "1 decision" in last_year and "Adopt the terms of reference" in last_year
    on_issues = staff_client.get(url, {"evidence": "issues"}).content.decode()
    assert "1 decision" in on_issues and "Hold the next café event" in on_issues


def test_the_partnership_page_slot_shows_the_five_latest_decisions(staff):
    partnership = PartnershipFactory()
    for number in range(7):
        DecisionFactory(
            partnership=partnership,
            decision=f"Decision number {number}",
            decided_on=timezone.localdate() - datetime.timedelta(days=number),
        )
    request = RequestFactory().get("/")
    request.user = staff
    html = Template("{% load partnership_decisions %}{% recent_decisions partnership %}").render(
        Context({"request": request, "partnership": partnership})
    )
    assert [f"Decision number {n}" in html for n in range(7)] == [True] * 5 + [False] * 2
    assert reverse("partnership:decision_list", args=[partnership.uuid]) in html
    assert reverse("partnership:decision_create", args=[partnership.uuid]) in html


# --- Recording and changing -------------------------------------------------------------------------------


def test_staff_record_a_decision_from_the_form(staff_client, staff):
    network = NetworkFactory()
    partnership = PartnershipFactory(network=network)
    meeting = MeetingFactory(network=network, title="Board", start=timezone.now() - datetime.timedelta(days=1))
    MeetingFactory(title="Somebody else's meeting", start=timezone.now() - datetime.timedelta(days=1))
    issue, action = IssueFactory(), ActionFactory()
    url = reverse("partnership:decision_create", args=[partnership.uuid])
    form_page = staff_client.get(url).content.decode()
    assert "Board" in form_page and "Somebody else&#x27;s meeting" not in form_page
    response = staff_client.post(
        url,
        {
            "decision": "Fund a crisis worker",
            "decided_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "meeting": meeting.pk,
            "decided_by": "The board",
            "rationale": "",
            "evidence_issues": [issue.pk],
            "following_actions": [action.pk],
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert decision.meeting == meeting and decision.recorded_by == staff
    assert list(decision.evidence_issues.all()) == [issue] and list(decision.following_actions.all()) == [action]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision": ""}, "decision", "Say what was decided"),
        ({"decided_by": ""}, "decided_by", "Say who decided"),
        ({"decided_on": ""}, "decided_on", "Give the date of the decision"),
        ({"decided_on": "2026-02-31"}, "decided_on", "as a real date"),
        ({"decided_on": "2999-01-01"}, "decided_on", "today or earlier"),
        ({"meeting": "999999"}, "meeting", "Select a valid choice"),
        ({"evidence_actions": ["999999"]}, "evidence_actions", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_on_its_field_with_nothing_typed_lost(staff_client, changes, field, message):
    partnership = PartnershipFactory()
    data = {
        "decision": "Fund a crisis worker",
        "decided_on": timezone.localdate().isoformat(),
        "decided_by": "The board",
        "rationale": "What families told us at the café.",
        **changes,
    }
    response = staff_client.post(reverse("partnership:decision_create", args=[partnership.uuid]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert message in page
    assert "What families told us at the café." in page
    assert not Decision.objects.exists()


def test_staff_change_a_decision_and_its_evidence(staff_client):
    decision = DecisionFactory()
    old_issue, new_issue = IssueFactory(), IssueFactory()
    decision.evidence_issues.set([old_issue])
    url = reverse("partnership:decision_edit", args=[decision.uuid])
    assert decision.decision in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "decision": "Fund two crisis workers",
            "decided_on": decision.decided_on.isoformat(),
            "decided_by": decision.decided_by,
            "rationale": decision.rationale,
            "evidence_issues": [new_issue.pk],
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.decision == "Fund two crisis workers"
    assert list(decision.evidence_issues.all()) == [new_issue]


def test_a_responder_cannot_record_or_change(responder_client):
    decision = DecisionFactory()
    create = reverse("partnership:decision_create", args=[decision.partnership.uuid])
    assert responder_client.get(create).status_code == 403
    assert responder_client.post(reverse("partnership:decision_edit", args=[decision.uuid]), {}).status_code == 403


def test_the_log_and_its_decisions_lead_back_to_the_partnership_page(staff_client):
    decision = DecisionFactory(partnership=PartnershipFactory(name="Borough mental health partnership"))
    partnership_link = f'href="{decision.partnership.get_absolute_url()}"'
    log = staff_client.get(reverse("partnership:decision_list", args=[decision.partnership.uuid])).content.decode()
    assert partnership_link in log
    assert partnership_link in staff_client.get(decision.get_absolute_url()).content.decode()
