"""The calendar's API: the public reads published consultations without the lead's contact details; working
users read every consultation with them."""

import pytest

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/partnership/consultations/"


@pytest.fixture
def calendar():
    community, theme = CommunityFactory(name="Somali"), ThemeFactory(name="Crisis care", slug="api-crisis")
    published = ConsultationFactory(
        title="Crisis care listening event",
        status=ConsultationStatus.OPEN,
        published=True,
        communities=[community],
        themes=[theme],
    )
    ConsultationFactory(title="Unpublished plan", communities=[community], themes=[theme])
    ConsultationFactory(title="Published but not yet open", published=True, communities=[community], themes=[theme])
    return published


def test_the_public_reads_published_open_consultations_without_contacts(client, calendar):
    body = client.get(URL).json()
    assert [row["title"] for row in body["results"]] == ["Crisis care listening event"]
    (row,) = body["results"]
    assert row["communities"] == [{"id": calendar.communities.get().pk, "name": "Somali"}]
    assert row["contact_name"] is row["contact_email"] is row["contact_phone"] is None


def test_working_users_read_every_consultation_with_its_contact(client, calendar):
    verified_login(client, make_persona(Role.ANALYST))
    body = client.get(URL).json()
    assert sorted(row["title"] for row in body["results"]) == [
        "Crisis care listening event",
        "Published but not yet open",
        "Unpublished plan",
    ]
    assert {row["contact_email"] for row in body["results"]} == {"engagement@example.org"}


def test_the_list_reads_in_a_fixed_number_of_queries(client, calendar, django_assert_max_num_queries):
    for _ in range(5):
        ConsultationFactory(
            status=ConsultationStatus.OPEN,
            published=True,
            communities=[CommunityFactory()],
            themes=[calendar.themes.get()],
        )
    with django_assert_max_num_queries(8):
        assert len(client.get(URL).json()["results"]) == 6
