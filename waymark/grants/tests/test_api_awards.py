"""/api/v1/grants/awards/: public, the same 360Giving records as the files, in a fixed number of queries."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from waymark.grants import open_data
from waymark.grants.choices import ApplicantKind, ApplicationStatus
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def individual_award(programme):
    application = ApplicationFactory(
        programme=programme, applicant_kind=ApplicantKind.INDIVIDUAL, status=ApplicationStatus.AWARDED
    )
    return GrantDecisionFactory(application=application)


def test_anyone_lists_the_awards_in_360giving_shape_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    for _ in range(5):
        individual_award(programme)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("api:grants-award-list"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert (
        body["results"] == open_data.build_package()["grants"][::-1]
        or body["results"] == (open_data.build_package()["grants"])
    )
    assert body["results"][0]["recipientIndividual"]["name"] == "Individual Recipient"


def test_an_award_is_fetched_by_its_360giving_identifier_and_a_decline_is_not_found(client):
    award = individual_award(ProgrammeFactory())
    hidden = individual_award(ProgrammeFactory(published=False))

    response = client.get(reverse("api:grants-award-detail", kwargs={"grant_id": award.grant_identifier}))
    assert response.status_code == 200
    assert response.json()["id"] == award.grant_identifier
    assert response.json()["amountAwarded"] == 2000
    missing = client.get(reverse("api:grants-award-detail", kwargs={"grant_id": hidden.grant_identifier}))
    assert missing.status_code == 404


def test_the_open_data_page_lists_programmes_with_awards_and_offers_both_files(client):
    programme = ProgrammeFactory(title="Community seed fund 2027")
    individual_award(programme)
    ProgrammeFactory(title="Nothing awarded yet")

    page = client.get(reverse("grants:open_data"))
    assert page.status_code == 200
    assert "Community seed fund 2027" in page.content.decode()
    assert "Nothing awarded yet" not in page.content.decode()
    json_file = client.get(reverse("grants:open_data_json") + f"?programme={programme.code}")
    assert json_file["Content-Disposition"].startswith('attachment; filename="360giving-')
    assert b"Individual Recipient" in b"".join(json_file.streaming_content)
    xlsx = client.get(reverse("grants:open_data_xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_command_writes_the_same_package(tmp_path):
    individual_award(ProgrammeFactory(code="seed-cmd"))
    target = tmp_path / "grants.json"
    call_command("export_360giving", str(target), "--programme", "seed-cmd")

    assert json.loads(target.read_text())["grants"] == open_data.build_package()["grants"]
    call_command("export_360giving", str(tmp_path / "grants.xlsx"))
    assert (tmp_path / "grants.xlsx").read_bytes()[:2] == b"PK"
    # --format decides over the name, for publishers whose upload path has no extension.
    call_command("export_360giving", str(tmp_path / "grants-upload"), "--format", "xlsx")
    assert (tmp_path / "grants-upload").read_bytes()[:2] == b"PK"
    call_command("export_360giving", str(tmp_path / "grants-upload.dat"), "--format", "json")
    assert json.loads((tmp_path / "grants-upload.dat").read_text())["grants"] == open_data.build_package()["grants"]
