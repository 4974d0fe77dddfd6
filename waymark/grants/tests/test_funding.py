"""The link to the map: an award becomes the recipient's funding source, the fragility radar sees it and names
the programme, and an organisation's page lists its grants."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from waymark.core.dates import add_months
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.core.roles import Role
from waymark.directory.fragility import Reason, fragility_radar
from waymark.directory.models import FundingSource
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.factories import GrantDecisionFactory, ProgrammeFactory
from waymark.grants.services.funding import record_award_funding

pytestmark = pytest.mark.django_db


def _radar_entry(organisation):
    entries = fragility_radar(
        today=timezone.localdate(), window_months=6, organisations_qs=Organisation.objects.filter(pk=organisation.pk)
    )
    return entries[0] if entries else None


def test_the_fragility_radar_changes_after_an_award(make_persona):
    officer = make_persona(Role.STAFF)
    group = OrganisationFactory(name="Tuesday women's circle")
    programme = ProgrammeFactory(title="Community seed fund 2027")
    today = timezone.localdate()
    decision = GrantDecisionFactory(
        application__programme=programme,
        application__organisation=group,
        starts_on=today,
        ends_on=add_months(today, 4),
    )
    assert _radar_entry(group) is None  # no funding known: nothing to warn about

    funding = record_award_funding(decision, actor=officer)

    assert funding is not None
    assert (funding.organisation, funding.amount, funding.ends_on) == (group, Decimal("2000.00"), decision.ends_on)
    assert funding.grant_identifier == decision.grant_identifier
    entry = _radar_entry(group)
    assert entry is not None
    ends = next(reason for reason in entry.reasons if reason.kind == Reason.FUNDING_ENDS)
    assert "Community seed fund 2027" in ends.detail
    assert programme.funder.name in ends.detail
    assert Reason.SINGLE_FUNDER in entry.kinds


def test_deciding_again_updates_the_one_funding_source(make_persona):
    officer = make_persona(Role.STAFF)
    decision = GrantDecisionFactory(application__organisation=OrganisationFactory())
    record_award_funding(decision, actor=officer)
    decision.amount_awarded = Decimal("2500.00")
    decision.ends_on = decision.ends_on + datetime.timedelta(days=30)

    record_award_funding(decision, actor=officer)

    funding = FundingSource.objects.get()
    assert (funding.amount, funding.ends_on) == (Decimal("2500.00"), decision.ends_on)
    assert funding.history.first().history_user == officer


def test_a_decline_or_an_individual_adds_no_funding(make_persona):
    officer = make_persona(Role.STAFF)
    decline = GrantDecisionFactory(
        application__organisation=OrganisationFactory(),
        application__status=ApplicationStatus.DECLINED,
        outcome=DecisionOutcome.DECLINE,
        amount_awarded=None,
    )
    individual = GrantDecisionFactory(application__organisation=None)

    assert record_award_funding(decline, actor=officer) is None
    assert record_award_funding(individual, actor=officer) is None
    assert not FundingSource.objects.exists()


def test_an_organisations_page_lists_its_grants_for_grants_officers(client, verified_login, make_persona):
    group = OrganisationFactory()
    decision = GrantDecisionFactory(application__organisation=group, amount_awarded=Decimal("1750.00"))
    officer = make_persona(Role.STAFF)
    verified_login(client, officer)

    page = client.get(group.get_absolute_url()).content.decode()

    assert decision.application.reference in page
    assert "£1,750.00" in page
    client.logout()
    verified_login(client, make_persona(Role.ANALYST))
    response = client.get(group.get_absolute_url())
    assert decision.application.reference not in response.content.decode()
