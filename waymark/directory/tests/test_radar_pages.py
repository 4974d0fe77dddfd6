"""The fragility radar page with hundreds of groups on it: it pages, and narrows by name and type of organisation;
its CSV keeps every matching row."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.directory.factories import FundingSourceFactory
from waymark.directory.views_staff import RADAR_PER_PAGE

pytestmark = pytest.mark.django_db

RADAR_URL = reverse("directory:fragility")
TODAY = timezone.localdate()


@pytest.fixture
def staff(client):
    verified_login(client, make_persona(Role.STAFF))


def _ending(name, days, org_type=OrganisationType.CHARITY):
    organisation = OrganisationFactory(name=name, org_type=org_type)
    FundingSourceFactory(
        organisation=organisation,
        funder="City Council",
        amount=Decimal("1000"),
        ends_on=TODAY + datetime.timedelta(days=days),
    )
    FundingSourceFactory(organisation=organisation, funder="Lottery", ends_on=None)
    return organisation


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_radar_pages_its_organisations_most_urgent_first(client, staff):
    count = RADAR_PER_PAGE + 3
    for number in range(count):
        _ending(f"Group {number:02d}", 10 + number)

    first = client.get(RADAR_URL).text
    assert f"{count} organisations on the radar" in first
    assert "Group 00" in first and f"Group {RADAR_PER_PAGE - 1:02d}" in first
    assert f"Group {RADAR_PER_PAGE:02d}" not in first
    assert "Page 2 of 2" in first
    # The totals count every organisation on the radar, not only this page's.
    assert f"{count} organisations</dd>" in first

    second = client.get(RADAR_URL, {"page": 2}).text
    assert f"Group {RADAR_PER_PAGE:02d}" in second and f"Group {count - 1:02d}" in second
    assert "Group 00" not in second

    csv_text = _csv(client.get(RADAR_URL, {"format": "csv", "page": 2}))
    assert all(f"Group {number:02d}" in csv_text for number in range(count))


def test_the_radar_narrows_by_name_and_type_of_organisation_and_its_csv_too(client, staff):
    _ending("Eastgate Food Bank", 30)
    _ending("Westgate Food Bank", 40, org_type=OrganisationType.FAITH_GROUP)
    _ending("Canal Carers", 50)

    by_name = client.get(RADAR_URL, {"q": "  food   BANK "}).text
    assert "2 organisations on the radar" in by_name
    assert "Canal Carers" not in by_name

    by_both = client.get(RADAR_URL, {"q": "food", "org_type": OrganisationType.FAITH_GROUP}).text
    assert "1 organisation on the radar" in by_both
    assert "Westgate Food Bank" in by_both and "Eastgate Food Bank" not in by_both

    csv_text = _csv(client.get(RADAR_URL, {"q": "food", "org_type": "faith_group", "format": "csv"}))
    assert "Westgate Food Bank" in csv_text
    assert "Eastgate Food Bank" not in csv_text and "Canal Carers" not in csv_text

    wrong = client.get(RADAR_URL, {"org_type": "castle"})
    assert wrong.status_code == 200
    assert "3 organisations on the radar" in wrong.text
