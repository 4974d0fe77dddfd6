"""The directory's write paths: validation, history with the actor, placing locations, the search
index kept current, duplicate warnings and the weekly review reminder."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from waymark.accounts.factories import make_persona
from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import EmailDelivery, Language, Postcode
from waymark.core.roles import Role
from waymark.core.services import update_organisation
from waymark.directory import services
from waymark.directory.choices import FundingType, LocationVisibility, ServiceStatus, Weekday
from waymark.directory.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory
from waymark.directory.models import Contact, FundingSource, Service
from waymark.directory.search import search_services
from waymark.directory.tasks import remind_unverified_services, send_review_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_persona(Role.STAFF)


@pytest.fixture
def place():
    ward = AreaFactory(name="Canal Basin")
    return Postcode.objects.create(
        postcode="RV1 2AB", district="RV1", latitude=Decimal("51.530000"), longitude=Decimal("-0.100000"), ward=ward
    )


def a_service(staff, **data):
    fields = {"name": "Hooyo Listening Space", "description": "Talk in Somali.", "phone": "020 7946 0100"}
    fields.update(data)
    return services.create_service(actor=staff, organisation=OrganisationFactory(), data=fields)


# --- Services ------------------------------------------------------------------------------------------


def test_create_service_records_who_and_the_needs_in_one_history_row(staff):
    need = TaxonomyTermFactory(name="Counselling")
    service = a_service(staff, categories=[need], published=True)

    history = list(service.history.all())
    assert len(history) == 1
    assert history[0].history_type == "+"
    assert history[0].history_user == staff
    assert [row.taxonomyterm_id for row in history[0].categories.all()] == [need.pk]


def test_publishing_without_a_way_in_is_refused(staff):
    with pytest.raises(ValidationError) as error:
        a_service(staff, phone="", published=True)
    assert "published" in error.value.message_dict
    assert not Service.objects.exists()


def test_how_to_get_in_is_enough_to_publish(staff):
    service = a_service(staff, phone="", application_process="Drop in on Wednesdays.", published=True)
    assert service.published


def test_oldest_age_below_youngest_is_refused(staff):
    with pytest.raises(ValidationError) as error:
        a_service(staff, minimum_age=18, maximum_age=11)
    assert "maximum_age" in error.value.message_dict


def test_nul_characters_are_refused_on_every_engine(staff):
    with pytest.raises(ValidationError) as error:
        a_service(staff, description="bad\x00text")
    assert "description" in error.value.message_dict


def test_update_changes_only_the_given_fields_and_records_the_actor(staff):
    service = a_service(staff, eligibility_description="Women only.")
    editor = make_persona(Role.STAFF)

    updated = services.update_service(actor=editor, service=service, data={"name": "Hooyo Wellbeing Space"})

    assert updated.name == "Hooyo Wellbeing Space"
    assert updated.eligibility_description == "Women only."
    assert updated.history.latest().history_user == editor
    assert updated.history.count() == 2


def test_saving_with_nothing_changed_adds_no_history(staff):
    service = a_service(staff)
    services.update_service(actor=staff, service=service, data={"name": service.name})
    assert service.history.count() == 1


def test_unknown_fields_are_a_programming_error(staff):
    with pytest.raises(TypeError):
        a_service(staff, colour="blue")


def test_verify_service_sets_today_unless_told(staff):
    service = a_service(staff)
    assert services.verify_service(actor=staff, service=service).last_verified_on == datetime.date.today()
    earlier = datetime.date(2026, 1, 5)
    assert services.verify_service(actor=staff, service=service, on=earlier).last_verified_on == earlier


def test_search_index_follows_renames_of_the_service_and_its_organisation(staff):
    service = a_service(staff)
    everyone = Service.objects.all()
    assert search_services(everyone, text="hooyo").total == 1

    services.update_service(actor=staff, service=service, data={"name": "Bulsho Talking Circle"})
    assert search_services(everyone, text="hooyo").total == 0
    assert search_services(everyone, text="bulsho").total == 1

    update_organisation(actor=staff, organisation=service.organisation, data={"name": "Kingsmead Somali Forum"})
    assert search_services(everyone, text="kingsmead forum").total == 1


def test_search_index_follows_a_renamed_language(staff):
    somali = Language.objects.get(code="som")
    a_service(staff, languages=[somali])
    somali.name = "Af-Soomaali"
    somali.save()
    assert search_services(Service.objects.all(), text="soomaali").total == 1


def test_rebuild_search_index_counts_every_service(staff):
    a_service(staff)
    a_service(staff, name="Second")
    assert services.rebuild_search_index() == 2


def test_similar_names_and_same_postcode_are_flagged_as_possible_duplicates(staff, place):
    existing = a_service(staff, name="The Hooyo Wellbeing Circle Ltd")
    location = services.create_location(
        actor=staff, organisation=existing.organisation, data={"name": "Hall", "postcode": "RV1 2AB"}
    )
    services.set_service_locations(actor=staff, service=existing, locations=[location])

    assert list(services.find_similar_services("hooyo wellbeing circle")) == [existing]
    assert list(services.find_similar_services("Hooyo Wellbeing Group", "rv12ab")) == [existing]
    assert not services.find_similar_services("Hooyo Wellbeing Group").exists()
    assert not services.find_similar_services("hooyo wellbeing circle", exclude=existing).exists()


# --- Locations -----------------------------------------------------------------------------------------


def test_location_postcode_fills_coordinates_ward_and_public_point(staff, place):
    location = services.create_location(
        actor=staff, organisation=OrganisationFactory(), data={"name": "Hall", "postcode": " rv12ab "}
    )
    assert location.postcode == "RV1 2AB"
    assert (location.latitude, location.longitude) == (place.latitude, place.longitude)
    assert location.ward == place.ward
    assert (location.public_latitude, location.public_longitude) == (51.53, -0.1)
    assert location.history.latest().history_user == staff


def test_unknown_postcode_is_refused_for_a_public_location(staff, place):
    with pytest.raises(ValidationError) as error:
        services.create_location(
            actor=staff, organisation=OrganisationFactory(), data={"name": "Hall", "postcode": "RV9 9ZZ"}
        )
    assert "postcode" in error.value.message_dict


def test_postcode_that_is_not_a_postcode_is_refused(staff):
    with pytest.raises(ValidationError) as error:
        services.create_location(
            actor=staff, organisation=OrganisationFactory(), data={"name": "Hall", "postcode": "nowhere"}
        )
    assert "postcode" in error.value.message_dict


def test_hidden_location_needs_no_postcode_and_has_no_public_point(staff, place):
    refuge = services.create_location(
        actor=staff,
        organisation=OrganisationFactory(),
        data={"name": "Refuge", "visibility": LocationVisibility.HIDDEN},
    )
    assert refuge.postcode == ""
    assert refuge.public_latitude is None

    staff_only = services.create_location(
        actor=staff,
        organisation=OrganisationFactory(),
        data={"name": "Refuge", "postcode": "RV1 2AB", "visibility": LocationVisibility.HIDDEN},
    )
    assert staff_only.latitude == place.latitude  # staff can still see where it is
    assert staff_only.public_latitude is None


def test_district_only_location_is_placed_at_the_district_middle(staff, place):
    Postcode.objects.create(
        postcode="RV1 3CD", district="RV1", latitude=Decimal("51.540000"), longitude=Decimal("-0.12")
    )
    location = services.create_location(
        actor=staff,
        organisation=OrganisationFactory(),
        data={"name": "Home", "postcode": "RV1 2AB", "visibility": LocationVisibility.DISTRICT},
    )
    assert (location.public_latitude, location.public_longitude) == (51.54, -0.11)


def test_given_coordinates_place_a_location_the_postcode_table_lacks(staff):
    location = services.create_location(
        actor=staff,
        organisation=OrganisationFactory(),
        data={"name": "Hall", "postcode": "ZZ1 1ZZ", "latitude": Decimal("51.5"), "longitude": Decimal("-0.2")},
    )
    assert location.public_latitude == 51.5


def test_changing_visibility_moves_the_public_point(staff, place):
    location = services.create_location(
        actor=staff, organisation=OrganisationFactory(), data={"name": "Hall", "postcode": "RV1 2AB"}
    )
    hidden = services.update_location(actor=staff, location=location, data={"visibility": LocationVisibility.HIDDEN})
    assert hidden.public_latitude is None
    assert hidden.history.count() == 2


def test_set_service_locations_adds_and_removes_links(staff, place):
    service = a_service(staff)
    first, second = LocationFactory(), LocationFactory()
    services.set_service_locations(actor=staff, service=service, locations=[first, second])
    assert set(service.locations.all()) == {first, second}
    services.set_service_locations(actor=staff, service=service, locations=[second])
    assert list(service.locations.all()) == [second]


# --- Contacts, hours, closures -------------------------------------------------------------------------


def test_replace_contacts_keeps_matched_rows_and_reports_every_bad_row(staff):
    service = a_service(staff)
    services.replace_contacts(actor=staff, service=service, contacts=[{"title": "Duty worker", "phone": "020"}])
    kept = service.contacts.get()

    services.replace_contacts(
        actor=staff,
        service=service,
        contacts=[{"uuid": kept.uuid, "title": "Duty team", "phone": "020"}, {"title": "Intake"}],
    )
    assert sorted(service.contacts.values_list("title", flat=True)) == ["Duty team", "Intake"]
    assert service.contacts.get(title="Duty team").pk == kept.pk

    with pytest.raises(ValidationError) as error:
        services.replace_contacts(
            actor=staff, service=service, contacts=[{"title": "", "email": "x"}, {"title": "Ok", "email": "nope"}]
        )
    messages = error.value.messages
    assert any(message.startswith("Contact 1, role") for message in messages)
    assert any(message.startswith("Contact 1, e-mail") for message in messages)
    assert any(message.startswith("Contact 2, e-mail") for message in messages)
    assert Contact.objects.filter(service=service).count() == 2  # nothing written


def test_replace_schedules_and_holiday_exceptions(staff):
    service = a_service(staff)
    services.replace_schedules(
        actor=staff,
        service=service,
        schedules=[{"weekday": Weekday.MO, "opens_at": datetime.time(9), "closes_at": datetime.time(17)}],
    )
    assert service.schedules.count() == 1
    with pytest.raises(ValidationError):
        services.replace_schedules(
            actor=staff,
            service=service,
            schedules=[{"weekday": Weekday.TU, "opens_at": datetime.time(17), "closes_at": datetime.time(9)}],
        )
    christmas = datetime.date(2026, 12, 25)
    services.replace_holiday_exceptions(
        actor=staff, service=service, exceptions=[{"starts_on": christmas, "ends_on": christmas, "closed": True}]
    )
    assert service.holiday_exceptions.get().starts_on == christmas


# --- Funding -------------------------------------------------------------------------------------------


def test_funding_sources_are_validated_and_audited(staff):
    organisation = OrganisationFactory()
    funding = services.create_funding_source(
        actor=staff,
        organisation=organisation,
        data={"funder": "Canal Basin Trust", "funding_type": FundingType.GRANT, "amount": Decimal("5000")},
    )
    updated = services.update_funding_source(
        actor=staff, funding_source=funding, data={"ends_on": datetime.date(2027, 3, 31)}
    )
    assert updated.ends_on == datetime.date(2027, 3, 31)
    with pytest.raises(ValidationError) as error:
        services.update_funding_source(
            actor=staff, funding_source=funding, data={"starts_on": datetime.date(2027, 4, 1)}
        )
    assert "ends_on" in error.value.message_dict
    other_service = ServiceFactory()
    with pytest.raises(ValidationError) as error:
        services.create_funding_source(
            actor=staff,
            organisation=organisation,
            data={"funder": "X", "funding_type": FundingType.GRANT, "service": other_service},
        )
    assert "service" in error.value.message_dict

    services.delete_funding_source(actor=staff, funding_source=funding)
    assert not FundingSource.objects.exists()
    assert [row.history_type for row in FundingSource.history.order_by("history_id")] == ["+", "~", "-"]
    assert FundingSource.history.latest().history_user == staff


# --- Review reminders ----------------------------------------------------------------------------------


def test_reminder_goes_to_each_owner_once_a_week_listing_their_stale_services(
    mailoutbox, django_capture_on_commit_callbacks
):
    owner = make_persona(Role.STAFF, email="owner@example.org")
    stale = datetime.date.today() - datetime.timedelta(days=400)
    ServiceFactory(name="Old Lunch Club", owner=owner, last_verified_on=stale)
    ServiceFactory(name="Never Checked", owner=owner, last_verified_on=None)
    ServiceFactory(name="Fresh Drop-in", owner=owner)
    ServiceFactory(name="Closed For Good", owner=owner, last_verified_on=stale, status=ServiceStatus.DEFUNCT)
    ServiceFactory(name="Nobody's", owner=None, last_verified_on=stale)

    with django_capture_on_commit_callbacks(execute=True):
        result = remind_unverified_services.call()
    assert result == {"owners": 1, "services": 2, "emails": 1}
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["owner@example.org"]
    assert message.subject == "Please check 2 directory services"
    assert "Old Lunch Club" in message.body and "Never Checked" in message.body
    assert "Fresh Drop-in" not in message.body and "Closed For Good" not in message.body

    with django_capture_on_commit_callbacks(execute=True):
        remind_unverified_services.call()
    assert len(mailoutbox) == 1
    assert EmailDelivery.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        send_review_reminders(today=datetime.date.today() + datetime.timedelta(days=7))
    assert len(mailoutbox) == 2
