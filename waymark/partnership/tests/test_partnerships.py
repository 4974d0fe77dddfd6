"""Running a partnership: starting and changing one, its members with a named lead and deputy who work at
the organisation they speak for, and what its page shows to whom; every refusal on the field it is about."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import RoleGrantFactory, make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.network.factories_meetings import NetworkFactory
from waymark.network.models import MeetingSeries
from waymark.partnership.factories import DecisionFactory, PartnershipFactory, PartnershipMemberFactory
from waymark.partnership.models import Partnership, PartnershipMember
from waymark.partnership.services.partnerships import (
    MemberRow,
    change_partnership,
    create_partnership,
    set_members,
)
from waymark.plans.choices import PlanStatus
from waymark.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def _series(network, title="Partnership board"):
    return MeetingSeries.objects.create(
        network=network, title=title, first_date=datetime.date(2027, 1, 14), start_time=datetime.time(14, 0)
    )


def _person_at(organisation, name, role=Role.RESPONDER):
    return make_persona(role, organisation=organisation, full_name=name)


# --- Services ---------------------------------------------------------------------------------------------


def test_staff_start_a_partnership_with_its_network_meetings_and_plans(staff):
    network = NetworkFactory(name="Riverside BME mental health forum")
    board = _series(network)
    plan = PlanFactory(title="Riverside PCREF plan")
    partnership = create_partnership(
        actor=staff,
        data={"name": "Riverside race equality partnership", "purpose": "Co-ordinate.", "network": network},
        meeting_series=[board],
        plans=[plan],
    )
    assert list(partnership.meeting_series.all()) == [board]
    assert list(partnership.plans.all()) == [plan]
    assert partnership.history.count() == 1
    assert partnership.history.get().history_user == staff


def test_a_second_partnership_with_the_same_name_is_refused_on_the_name(staff):
    PartnershipFactory(name="Riverside race equality partnership")
    with pytest.raises(ValidationError) as refusal:
        create_partnership(actor=staff, data={"name": "riverside RACE equality partnership"})
    assert refusal.value.message_dict["name"] == ["Another partnership has this name."]


def test_a_responder_may_not_run_a_partnership():
    responder = make_persona(Role.RESPONDER)
    with pytest.raises(PermissionDenied):
        create_partnership(actor=responder, data={"name": "Mine"})
    partnership = PartnershipFactory()
    with pytest.raises(PermissionDenied):
        change_partnership(actor=responder, partnership=partnership, data={"name": "Taken over"})


def test_members_are_set_in_one_go_with_a_lead_and_deputy_from_the_organisation(staff):
    partnership = PartnershipFactory()
    trust, council = OrganisationFactory(name="Riverside Trust"), OrganisationFactory(name="Riverside Council")
    amara, ben = _person_at(trust, "Amara Okafor"), _person_at(trust, "Ben Hale")
    set_members(
        actor=staff,
        partnership=partnership,
        rows=[
            MemberRow(organisation=trust, lead=amara, deputy=ben, joined_on=datetime.date(2025, 4, 1)),
            MemberRow(organisation=council),
        ],
    )
    trust_member = partnership.members.get(organisation=trust)
    assert (trust_member.lead, trust_member.deputy) == (amara, ben)
    assert partnership.members.count() == 2
    set_members(actor=staff, partnership=partnership, rows=[MemberRow(organisation=trust, lead=amara)])
    assert list(partnership.members.values_list("organisation__name", flat=True)) == ["Riverside Trust"]
    assert partnership.members.get().deputy is None


def test_a_lead_from_another_organisation_is_refused_naming_the_member_and_field_and_nothing_is_saved(staff):
    partnership = PartnershipFactory()
    trust, council = OrganisationFactory(name="Riverside Trust"), OrganisationFactory(name="Riverside Council")
    outsider = _person_at(council, "Carla Council")
    with pytest.raises(ValidationError) as refusal:
        set_members(
            actor=staff,
            partnership=partnership,
            rows=[MemberRow(organisation=council), MemberRow(organisation=trust, lead=outsider)],
        )
    assert refusal.value.messages == [
        "Member 2 (Riverside Trust), named lead: Carla Council holds no role at Riverside Trust: choose someone "
        "who works there."
    ]
    assert not PartnershipMember.objects.exists()


def test_the_deputy_differs_from_the_lead_and_a_member_leaves_after_joining(staff):
    trust = OrganisationFactory(name="Riverside Trust")
    amara = _person_at(trust, "Amara Okafor")
    row = MemberRow(
        organisation=trust,
        lead=amara,
        deputy=amara,
        joined_on=datetime.date(2026, 4, 1),
        left_on=datetime.date(2026, 3, 1),
    )
    with pytest.raises(ValidationError) as refusal:
        set_members(actor=staff, partnership=PartnershipFactory(), rows=[row])
    assert refusal.value.messages == [
        "Member 1 (Riverside Trust), deputy: The deputy must be someone other than the named lead.",
        "Member 1 (Riverside Trust), left on: The day it left must be on or after the day it joined.",
    ]


def test_a_lead_whose_role_has_ended_stays_until_someone_else_is_named(staff):
    trust = OrganisationFactory(name="Riverside Trust")
    amara = _person_at(trust, "Amara Okafor")
    member = PartnershipMemberFactory(organisation=trust, lead=amara)
    amara.role_grants.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    set_members(
        actor=staff,
        partnership=member.partnership,
        rows=[MemberRow(organisation=trust, lead=amara, joined_on=datetime.date(2025, 1, 1))],
    )
    member.refresh_from_db()
    assert member.lead == amara and member.joined_on == datetime.date(2025, 1, 1)
    other = PartnershipMemberFactory(organisation=OrganisationFactory(name="Riverside Council"))
    with pytest.raises(ValidationError):  # but nobody names her anew elsewhere
        set_members(actor=staff, partnership=other.partnership, rows=[MemberRow(organisation=trust, lead=amara)])


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_list_shows_each_partnership_with_its_counts_in_few_queries(client, staff, django_assert_max_num_queries):
    for number in range(30):
        partnership = PartnershipFactory(name=f"Partnership {number:02}")
        PartnershipMemberFactory.create_batch(3, partnership=partnership)
        PartnershipMemberFactory(partnership=partnership, left_on=datetime.date(2025, 5, 1))
        partnership.plans.add(PlanFactory())
    with django_assert_max_num_queries(12):
        page = client.get(reverse("partnership:partnership_list"))
    text = page.content.decode()
    assert "30 partnerships" in text
    assert "Partnership 24" in text and "Partnership 25" not in text  # 25 a page
    row = text[text.index("Partnership 00") :]
    # The organisation that left is not counted.
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">3</td>' in row[:1200]
    assert "Partnership 25" in client.get(reverse("partnership:partnership_list") + "?page=2").content.decode()


def test_start_a_partnership_through_the_page_then_its_members(client, staff):
    network = NetworkFactory(name="Riverside BME mental health forum")
    board = _series(network, "Forum meeting")
    page = client.post(
        reverse("partnership:partnership_create"),
        {
            "name": "Riverside race equality partnership",
            "purpose": "Co-ordinate.",
            "network": network.pk,
            "meeting_series": [board.pk],
        },
    )
    partnership = Partnership.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("partnership:partnership_members", args=[partnership.uuid])
    detail = client.get(partnership.get_absolute_url()).content.decode()
    assert "Forum meeting" in detail
    # No terms of its own: it uses the network's, and links to them.
    assert reverse("network:terms_list", args=[network.slug]) in detail
    assert "works to that network’s terms of reference" in detail


def test_a_refused_partnership_keeps_what_was_typed_and_names_the_field(client, staff):
    PartnershipFactory(name="Riverside race equality partnership")
    page = client.post(
        reverse("partnership:partnership_create"),
        {"name": "Riverside race equality partnership", "purpose": "Our agenda, typed with care."},
    )
    text = page.content.decode()
    assert page.status_code == 400
    assert "Another partnership has this name." in text
    assert 'href="#id_name"' in text
    assert "Our agenda, typed with care." in text
    empty = client.post(reverse("partnership:partnership_create"), {"name": ""})
    assert "Enter the partnership" in empty.content.decode()


def test_the_members_page_saves_rows_and_refuses_a_lead_from_elsewhere_on_the_field(client, staff):
    partnership = PartnershipFactory()
    trust, council = OrganisationFactory(name="Riverside Trust"), OrganisationFactory(name="Riverside Council")
    amara, carla = _person_at(trust, "Amara Okafor"), _person_at(council, "Carla Council")
    url = reverse("partnership:partnership_members", args=[partnership.uuid])
    form = client.get(url).content.decode()
    assert '<optgroup label="Riverside Trust">' in form and "Amara Okafor" in form
    data = {
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-organisation": council.pk,
        "members-0-lead": carla.pk,
        "members-0-joined_on": "2025-04-01",
        "members-1-organisation": trust.pk,
        "members-1-lead": carla.pk,
    }
    refused = client.post(url, data)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Member 2, named lead: Carla Council holds no role at Riverside Trust" in text
    assert 'href="#id_members-1-lead"' in text
    for part, value in (("day", "1"), ("month", "4"), ("year", "2025")):  # nothing typed lost
        assert f'name="members-0-joined_on_{part}" value="{value}"' in text
    assert not PartnershipMember.objects.exists()
    data["members-1-lead"] = amara.pk
    assert client.post(url, data).status_code == 302
    detail = client.get(partnership.get_absolute_url()).content.decode()
    assert "Amara Okafor" in detail and "Carla Council" in detail
    assert f"mailto:{amara.email}" in detail


def test_an_empty_member_post_is_refused_and_changes_nothing(client, staff):
    member = PartnershipMemberFactory()
    page = client.post(reverse("partnership:partnership_members", args=[member.partnership.uuid]), {})
    assert page.status_code == 400
    assert PartnershipMember.objects.filter(pk=member.pk).exists()


def test_a_responder_reads_the_partnership_but_not_plans_or_networks_hidden_from_them(client):
    trust = OrganisationFactory(name="Riverside Trust")
    responder = make_persona(Role.RESPONDER, organisation=trust)
    verified_login(client, responder)
    network = NetworkFactory(name="Closed forum")
    partnership = PartnershipFactory(network=network)
    partnership.plans.add(
        PlanFactory(title="A published plan"), PlanFactory(title="Another body's draft", status=PlanStatus.DRAFT)
    )
    text = client.get(partnership.get_absolute_url()).content.decode()
    assert "A published plan" in text
    assert "Another body&#x27;s draft" not in text and "Another body's draft" not in text
    assert "Closed forum" in text  # named, without a link to a page they cannot open
    assert network.get_absolute_url() not in text
    assert reverse("partnership:partnership_edit", args=[partnership.uuid]) not in text
    assert client.get(reverse("partnership:partnership_edit", args=[partnership.uuid])).status_code == 403


def test_former_members_are_listed_apart(client, staff):
    partnership = PartnershipFactory()
    PartnershipMemberFactory(partnership=partnership, organisation=OrganisationFactory(name="Stayed on"))
    PartnershipMemberFactory(
        partnership=partnership, organisation=OrganisationFactory(name="Went away"), left_on=datetime.date(2025, 9, 30)
    )
    text = client.get(partnership.get_absolute_url()).content.decode()
    assert "Went away, left on 30 September 2025" in text
    assert text.index("Stayed on") < text.index("Organisations that have left")


def test_the_history_page_names_who_changed_it(client, staff):
    partnership = create_partnership(actor=staff, data={"name": "Riverside race equality partnership"})
    change_partnership(actor=staff, partnership=partnership, data={"purpose": "A clearer agenda."})
    page = client.get(reverse("partnership:partnership_history", args=[partnership.uuid]))
    assert page.status_code == 200
    assert "A clearer agenda." in page.content.decode()


def test_grant_ended_people_are_not_offered_as_leads(client, staff):
    trust = OrganisationFactory(name="Riverside Trust")
    RoleGrantFactory(
        user=make_persona(None, full_name="Gone Person"),
        organisation=trust,
        role=Role.STAFF,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    _person_at(trust, "Here Now")
    partnership = PartnershipFactory()
    text = client.get(reverse("partnership:partnership_members", args=[partnership.uuid])).content.decode()
    assert "Here Now" in text and "Gone Person" not in text


def test_the_partnership_page_shows_its_latest_decisions_and_links_to_the_log(client, staff):
    partnership = PartnershipFactory()
    DecisionFactory(partnership=partnership, decision="Pool the engagement budgets for 2027")
    text = client.get(partnership.get_absolute_url()).content.decode()
    assert "Pool the engagement budgets for 2027" in text
    assert reverse("partnership:decision_list", args=[partnership.uuid]) in text
