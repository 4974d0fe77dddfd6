"""The public programmes API: a published programme with its parts, for anyone; an unpublished one only for
working users; and no query per programme."""

import pytest
from django.urls import reverse

from waymark.core.roles import Role
from waymark.grants.factories import ApplicationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_published_programme_with_its_questions_and_criteria(client):
    programme = ProgrammeFactory()
    hidden = ProgrammeFactory(published=False)
    ApplicationFactory(programme=programme, contact_name="Somebody Private")
    response = client.get(reverse("api:grants-programme-list"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["code"] for row in results] == [programme.code]
    row = results[0]
    assert row["languages"] == ["en-gb", "ur", "pl", "bn"]
    assert [question["word_limit"] for question in row["questions"]] == [150, 150]
    assert [criterion["weight"] for criterion in row["criteria_set"]] == [2, 1]
    assert row["eligibility_questions"][0]["explanation"]
    assert "Somebody Private" not in response.content.decode()
    assert client.get(reverse("api:grants-programme-detail", kwargs={"uuid": hidden.uuid})).status_code == 404


def test_staff_also_read_unpublished_programmes(client, make_persona, verified_login):
    hidden = ProgrammeFactory(published=False)
    verified_login(client, make_persona(Role.STAFF))
    response = client.get(reverse("api:grants-programme-detail", kwargs={"uuid": hidden.uuid}))
    assert response.status_code == 200
    assert response.json()["published"] is False


def test_the_list_asks_the_same_number_of_queries_for_more_programmes(client, django_assert_max_num_queries):
    ProgrammeFactory.create_batch(2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("api:grants-programme-list"))
    ProgrammeFactory.create_batch(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api:grants-programme-list"))
