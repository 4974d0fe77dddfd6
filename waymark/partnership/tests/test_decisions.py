"""The decision log: recording and changing decisions through the services, the refusals naming the field, the
log's pages, and the rule that each piece of evidence is shown only to those who may see its source."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
from waymark.partnership.services.decisions import change_decision, record_decision
from waymark.plans.choices import PlanStatus
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.voice.factories_escalations import IssueFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def staff(make_persona):
    return make_persona(Role.STAFF, first_name="Sam", last_name="Staffperson")


@pytest.fixture
def staff_client(client, staff, verified_login):
    verified_login(client, staff)
    return client


def _snapshot(title="Detentions by ethnic group 2025/26"):
    return PublishedSnapshot.objects.create(
        title=title,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
        grouping_name="ONS 2021",
        methods_note="How they were made.",
    )


def _consultation(title="Listening to Somali families about crisis care"):
    return ConsultationFactory(title=title, communities=[CommunityFactory()], themes=[ThemeFactory()])


def _particulars(**changes):
    return {
        "decision": "Fund a Somali-speaking crisis worker",
        "decided_on": TODAY() - datetime.timedelta(days=3),
        "meeting": None,
        "rationale": "Families told us nobody spoke their language at the crisis house.",
        "decided_by": "The partnership board, by consensus",
        **changes,
    }


def _form_data(**changes):
    data = {
        "decision": "Fund a Somali-speaking crisis worker",
        "decided_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
        "rationale": "Families told us nobody spoke their language at the crisis house.",
        "decided_by": "The partnership board, by consensus",
    }
    data.update(changes)
    return data


# --- Services ---------------------------------------------------------------------------------------------


def test_a_decision_is_recorded_with_its_evidence_and_the_actions_that_follow(staff):
    partnership = PartnershipFactory()
    issue, snapshot, consultation = IssueFactory(), _snapshot(), _consultation()
    resting, following = ActionFactory(), ActionFactory()
    decision = record_decision(
        actor=staff,
        partnership=partnership,
        data=_particulars(decision="  Fund a Somali-speaking crisis worker  "),
        links={
            "evidence_issues": [issue],
            "evidence_snapshots": [snapshot],
            "evidence_consultations": [consultation],
            "evidence_actions": [resting],
            "following_actions": [following],
        },
    )
    assert decision.decision == "Fund a Somali-speaking crisis worker"
    assert decision.recorded_by == staff and decision.partnership == partnership
    assert list(decision.evidence_issues.all()) == [issue]
    assert list(decision.evidence_snapshots.all()) == [snapshot]
    assert list(decision.evidence_consultations.all()) == [consultation]
    assert list(decision.evidence_actions.all()) == [resting]
    assert list(decision.following_actions.all()) == [following]
    history = decision.history.get()  # one audited row for the whole decision, its links included
    assert history.history_type == "+" and history.history_user == staff


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision": "   "}, "decision"),
        ({"decided_by": ""}, "decided_by"),
        ({"decided_on": TODAY() + datetime.timedelta(days=1)}, "decided_on"),
        ({"rationale": "x" * 10_001}, "rationale"),
        ({"decision": "x" * 501}, "decision"),
        ({"decision": "Fund a worker\x00"}, "decision"),
    ],
)
def test_bad_particulars_are_refused_naming_the_field(staff, changes, field):
    with pytest.raises(ValidationError) as refused:
        record_decision(actor=staff, partnership=PartnershipFactory(), data=_particulars(**changes))
    assert field in refused.value.message_dict
    assert not Decision.objects.exists()


def test_a_meeting_of_another_network_is_refused(staff):
    network = NetworkFactory()
    partnership = PartnershipFactory(network=network)
    own = MeetingFactory(network=network, start=timezone.now() - datetime.timedelta(days=2))
    elsewhere = MeetingFactory(start=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        record_decision(actor=staff, partnership=partnership, data=_particulars(meeting=elsewhere))
    assert "meeting" in refused.value.message_dict
    decision = record_decision(actor=staff, partnership=partnership, data=_particulars(meeting=own))
    assert decision.meeting == own


def test_only_staff_and_administrators_record_decisions(make_persona):
    for role in (Role.RESPONDER, Role.ANALYST, Role.MEMBER):
        with pytest.raises(PermissionDenied):
            record_decision(actor=make_persona(role), partnership=PartnershipFactory(), data=_particulars())
    assert not Decision.objects.exists()


def test_evidence_the_recorder_cannot_see_is_refused_naming_the_link(make_persona, monkeypatch):
    """Staff see every source today; the check still holds for evidence chosen past the form (the API)."""
    from waymark.core import policy

    responder = make_persona(Role.RESPONDER)
    monkeypatch.setattr(policy, "can", lambda user, permission, obj=None: True)  # let the responder record
    draft_action = ActionFactory(objective=ObjectiveFactory(plan=PlanFactory(status=PlanStatus.DRAFT)))
    with pytest.raises(ValidationError) as refused:
        record_decision(
            actor=responder,
            partnership=PartnershipFactory(),
            data=_particulars(),
            links={"following_actions": [draft_action], "evidence_issues": [IssueFactory()]},
        )
    assert set(refused.value.message_dict) == {"following_actions", "evidence_issues"}


def test_changing_keeps_the_evidence_the_changer_cannot_see(staff, make_persona, monkeypatch):
    from waymark.core import policy

    hidden = ActionFactory(objective=ObjectiveFactory(plan=PlanFactory(status=PlanStatus.DRAFT)))
    shown = ActionFactory()
    decision = DecisionFactory()
    decision.evidence_actions.set([hidden, shown])
    responder = make_persona(Role.RESPONDER)
    monkeypatch.setattr(policy, "can", lambda user, permission, obj=None: True)
    replacement = ActionFactory()
    change_decision(
        actor=responder,
        decision=decision,
        data={"decision": "Fund two crisis workers"},
        links={"evidence_actions": [replacement]},
    )
    decision.refresh_from_db()
    assert decision.decision == "Fund two crisis workers"
    assert set(decision.evidence_actions.all()) == {hidden, replacement}
    assert decision.history.latest().history_user == responder
