"""The look-ups behind the type-ahead pickers never offer what the list pages hide.

Every registered look-up (organisations, services, contacts, people with accounts) is asked by every kind of
user for a word every record of the test world carries; each answers with exactly the records its model's
visibility rule lets that user see, or refuses the user outright.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import RoleGrantFactory, UserFactory, make_persona, verified_login
from waymark.accounts.models import User
from waymark.core import policy
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.core.pickers import registered_pickers
from waymark.core.roles import Role
from waymark.directory.choices import ServiceStatus
from waymark.directory.factories import ServiceFactory
from waymark.directory.models import Service
from waymark.network.models import Contact

pytestmark = pytest.mark.django_db
WORD = "Harbour"


def _world() -> dict[str, set[int]]:
    """Records of every picked model, some of which some users may not see; by model label, their ids."""
    ours = OrganisationFactory(name=f"{WORD} Trust")
    theirs = OrganisationFactory(name=f"{WORD} Housing")
    closed = OrganisationFactory(name=f"{WORD} Closed Charity", active=False)
    ServiceFactory(organisation=ours, name=f"{WORD} Talking Therapies")
    ServiceFactory(organisation=theirs, name=f"{WORD} Drafts", published=False)
    ServiceFactory(organisation=closed, name=f"{WORD} Ended", status=ServiceStatus.DEFUNCT, published=False)
    Contact.objects.create(name=f"{WORD} Contact One", organisation=ours, job_title="Chair")
    Contact.objects.create(name=f"{WORD} Contact Two")
    RoleGrantFactory(user=UserFactory(full_name=f"{WORD} Staff"), role=Role.STAFF, organisation=ours)
    RoleGrantFactory(user=UserFactory(full_name=f"{WORD} Provider"), role=Role.RESPONDER, organisation=theirs)
    RoleGrantFactory(user=UserFactory(full_name=f"{WORD} Member"), role=Role.MEMBER, organisation=ours)
    RoleGrantFactory(user=UserFactory(full_name=f"{WORD} Gone", is_active=False), role=Role.STAFF, organisation=ours)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    RoleGrantFactory(
        user=UserFactory(full_name=f"{WORD} Left"),
        role=Role.STAFF,
        organisation=ours,
        starts_on=long_ago,
        ends_on=long_ago + datetime.timedelta(days=30),
    )
    UserFactory(full_name=f"{WORD} No Role")
    return {
        "core.Organisation": set(Organisation.objects.filter(name__startswith=WORD).values_list("pk", flat=True)),
        "directory.Service": set(Service.objects.filter(name__startswith=WORD).values_list("pk", flat=True)),
        "network.Contact": set(Contact.objects.filter(name__startswith=WORD).values_list("pk", flat=True)),
        "accounts.User": set(User.objects.filter(full_name__startswith=WORD).values_list("pk", flat=True)),
    }


def _personas() -> dict[str, User | None]:
    provider = Organisation.objects.get(name=f"{WORD} Housing")
    return {
        "anonymous": None,
        "signed in, no role": make_persona(None),
        "member": make_persona(Role.MEMBER),
        "staff": make_persona(Role.STAFF),
        "responder": make_persona(Role.RESPONDER, organisation=provider),
        "analyst": make_persona(Role.ANALYST),
        "admin": make_persona(Role.ADMIN),
    }


def test_every_lookup_offers_exactly_what_visible_to_shows(client):
    records = _world()
    personas = _personas()
    assert set(registered_pickers()) == set(records), "a new picker needs records here"
    answered: dict[str, list[set[int]]] = {label: [] for label in records}
    refused: dict[str, list[str]] = {label: [] for label in records}
    for persona_name, persona in personas.items():
        client.logout()
        if persona is not None:
            verified_login(client, persona)
        for label, picker in registered_pickers().items():
            response = client.get(reverse(picker.url_name), {"q": WORD.lower()})
            if response.status_code in (302, 403):
                refused[label].append(persona_name)
                continue
            assert response.status_code == 200, (persona_name, label)
            got = {int(row["value"]) for row in response.json()["results"]}
            model = next(m for m in (Organisation, Service, Contact, User) if m._meta.label == label)
            seen = set(
                policy.restrict(model.objects.filter(pk__in=records[label]), persona).values_list("pk", flat=True)
            )
            assert got == seen, (persona_name, label)
            answered[label].append(got)
    assert any(got < records["core.Organisation"] for got in answered["core.Organisation"])
    assert any(got < records["accounts.User"] for got in answered["accounts.User"])
    for label, answers in answered.items():
        # Each look-up answered someone, and someone was shown less than everything or refused (the rule was
        # exercised); the public never gets an answer.
        assert answers, label
        assert any(got < records[label] for got in answers) or refused[label], label
        assert "anonymous" in refused[label], label
    people = {row.pk: row.full_name for row in User.objects.filter(pk__in=records["accounts.User"])}
    responder_sees = policy.restrict(User.objects.filter(pk__in=people), personas["responder"])
    assert {people[pk] for pk in responder_sees.values_list("pk", flat=True)} == {f"{WORD} Provider"}
    staff_sees = policy.restrict(User.objects.filter(pk__in=people), personas["staff"])
    assert {people[pk] for pk in staff_sees.values_list("pk", flat=True)} == {
        f"{WORD} Staff",
        f"{WORD} Provider",
        f"{WORD} Member",
    }


def test_two_people_of_one_name_are_told_apart_by_organisation_and_role(client, django_assert_max_num_queries):
    clinic = OrganisationFactory(name="Eastside Clinic")
    charity = OrganisationFactory(name="Riverside Wellbeing Collective")
    for organisation, role in ((clinic, Role.RESPONDER), (charity, Role.STAFF)):
        RoleGrantFactory(user=UserFactory(full_name="Aisha Chen"), role=role, organisation=organisation)
    for _ in range(5):
        RoleGrantFactory(user=UserFactory(full_name="Aisha Other"), role=Role.STAFF)
    verified_login(client, make_persona(Role.STAFF))
    with django_assert_max_num_queries(12):  # the same few queries however many people match
        results = client.get(reverse("accounts:person_lookup"), {"q": "aisha"}).json()["results"]
    assert len(results) == 7
    chens = [row for row in results if row["label"] == "Aisha Chen"]
    assert sorted(row["hint"] for row in chens) == [
        "Responder (commissioner or provider), Eastside Clinic",
        "Staff (community development worker), Riverside Wellbeing Collective",
    ]


def test_a_contact_is_shown_with_role_and_organisation_and_a_service_with_its_organisation(client):
    organisation = OrganisationFactory(name="Eastside Clinic")
    Contact.objects.create(name="Sam Okafor", job_title="Peer support lead", organisation=organisation)
    ServiceFactory(organisation=organisation, name="Sam's Walk and Talk")
    verified_login(client, make_persona(Role.STAFF))
    contacts = client.get(reverse("network:contact_lookup"), {"q": "okafor"}).json()["results"]
    assert [(row["label"], row["hint"]) for row in contacts] == [("Sam Okafor", "Peer support lead, Eastside Clinic")]
    services = client.get(reverse("directory:service_lookup"), {"q": "walk"}).json()["results"]
    assert [(row["label"], row["hint"]) for row in services] == [("Sam's Walk and Talk", "Eastside Clinic")]
