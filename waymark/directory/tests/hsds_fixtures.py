"""Varied directory data for the Open Referral UK tests (HSDS export and import, the public API).

Built through the services, as the pages build it, so locations get their coordinates and wards
from the postcode table and every record has its history.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from waymark.accounts.factories import make_persona
from waymark.accounts.models import User
from waymark.core.choices import AreaType, OrganisationType
from waymark.core.models import Area, Community, Language, Organisation, Postcode
from waymark.core.roles import Role
from waymark.core.services import create_organisation
from waymark.directory import services
from waymark.directory.choices import FundingType, LocationVisibility, ServiceStatus, VolunteerReliance
from waymark.directory.models import Location, Service, Taxonomy, TaxonomyTerm

SECRET_NOTE = "SECRET-NOTE"
SECRET_AMOUNT = Decimal("12345.67")
HIDDEN_STREET = "1 Secret Street"
HIDDEN_POSTCODE = "ZX1 1AA"
DISTRICT_STREET = "2 Private Road"
DISTRICT_POSTCODE = "ZX1 2BB"
OPEN_POSTCODE = "ZY2 3CC"
# Coordinates precise enough that they cannot appear by chance.
POINTS = {
    HIDDEN_POSTCODE: (Decimal("51.512345"), Decimal("-0.101234")),
    DISTRICT_POSTCODE: (Decimal("51.523456"), Decimal("-0.112345")),
    OPEN_POSTCODE: (Decimal("51.534567"), Decimal("-0.123456")),
}


@dataclass
class Directory:
    staff: User
    organisations: list[Organisation]
    services: list[Service]
    public_service: Service
    unpublished_service: Service
    hidden_location: Location
    district_location: Location
    open_location: Location
    ward: Area
    parent_need: TaxonomyTerm
    child_need: TaxonomyTerm


def make_postcodes() -> Area:
    ward = Area.objects.create(area_type=AreaType.WARD, code="E05999001", name="Canal ward", vintage=2022)
    for postcode, (latitude, longitude) in POINTS.items():
        Postcode.objects.create(
            postcode=postcode, district=postcode.split()[0], latitude=latitude, longitude=longitude, ward=ward
        )
    return ward


def make_directory() -> Directory:
    """Two organisations, three services (one unpublished), three locations (full, district-only and
    hidden), needs, languages, communities, contacts, hours, holidays and funding."""
    ward = make_postcodes()
    staff = make_persona(Role.ADMIN)
    needs = Taxonomy.objects.get(name="Waymark needs")
    parent_need = TaxonomyTerm.objects.get(taxonomy=needs, code="counselling")
    child_need = TaxonomyTerm.objects.get(taxonomy=needs, code="counselling-in-own-language")
    advocacy = TaxonomyTerm.objects.get(taxonomy=needs, code="advocacy")
    urdu, polish = Language.objects.get(code="urd"), Language.objects.get(code="pol")
    communities = list(Community.objects.order_by("name")[:2])

    charity = create_organisation(
        actor=staff,
        data={
            "name": "Canal Side Wellbeing",
            "description": "A charity on the canal.",
            "org_type": OrganisationType.CHARITY,
            "charity_number": "1234567",
            "email": "office@canalside.example",
            "website": "https://canalside.example/",
        },
    )
    group = create_organisation(
        actor=staff, data={"name": "Sisters Together", "org_type": OrganisationType.COMMUNITY_GROUP}
    )

    open_location = services.create_location(
        actor=staff,
        organisation=charity,
        data={
            "name": "Canal Side Centre",
            "address_1": "3 Lock Street",
            "city": "Rivertown",
            "postcode": OPEN_POSTCODE,
            "step_free_access": True,
        },
    )
    district_location = services.create_location(
        actor=staff,
        organisation=group,
        data={
            "name": "Member's front room",
            "address_1": DISTRICT_STREET,
            "city": "Rivertown",
            "postcode": DISTRICT_POSTCODE,
            "visibility": LocationVisibility.DISTRICT,
        },
    )
    hidden_location = services.create_location(
        actor=staff,
        organisation=group,
        data={
            "name": "Safe house",
            "address_1": HIDDEN_STREET,
            "city": "Rivertown",
            "postcode": HIDDEN_POSTCODE,
            "visibility": LocationVisibility.HIDDEN,
        },
    )

    public_service = services.create_service(
        actor=staff,
        organisation=charity,
        data={
            "name": "Open Door Drop-in",
            "description": "Talk to someone who speaks your language.",
            "phone": "020 7946 0100",
            "email": "dropin@canalside.example",
            "url": "https://canalside.example/drop-in",
            "published": True,
            "categories": [child_need, parent_need],
            "eligibility_description": "Adults living in Rivertown.",
            "minimum_age": 18,
            "maximum_age": 65,
            "is_free": True,
            "self_referral": True,
            "gp_referral": True,
            "application_process": "Walk in, or ask your GP to refer you.",
            "languages": [urdu, polish],
            "communities": communities,
            "interpreter_available": True,
            "accessibility_description": "Hearing loop at reception.",
            "volunteer_reliance": VolunteerReliance.PARTLY,
            "internal_notes": SECRET_NOTE,
            "last_verified_on": datetime.date(2025, 1, 15),
        },
    )
    services.set_service_locations(actor=staff, service=public_service, locations=[open_location, district_location])
    services.replace_contacts(
        actor=staff,
        service=public_service,
        contacts=[
            {"title": "Duty worker", "phone": "020 7946 0101", "email": "duty@canalside.example", "public": True},
            {"title": "Manager", "name": "Staff Only Person", "phone": "020 7946 0199", "public": False},
        ],
    )
    services.replace_schedules(
        actor=staff,
        service=public_service,
        schedules=[
            {"weekday": "MO", "opens_at": datetime.time(9), "closes_at": datetime.time(17), "notes": ""},
            {"weekday": "WE", "opens_at": datetime.time(13), "closes_at": datetime.time(20), "notes": "Evening"},
        ],
    )
    services.replace_holiday_exceptions(
        actor=staff,
        service=public_service,
        exceptions=[
            {"starts_on": datetime.date(2025, 12, 25), "ends_on": datetime.date(2025, 12, 26), "closed": True},
            {
                "starts_on": datetime.date(2025, 12, 31),
                "ends_on": datetime.date(2025, 12, 31),
                "closed": False,
                "opens_at": datetime.time(10),
                "closes_at": datetime.time(14),
            },
        ],
    )
    refuge_service = services.create_service(
        actor=staff,
        organisation=group,
        data={
            "name": "Women's safe space",
            "description": "A safe place to talk, run by volunteers.",
            "phone": "020 7946 0200",
            "published": True,
            "status": ServiceStatus.TEMPORARILY_CLOSED,
            "categories": [advocacy],
            "is_free": False,
            "fees_description": "£2 towards tea.",
            "professional_referral": True,
            "volunteer_reliance": VolunteerReliance.WHOLLY,
        },
    )
    services.set_service_locations(actor=staff, service=refuge_service, locations=[hidden_location, district_location])
    unpublished_service = services.create_service(
        actor=staff,
        organisation=group,
        data={"name": "Planned peer group", "description": "Starting next year.", "published": False},
    )
    services.create_funding_source(
        actor=staff,
        organisation=charity,
        data={
            "service": public_service,
            "funder": "Rivertown Council",
            "funding_type": FundingType.CONTRACT,
            "amount": SECRET_AMOUNT,
            "starts_on": datetime.date(2024, 4, 1),
            "ends_on": datetime.date(2026, 3, 31),
        },
    )
    services.create_funding_source(
        actor=staff,
        organisation=group,
        data={"funder": "Community Foundation", "funding_type": FundingType.GRANT, "amount": Decimal("5000.00")},
    )
    return Directory(
        staff=staff,
        organisations=[charity, group],
        services=[public_service, refuge_service, unpublished_service],
        public_service=public_service,
        unpublished_service=unpublished_service,
        hidden_location=hidden_location,
        district_location=district_location,
        open_location=open_location,
        ward=ward,
        parent_need=parent_need,
        child_need=child_need,
    )
