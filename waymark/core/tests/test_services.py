"""The write path for organisations and site pages: validation, audit history, and duplicate warnings."""

import pytest
from django.core.exceptions import ValidationError

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation, Sector, SitePage
from waymark.core.roles import Role
from waymark.core.services import (
    create_organisation,
    find_similar_organisations,
    update_organisation,
    update_site_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_persona):
    return make_persona(Role.STAFF, full_name="Ada Worker")


@pytest.fixture
def health():
    return Sector.objects.create(slug="test-health", name="Test health")


@pytest.fixture
def housing():
    return Sector.objects.create(slug="test-housing", name="Test housing")


def test_create_records_one_creation_entry_with_the_actor_and_sectors(staff, health, housing):
    organisation = create_organisation(
        actor=staff,
        data={"name": "Riverside Carers", "org_type": OrganisationType.CHARITY, "sectors": [health, housing]},
    )

    assert set(organisation.sectors.all()) == {health, housing}
    record = organisation.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff
    assert set(record.sectors.values_list("sector_id", flat=True)) == {health.pk, housing.pk}


def test_create_without_sectors_records_one_creation_entry(staff):
    organisation = create_organisation(actor=staff, data={"name": "Riverside Carers", "org_type": "charity"})

    assert [record.history_type for record in organisation.history.all()] == ["+"]


def test_update_changes_only_the_fields_given(staff):
    organisation = OrganisationFactory(description="Drop-in every Tuesday", town="Leeds")
    stale_copy = Organisation.objects.get(pk=organisation.pk)
    update_organisation(actor=staff, organisation=organisation, data={"description": "Drop-in every Wednesday"})

    # A second edit made from a copy loaded before the first must not undo it.
    update_organisation(actor=staff, organisation=stale_copy, data={"town": "Bradford"})

    organisation.refresh_from_db()
    assert organisation.description == "Drop-in every Wednesday"
    assert organisation.town == "Bradford"


def test_update_writes_one_history_entry_holding_fields_and_sectors(staff, health, housing, make_persona):
    organisation = create_organisation(
        actor=staff, data={"name": "Riverside Carers", "org_type": "charity", "sectors": [health]}
    )
    editor = make_persona(Role.STAFF, full_name="Bea Editor")

    update_organisation(actor=editor, organisation=organisation, data={"town": "Leeds", "sectors": [housing]})

    latest, created = organisation.history.all()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    delta = latest.diff_against(created)
    assert set(delta.changed_fields) == {"town", "sectors"}
    sectors_change = next(change for change in delta.changes if change.field == "sectors")
    assert [row["sector"] for row in sectors_change.new] == [housing.pk]


def test_update_leaves_sectors_alone_when_not_given(staff, health):
    organisation = create_organisation(
        actor=staff, data={"name": "Riverside Carers", "org_type": "charity", "sectors": [health]}
    )

    update_organisation(actor=staff, organisation=organisation, data={"town": "Leeds"})

    assert list(organisation.sectors.all()) == [health]


def test_saving_without_changes_adds_nothing_to_the_history(staff, health):
    organisation = create_organisation(
        actor=staff, data={"name": "Riverside Carers", "org_type": "charity", "sectors": [health]}
    )

    update_organisation(actor=staff, organisation=organisation, data={"name": "Riverside Carers", "sectors": [health]})

    assert organisation.history.count() == 1


def test_invalid_new_organisation_raises_and_writes_nothing(staff):
    organisations, history = Organisation.objects.count(), Organisation.history.count()

    with pytest.raises(ValidationError) as error:
        create_organisation(actor=staff, data={"name": "", "org_type": "charity"})

    assert "name" in error.value.message_dict
    assert (Organisation.objects.count(), Organisation.history.count()) == (organisations, history)


def test_invalid_update_raises_and_writes_nothing(staff):
    organisation = OrganisationFactory(name="Riverside Carers")

    with pytest.raises(ValidationError):
        update_organisation(actor=staff, organisation=organisation, data={"name": "Renamed", "org_type": "not-a-type"})

    organisation.refresh_from_db()
    assert organisation.name == "Riverside Carers"
    assert organisation.history.count() == 1  # only the factory's creation


def test_nul_characters_are_refused_on_every_database(staff):
    with pytest.raises(ValidationError) as error:
        create_organisation(actor=staff, data={"name": "Riverside\x00Carers", "org_type": "charity"})

    assert "name" in error.value.message_dict
    assert not Organisation.objects.filter(name__startswith="Riverside").exists()


def test_unknown_fields_are_a_programming_error(staff):
    with pytest.raises(TypeError, match="created_at"):
        create_organisation(actor=staff, data={"name": "Riverside Carers", "org_type": "charity", "created_at": "x"})


def test_update_site_page_records_the_actor(make_persona):
    admin = make_persona(Role.ADMIN, full_name="Ade Admin")
    page = SitePage.objects.create(slug="test-page", title="Test page", body="Old text")

    page = update_site_page(actor=admin, page=page, title="Test page", body="New text")

    assert SitePage.objects.get(slug="test-page").body == "New text"
    assert page.history.first().history_user == admin


def test_update_site_page_refuses_an_empty_title(make_persona):
    admin = make_persona(Role.ADMIN)
    page = SitePage.objects.create(slug="test-page", title="Test page", body="Old text")

    with pytest.raises(ValidationError):
        update_site_page(actor=admin, page=page, title="", body="New text")

    assert SitePage.objects.get(slug="test-page").title == "Test page"


def test_similar_finds_the_same_name_written_differently():
    existing = OrganisationFactory(name="Acme Trust", postcode="LS1 1AA")
    OrganisationFactory(name="Acme Housing Association", postcode="LS9 9ZZ")

    assert list(find_similar_organisations("The Acme Trust Ltd.", "")) == [existing]


def test_similar_matches_the_other_name():
    existing = OrganisationFactory(name="Riverside African Caribbean Mental Health Forum", alternate_name="RACMHF")

    assert list(find_similar_organisations("racmhf", "")) == [existing]


def test_similar_at_the_same_postcode_needs_only_a_close_name():
    existing = OrganisationFactory(name="Brixton Carers Centre", postcode="SW9 8AA")
    OrganisationFactory(name="Brixton Library", postcode="SW9 8AA")

    assert list(find_similar_organisations("Brixton Carers Center", "sw98aa")) == [existing]
    assert not find_similar_organisations("Brixton Carers Center", "LS1 1AA").exists()


def test_similar_leaves_out_the_record_being_edited():
    existing = OrganisationFactory(name="Acme Trust")

    assert not find_similar_organisations("Acme Trust", "", exclude=existing).exists()


def test_nothing_is_similar_to_a_blank_name():
    OrganisationFactory(name="Acme Trust", postcode="")

    assert not find_similar_organisations("", "").exists()
