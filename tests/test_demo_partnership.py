"""The demo borough's partnership working: two partnerships with leads, a year of decisions on evidence, about thirty
consultations with clashes to talk about and one reported back, and a community development team in which one
worker drifts into casework, all in the small borough that tests load."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import verified_login
from waymark.accounts.models import RoleGrant, User
from waymark.core.models import Job
from waymark.core.roles import Role
from waymark.partnership import balances, demo, demo_data
from waymark.partnership.choices import PUBLIC_STATUSES, ConsultationStatus
from waymark.partnership.clashes import clashes_of
from waymark.partnership.models import Activity, CdwTeam, Consultation, Decision, Partnership

pytestmark = pytest.mark.django_db


def test_the_demo_borough_tells_the_partnership_story(borough, client):
    """One load of the small borough (each load takes a minute), then each part of the story in turn."""
    summary = Job.objects.get(name="seed_demo").result["partnership"]
    assert summary["partnerships"] == 2 and summary["clashes"] >= 2
    _two_partnerships_with_named_leads()
    _a_year_of_decisions_on_evidence()
    _about_thirty_consultations_with_clashes_and_one_reported(client)
    _one_worker_drifts_into_casework(client)


def _two_partnerships_with_named_leads():
    partnerships = list(Partnership.objects.order_by("name").prefetch_related("members"))
    assert [partnership.name for partnership in partnerships] == sorted(
        [demo_data.RACE_EQUALITY, demo_data.ENGAGEMENT_FORUM]
    )
    for partnership in partnerships:
        members = list(partnership.members.select_related("lead", "deputy", "organisation"))
        assert len(members) >= 5
        assert sum(member.lead is not None for member in members) >= 4
        assert any(member.deputy is not None for member in members)
        assert any(member.lead is None for member in members)  # nobody named yet, as happens
        # Leads and deputies speak for their own organisation.
        for member in members:
            for person in (member.lead, member.deputy):
                if person is not None:
                    assert RoleGrant.objects.filter(user=person, organisation=member.organisation).exists()
    race_equality = Partnership.objects.get(name=demo_data.RACE_EQUALITY)
    assert race_equality.network is not None and not race_equality.terms_of_reference
    assert race_equality.meeting_series.exists() and race_equality.plans.count() == 2
    assert race_equality.members.exclude(left_on=None).exists()
    assert race_equality.responsibilities.exists()
    forum = Partnership.objects.get(name=demo_data.ENGAGEMENT_FORUM)
    assert forum.network is None and forum.terms_of_reference


def _a_year_of_decisions_on_evidence():
    today = timezone.localdate()
    decisions = list(Decision.objects.prefetch_related("evidence_issues", "evidence_consultations"))
    assert len(decisions) >= 12
    days = [decision.decided_on for decision in decisions]
    assert min(days) <= today - datetime.timedelta(days=300) and max(days) < today
    assert Decision.objects.filter(meeting__isnull=False).count() >= 5
    assert Decision.objects.filter(meeting__isnull=True).exists()  # between meetings
    assert Decision.objects.filter(rationale="").exists()
    for field in ("evidence_issues", "evidence_snapshots", "evidence_consultations", "following_actions"):
        assert Decision.objects.filter(**{f"{field}__isnull": False}).exists(), field
    for decision in Decision.objects.filter(meeting__isnull=False).select_related("meeting"):
        assert decision.meeting.series.partnerships.filter(pk=decision.partnership_id).exists()


def _about_thirty_consultations_with_clashes_and_one_reported(client):
    consultations = Consultation.objects.all()
    assert 28 <= consultations.count() <= 36
    assert set(consultations.values_list("status", flat=True)) == set(ConsultationStatus.values)
    assert consultations.values("communities").distinct().count() >= 15
    assert consultations.values("themes").distinct().count() >= 15
    assert consultations.values("lead_organisation").distinct().count() >= 8
    # The clashes the story is about, and no others.
    by_key = {plan.key: consultations.get(title=plan.title) for plan in demo_data.CONSULTATIONS}
    expected = {tuple(sorted((by_key[a].pk, by_key[b].pk))) for a, b in demo_data.CLASHES}
    assert demo.clash_pairs() == expected
    crisis = clashes_of(by_key["crisis_help"])
    assert {clash.other.lead_organisation.org_type for clash in crisis} == {"icb", "nhs_trust"}
    assert by_key["interpreters"].lead_organisation == by_key["therapy_letters"].lead_organisation  # one body, twice
    # We asked, you said, we did: reported, published, linked to the issue it produced and the actions it feeds.
    reported = by_key["crisis_line"]
    assert reported.status == ConsultationStatus.REPORTED and reported.published
    assert reported.purpose.startswith("We asked") and "You said" in reported.report_summary
    assert "We did" in reported.report_summary and reported.report_url
    assert reported.reported_on < timezone.localdate() - datetime.timedelta(days=100)
    assert reported.produced_issues.exists() and reported.feeds_actions.exists()
    assert Consultation.history.filter(history_change_reason="Demo dates moved back", id=reported.pk).exists()
    # Imperfect: one closed long ago and never reported, one still open weeks after it ended, one without an e-mail.
    assert by_key["talking_therapies"].status == ConsultationStatus.CLOSED
    assert not by_key["talking_therapies"].report_summary
    assert by_key["womens_drop_in"].status == ConsultationStatus.OPEN
    assert by_key["womens_drop_in"].ends_on < timezone.localdate()
    assert consultations.filter(contact_email="").exists()
    # The public sees only those published and open or reported.
    assert set(Consultation.objects.visible_to(None).values_list("pk", flat=True)) == set(
        consultations.filter(published=True, status__in=PUBLIC_STATUSES).values_list("pk", flat=True)
    )
    # A working user reads the calendar.
    verified_login(client, User.objects.get(username="demo-responder"))
    page = client.get(reverse("partnership:consultation_detail", args=[by_key["crisis_help"].uuid]))
    assert page.status_code == 200
    client.logout()


def _one_worker_drifts_into_casework(client):
    team = CdwTeam.objects.get(name=demo_data.TEAM_NAME)
    assert team.manager.username == "demo-cdw-manager"
    workers = {worker.username: worker for worker in team.workers.all()}
    assert set(workers) == {"demo-cdw-amira", "demo-cdw-jo", "demo-cdw-dev"}
    for person in [team.manager, *workers.values()]:
        grant = RoleGrant.objects.get(user=person)
        assert grant.role == Role.STAFF and grant.organisation == team.organisation
    today = timezone.localdate()
    for username, worker in workers.items():
        quarters = balances.worker_balance(worker)  # newest first
        assert len(quarters) == 5, username  # a year behind and this quarter so far
        assert quarters[-1].start == demo.quarter_start(today, back=4)
        warned = [quarter.start for quarter in quarters if quarter.warnings]
        if username == "demo-cdw-amira":
            # The warning fires for her last two quarters, and only those: access facilitation, i.e. casework.
            assert warned == [quarters[0].start, quarters[1].start]
            for quarter in quarters[:2]:
                assert any(warning.startswith("Access facilitator took") for warning in quarter.warnings)
        elif username == "demo-cdw-dev":
            # A winter on community mapping: no service development that quarter.
            assert warned == [demo.quarter_start(today, back=3)]
            assert quarters[3].warnings == ("No hours as service developer.",)
        else:
            assert warned == [], username
    assert Activity.objects.filter(worker=workers["demo-cdw-jo"], hours=Decimal("0.25")).exists()
    # The line manager reads the team's balance, and Amira's.
    verified_login(client, team.manager)
    assert client.get(reverse("partnership:team_detail", args=[team.uuid])).status_code == 200
    page = client.get(reverse("partnership:worker_balance", args=[team.uuid, workers["demo-cdw-amira"].pk]))
    assert page.status_code == 200 and "Access facilitator took" in page.content.decode()
    client.logout()
