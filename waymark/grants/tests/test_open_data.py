"""The 360Giving package: what a publisher uploads must validate, carry ONS codes, and never publish DEI answers
without permission or for a person."""

import datetime
import io
import itertools
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from waymark.core.choices import AreaType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Area, Organisation, Postcode
from waymark.grants import open_data
from waymark.grants.choices import (
    ApplicantKind,
    ApplicationStatus,
    DecisionOutcome,
    DeiAsked,
    DeiReply,
    IdentifierScheme,
)
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, PaymentFactory, ProgrammeFactory
from waymark.grants.models import RecipientIdentifier
from waymark.grants.quality import check_grants

pytestmark = pytest.mark.django_db


MINTED = itertools.count(1)


def award(*, programme=None, identifier="minted", charity_number="", **application_fields):
    """An award to a matched organisation with its published identifier (a new minted one unless given)."""
    if identifier == "minted":
        identifier = f"360G-waymark-ORG-{next(MINTED):05d}"
    organisation = OrganisationFactory(charity_number=charity_number, company_number="", postcode="ZX1 1AA")
    if identifier:
        scheme = IdentifierScheme.CHARITY if identifier.startswith("GB-CHC") else IdentifierScheme.MINTED
        RecipientIdentifier.objects.create(organisation=organisation, scheme=scheme, identifier=identifier)
    application = ApplicationFactory(
        programme=programme or ProgrammeFactory(),
        organisation=organisation,
        status=ApplicationStatus.AWARDED,
        **application_fields,
    )
    return GrantDecisionFactory(application=application)


def only_grant(programme=None):
    package = open_data.build_package(programme=programme)
    assert len(package["grants"]) == 1
    return package["grants"][0]


def test_the_package_validates_and_passes_every_quality_check():
    ward = Area.objects.create(area_type=AreaType.WARD, code="E05000001", name="Riverside", vintage=2022)
    Postcode.objects.create(postcode="ZX1 1AA", district="ZX1", latitude=51.5, longitude=-0.1, ward=ward)
    lsoa = Area.objects.create(area_type=AreaType.LSOA, code="E01000001", name="Riverside 001A", vintage=2021)
    decision = award(identifier="360G-waymark-ORG-0001", beneficiary_area=lsoa, amount_requested=Decimal("2500.00"))
    PaymentFactory(decision=decision, amount=Decimal("1000.00"), paid_on=datetime.date.today())
    PaymentFactory(decision=decision, amount=Decimal("1000.00"))
    award(identifier=None, charity_number="1123456", applicant_kind=ApplicantKind.ORGANISATION)

    package = open_data.build_package()

    assert open_data.validate_package(package) == []
    assert check_grants(package["grants"]) == []
    first = next(g for g in package["grants"] if g["id"] == decision.grant_identifier)
    assert first["amountAwarded"] == 2000
    assert first["amountAppliedFor"] == 2500
    assert first["amountDisbursed"] == 1000, "only what has been paid counts as disbursed"
    assert first["recipientOrganization"][0]["id"] == "360G-waymark-ORG-0001"
    assert first["recipientOrganization"][0]["location"] == [
        {"geoCode": "E05000001", "name": "Riverside", "geoCodeType": "WD"}
    ]
    assert "postalCode" not in first["recipientOrganization"][0]
    assert first["beneficiaryLocation"] == [{"geoCode": "E01000001", "name": "Riverside 001A", "geoCodeType": "LSOA"}]
    assert first["grantProgramme"][0]["code"] == decision.application.programme.code
    assert first["plannedDates"][0]["duration"] == 12
    registered = next(g for g in package["grants"] if g["id"] != decision.grant_identifier)
    assert registered["recipientOrganization"][0]["id"] == "GB-CHC-1123456"


def test_declines_drafts_and_unpublished_programmes_are_not_published():
    award()
    hidden = ProgrammeFactory(published=False)
    award(programme=hidden)
    declined = ApplicationFactory(status=ApplicationStatus.DECLINED)
    GrantDecisionFactory(application=declined, outcome=DecisionOutcome.DECLINE, amount_awarded=None)

    assert len(open_data.build_package()["grants"]) == 1


def test_an_unregistered_group_without_an_identifier_is_held_back_not_published_under_a_passing_one():
    award(identifier=None)

    assert open_data.build_package()["grants"] == []
    assert open_data.held_back_count() == 1


def test_dei_answers_are_published_only_with_permission():
    award(dei_reply=DeiReply.REPLY, dei_codes=["DEI010110"], dei_may_publish=True)
    project = only_grant()["deiDetails"]["project"]
    assert project["replyStatus"] == "RS200"
    assert project["response"] == {"taxonomyCodes": ["DEI010110"]}


def test_dei_answers_without_permission_say_a_reply_was_given_and_nothing_more():
    award(dei_reply=DeiReply.REPLY, dei_codes=["DEI010110"], dei_may_publish=False)
    grant = only_grant()
    assert grant["deiDetails"]["project"] == {"askedStatus": "AS200", "replyStatus": "RS203"}
    assert "DEI010110" not in json.dumps(grant)
    assert open_data.validate_package(open_data.build_package()) == []


