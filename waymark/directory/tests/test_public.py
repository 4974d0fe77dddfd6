"""What the public may see of a location or a service's contacts, decided in one place."""

from decimal import Decimal

import pytest

from waymark.core.factories import AreaFactory
from waymark.core.models import Postcode
from waymark.directory.choices import LocationVisibility
from waymark.directory.factories import ContactFactory, LocationFactory, ServiceFactory
from waymark.directory.models import Service
from waymark.directory.public import PUBLIC_SERVICE_EXCLUDED_FIELDS, public_contacts, public_location

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    ward = AreaFactory(name="Kingsmead")
    for code, latitude, longitude in [("RV3 1AA", "51.521234", "-0.104321"), ("RV3 2BB", "51.529876", "-0.111111")]:
        Postcode.objects.create(
            postcode=code, district="RV3", latitude=Decimal(latitude), longitude=Decimal(longitude), ward=ward
        )
    return ward


def venue(ward, visibility):
    return LocationFactory(
        name="Flat 2, 14 Tannery Lane",
        address_1="14 Tannery Lane",
        address_2="Flat 2",
        city="London",
        postcode="RV3 1AA",
        ward=ward,
        latitude=Decimal("51.521234"),
        longitude=Decimal("-0.104321"),
        step_free_access=True,
        visibility=visibility,
    )


def test_full_address_is_shown_in_full(ward):
    shown = public_location(venue(ward, LocationVisibility.FULL))
    assert shown.display_lines == ["Flat 2, 14 Tannery Lane", "14 Tannery Lane", "Flat 2", "London", "RV3 1AA"]
    assert (shown.latitude, shown.longitude) == (Decimal("51.521234"), Decimal("-0.104321"))
    assert shown.ward_name == "Kingsmead"
    assert shown.step_free_access


def test_district_only_shows_the_district_and_its_middle(ward):
    shown = public_location(venue(ward, LocationVisibility.DISTRICT))
    assert shown.postcode == "RV3"
    assert shown.display_lines == ["In the RV3 postcode area"]
    assert (shown.latitude, shown.longitude) == (Decimal("51.53"), Decimal("-0.11"))  # mean of RV3, 2 places
    assert (shown.name, shown.address_1, shown.address_2, shown.city, shown.ward_name) == ("", "", "", "", "")
    everything = repr(shown)
    assert "Tannery" not in everything and "1AA" not in everything and "51.5212" not in everything


def test_district_only_without_known_postcodes_has_no_point(ward):
    location = venue(ward, LocationVisibility.DISTRICT)
    location.postcode = "ZZ9 9ZZ"
    shown = public_location(location)
    assert shown.postcode == "ZZ9"
    assert shown.latitude is None and not shown.is_placeable


def test_hidden_shows_nothing_but_contact_to_arrange(ward):
    shown = public_location(venue(ward, LocationVisibility.HIDDEN))
    assert shown.display_lines == ["Contact to arrange"]
    assert shown.latitude is None and shown.longitude is None and not shown.is_placeable
    assert (shown.postcode, shown.ward_name, shown.address_1) == ("", "", "")
    assert "Tannery" not in repr(shown) and "RV3" not in repr(shown)


def test_only_public_contacts_are_shown():
    service = ServiceFactory()
    shown = ContactFactory(service=service, title="Duty worker", public=True)
    ContactFactory(service=service, title="Manager's mobile", public=False)
    assert public_contacts(service) == [shown]
    prefetched = Service.objects.prefetch_related("contacts").get(pk=service.pk)
    assert public_contacts(prefetched) == [shown]


def test_staff_only_service_fields_are_named():
    assert {"internal_notes", "owner", "search_document"} <= PUBLIC_SERVICE_EXCLUDED_FIELDS
    field_names = {field.name for field in Service._meta.get_fields()}
    assert field_names >= PUBLIC_SERVICE_EXCLUDED_FIELDS
