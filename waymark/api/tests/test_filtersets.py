"""The organisation FilterSet the list page and the API share."""

import pytest

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.filtersets import OrganisationFilterSet
from waymark.core.models import Organisation, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    faith = Sector.objects.create(slug="test-faith", name="Test faith")
    mosque = OrganisationFactory(
        name="Central Mosque", org_type=OrganisationType.FAITH_GROUP, description="Advice sessions"
    )
    mosque.sectors.add(faith)
    OrganisationFactory(name="North Trust", alternate_name="NT", org_type=OrganisationType.NHS_TRUST, ods_code="RX1")
    OrganisationFactory(name="Old Forum", org_type=OrganisationType.COMMUNITY_GROUP, active=False)


def _names(params: dict) -> set[str]:
    filterset = OrganisationFilterSet(params, queryset=Organisation.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {organisation.name for organisation in filterset.qs}


@pytest.mark.usefixtures("organisations")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"org_type": "nhs_trust"}, {"North Trust"}),
        ({"q": "advice"}, {"Central Mosque"}),  # description
        ({"q": "nt"}, {"North Trust", "Central Mosque"}),  # alternate name, and "Central"
        ({"q": "  "}, {"Central Mosque", "North Trust", "Old Forum"}),
        ({"sector": "test-faith"}, {"Central Mosque"}),
        ({"active": "false"}, {"Old Forum"}),
        ({"has_ods_code": "true"}, {"North Trust"}),
        ({"has_ods_code": "false"}, {"Central Mosque", "Old Forum"}),
        ({"org_type": "faith_group", "q": "mosque"}, {"Central Mosque"}),
    ],
)
def test_filters(params, expected):
    assert _names(params) == expected


def test_unknown_choice_is_an_error_on_that_field():
    filterset = OrganisationFilterSet({"org_type": "castle"}, queryset=Organisation.objects.all())
    assert not filterset.is_valid()
    assert "org_type" in filterset.errors
