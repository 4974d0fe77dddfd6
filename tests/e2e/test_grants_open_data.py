"""Anyone opens the grants open-data page, sees each programme's awards and downloads the 360Giving file, which
names the funded group and never a person. Every page checked with axe-core."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from waymark.core.factories import OrganisationFactory
from waymark.grants.choices import ApplicantKind, ApplicationStatus, IdentifierScheme
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, ProgrammeFactory
from waymark.grants.models import RecipientIdentifier

pytestmark = pytest.mark.django_db(transaction=True)


def test_anyone_downloads_the_awards_as_360giving(browse):
    programme = ProgrammeFactory(title="Community seed fund 2027", code="seed-2027")
    group = OrganisationFactory(name="Riverside Tamil elders")
    RecipientIdentifier.objects.create(
        organisation=group, scheme=IdentifierScheme.MINTED, identifier="360G-waymark-ORG-00001"
    )
    GrantDecisionFactory(
        application=ApplicationFactory(programme=programme, organisation=group, status=ApplicationStatus.AWARDED)
    )
    GrantDecisionFactory(
        application=ApplicationFactory(
            programme=programme,
            applicant_kind=ApplicantKind.INDIVIDUAL,
            contact_name="Someone Private",
            status=ApplicationStatus.AWARDED,
        )
    )
    page = browse.page

    browse.goto("/grants/open-data/")
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grants open data")
    row = page.get_by_role("row", name="Community seed fund 2027")
    expect(row).to_contain_text("£4,000")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="JSON").click()
    package = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))

    names = {grant.get("recipientOrganization", [{}])[0].get("name") for grant in package["grants"]}
    assert "Riverside Tamil elders" in names
    assert "Someone Private" not in json.dumps(package)
    assert {grant["grantProgramme"][0]["code"] for grant in package["grants"]} == {"seed-2027"}
