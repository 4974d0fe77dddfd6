"""Who a distribution list reaches, memberships, terms of reference versions and consent rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waymark.core.models import Sector, Theme
from waymark.network import membership
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import DistributionListFactory
from waymark.network.models import Contact, MembershipRole
from waymark.network.services import people, subscriptions

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _names(queryset):
    return sorted(contact.name for contact in queryset)


@pytest.fixture
def housing():
    return Sector.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]


def test_a_rule_list_reaches_current_members_in_the_sector_and_chosen_people(housing):
    network = NetworkFactory()
    health = Sector.objects.get_or_create(slug="health", defaults={"name": "Health"})[0]
    MembershipFactory(network=network, contact=ContactFactory(name="Housing member", sector=housing))
    MembershipFactory(network=network, contact=ContactFactory(name="Health member", sector=health))
    MembershipFactory(network=network, contact=ContactFactory(name="Housing leaver", sector=housing), left=TODAY)
    ContactFactory(name="Housing non-member", sector=housing)
    chosen = ContactFactory(name="Chosen guest")
    housing_list = DistributionListFactory(network=network, name="All housing members", all_members=False)
    housing_list.rule_sectors.add(housing)
    housing_list.static_members.add(chosen)

    assert _names(membership.recipients(housing_list)) == ["Chosen guest", "Housing member"]


def test_an_interest_rule_matches_members_with_any_of_the_interests():
    network = NetworkFactory()
    theme = Theme.objects.create(name="Carers", slug="carers-test")
    interested = ContactFactory(name="Interested")
    interested.interests.add(theme)
    MembershipFactory(network=network, contact=interested)
    MembershipFactory(network=network, contact=ContactFactory(name="Not interested"))
    carers = DistributionListFactory(network=network, all_members=False)
    carers.rule_interests.add(theme)

    assert _names(membership.recipients(carers)) == ["Interested"]


def test_someone_who_left_a_list_is_not_on_it_and_others_still_are():
    network = NetworkFactory()
    stays, leaves = ContactFactory(name="Stays"), ContactFactory(name="Leaves")
    for contact in (stays, leaves):
        MembershipFactory(network=network, contact=contact)
    everyone = DistributionListFactory(network=network)
    other = DistributionListFactory(network=network)

    history_before = everyone.history.count()
    subscriptions.unsubscribe(contact=leaves, distribution_list=everyone)
    subscriptions.unsubscribe(contact=leaves, distribution_list=everyone)  # twice changes nothing

    latest = everyone.history.latest()
    assert everyone.history.count() > history_before  # leaving a list is in its audit history
    assert [row.contact_id for row in latest.opted_out.all()] == [leaves.pk]

    assert _names(membership.recipients(everyone)) == ["Stays"]
    assert _names(membership.recipients(other)) == ["Leaves", "Stays"]
    assert membership.lists_reaching(leaves) == [other]


def test_a_member_joining_later_is_not_on_the_list_before_they_join():
    network = NetworkFactory()
    MembershipFactory(
        network=network, contact=ContactFactory(name="Joins next week"), joined=TODAY + datetime.timedelta(days=7)
    )
    everyone = DistributionListFactory(network=network)

    assert _names(membership.recipients(everyone)) == []
    assert _names(membership.recipients(everyone, on=TODAY + datetime.timedelta(days=7))) == ["Joins next week"]


def test_adding_a_member_twice_keeps_one_membership_and_changes_the_role(django_user_model):
    network, contact = NetworkFactory(), ContactFactory()
    first = people.add_member(network=network, contact=contact, actor=None)
    second = people.add_member(network=network, contact=contact, actor=None, role=MembershipRole.MINUTE_TAKER)

    assert first.pk == second.pk
    assert contact.memberships.get().role == MembershipRole.MINUTE_TAKER
    people.end_membership(membership=second, actor=None)
    again = people.add_member(network=network, contact=contact, actor=None)
    assert again.pk != first.pk
    assert list(membership.current_members(network)) == [contact]


def test_terms_of_reference_keep_every_version_and_the_latest_approved_is_in_force():
    network = NetworkFactory()
    first = people.add_terms_of_reference(network=network, text="# Purpose\nMeet.", actor=None, approved_on=TODAY)
    draft = people.add_terms_of_reference(network=network, text="# Purpose\nMeet more.", actor=None)

    assert (first.version, draft.version) == (1, 2)
    assert membership.terms_in_force(network) == first
    assert network.terms_of_reference.count() == 2


def test_consent_needs_a_lawful_basis_and_a_date():
    data = {"name": "No basis", "email": "nobasis@example.org", "consent_to_contact": True}
    with pytest.raises(ValidationError) as caught:
        people.create_contact(data=data, actor=None)
    assert set(caught.value.message_dict) == {"lawful_basis", "consent_date"}
    assert not Contact.objects.filter(email="nobasis@example.org").exists()


def test_managing_subscriptions_can_stop_everything_and_rejoin_a_list():
    network = NetworkFactory()
    contact = ContactFactory()
    MembershipFactory(network=network, contact=contact)
    kept, dropped = DistributionListFactory(network=network), DistributionListFactory(network=network)

    subscriptions.update_subscriptions(contact=contact, keep=[kept], stop_all=False)
    assert membership.lists_reaching(contact) == [kept]
    assert list(membership.lists_left(contact)) == [dropped]

    subscriptions.update_subscriptions(contact=contact, keep=[kept], stop_all=True)
    contact.refresh_from_db()
    assert contact.unsubscribed and not contact.may_be_emailed

    subscriptions.update_subscriptions(contact=contact, keep=[kept, dropped], stop_all=False)
    contact.refresh_from_db()
    assert contact.may_be_emailed
    assert sorted(item.pk for item in membership.lists_reaching(contact)) == sorted([kept.pk, dropped.pk])