def test_a_grant_to_an_individual_names_no_one_and_carries_no_dei_answers():
    application = ApplicationFactory(
        applicant_kind=ApplicantKind.INDIVIDUAL,
        contact_name="A Person",
        organisation_name="",
        status=ApplicationStatus.AWARDED,
        dei_reply=DeiReply.REPLY,
        dei_codes=["DEI010110"],
        dei_may_publish=True,
        postcode="ZX1 1AA",
    )
    GrantDecisionFactory(application=application)
    package = open_data.build_package()
    grant = package["grants"][0]

    assert grant["recipientIndividual"]["name"] == "Individual Recipient"
    assert "deiDetails" not in grant and "recipientOrganization" not in grant
    assert "A Person" not in json.dumps(package) and "DEI010110" not in json.dumps(package)
    assert open_data.validate_package(package) == []


def test_the_json_file_is_the_same_package_written_grant_by_grant():
    award()
    award()
    stream = io.StringIO()

    assert open_data.write_json(stream) == 2
    written = json.loads(stream.getvalue())
    assert written["grants"] == open_data.build_package()["grants"]
    assert open_data.validate_package(written) == []


def test_the_file_holds_each_grant_exactly_as_the_api_shows_it():
    """The export builds grants from narrower rows and look-ups read once (for speed); every case the API's
    ``grant_record`` handles must come out the same, so the files and the API never disagree."""
    ward = Area.objects.create(area_type=AreaType.WARD, code="E05000001", name="Riverside", vintage=2022)
    Postcode.objects.create(postcode="ZX1 1AA", district="ZX1", latitude=51.5, longitude=-0.1, ward=ward)
    Postcode.objects.create(postcode="ZX9 9ZZ", district="ZX9", latitude=51.5, longitude=-0.1, ward=None)
    lsoa = Area.objects.create(area_type=AreaType.LSOA, code="E01000001", name="Riverside 001A", vintage=2021)
    icb = Area.objects.create(area_type=AreaType.LSOA, code="Q99", name="Somewhere", vintage=2021)
    paid = award(beneficiary_area=lsoa, dei_reply=DeiReply.REPLY, dei_codes=["DEI010120", "DEI010110"])
    PaymentFactory(decision=paid, amount=Decimal("1000.50"), paid_on=datetime.date(2025, 1, 2))
    PaymentFactory(decision=paid, amount=Decimal("0.25"), paid_on=datetime.date(2025, 2, 2))
    PaymentFactory(decision=paid, amount=Decimal("999.25"))
    award(dei_reply=DeiReply.REPLY, dei_codes=["DEI010110"], dei_may_publish=True, beneficiary_area=icb)
    award(dei_reply="", dei_codes=[], amount_requested=None, starts_on=None, ends_on=None)
    award(dei_asked=DeiAsked.NOT_APPLICABLE, project_title="", project_summary="")
    award(identifier=None, charity_number=" 1123456 ")
    award(identifier=None)  # held back
    other = ProgrammeFactory(funder=OrganisationFactory(company_number="ab123456", charity_number=""))
    registered = award(programme=other, identifier="GB-CHC-1099999")
    Organisation.objects.filter(pk=registered.application.organisation_id).update(postcode="ZX9 9ZZ")
    registered.grant_identifier = ""
    registered.starts_on = datetime.date(2025, 4, 1)
    registered.ends_on = None
    registered.amount_awarded = Decimal("1999.99")
    registered.save()
    moved = award(programme=other, postcode="ZX1 1AA")
    Organisation.objects.filter(pk=moved.application.organisation_id).update(postcode="")
    GrantDecisionFactory(
        application=ApplicationFactory(
            programme=other,
            applicant_kind=ApplicantKind.INDIVIDUAL,
            organisation_name="",
            status=ApplicationStatus.AWARDED,
            postcode="ZX1 1AA",
        )
    )
    awards = open_data.published_awards()

    expected = [grant for row in open_data.award_rows(awards) if (grant := open_data.grant_record(row))]
    exported = list(open_data.iter_grants(awards))

    assert len(exported) == 8
    assert exported == expected
    by_id = {grant["id"]: grant for grant in exported}
    assert by_id[paid.grant_identifier]["amountDisbursed"] == 1000.75
    assert by_id[moved.grant_identifier]["recipientOrganization"][0]["location"][0]["geoCode"] == "E05000001"
    assert "location" not in by_id[f"360G-waymark-{registered.application.reference}"]["recipientOrganization"][0]
    assert [json.dumps(grant) for grant in exported] == [json.dumps(grant) for grant in expected]
    stream = io.StringIO()
    assert open_data.write_json(stream) == 8
    assert json.loads(stream.getvalue())["grants"] == json.loads(json.dumps(expected))


def test_the_spreadsheet_uses_the_standards_column_titles():
    decision = award(dei_reply=DeiReply.REPLY, dei_codes=["DEI010110", "DEI010120"], dei_may_publish=True)
    sheet = load_workbook(io.BytesIO(open_data.xlsx_bytes()))["grants"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][:8] == (
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Applied For",
        "Amount Awarded",
        "Amount Disbursed",
        "Award Date",
    )
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Identifier"] == decision.grant_identifier
    assert record["Recipient Org:Identifier"] == decision.application.organisation.grant_identifier.identifier
    assert record["DEI Details:Project:Response:Taxonomy Codes"] == "DEI010110;DEI010120"


def test_a_record_that_breaks_the_schema_is_named():
    award()
    package = open_data.build_package()
    del package["grants"][0]["awardDate"]
    package["grants"][0]["currency"] = "pounds"

    problems = open_data.validate_package(package)
    assert any(problem.startswith("grants/0") for problem in problems)
