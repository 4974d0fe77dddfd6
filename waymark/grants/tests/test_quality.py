"""Each of the Data Quality Tool's checks, run offline: a good grant passes them all, and a record broken in one
way fails exactly the check for that way."""

import copy
import datetime

import pytest

from waymark.grants.quality import CHECKS, check_grants

TODAY = datetime.date(2027, 6, 1)

GOOD = {
    "id": "360G-waymark-SEED-2027-0001",
    "title": "Wellbeing circle",
    "description": "Weekly peer support in the community's own language.",
    "currency": "GBP",
    "amountAwarded": 2000,
    "awardDate": "2027-05-20",
    "plannedDates": [{"startDate": "2027-07-01", "endDate": "2028-06-30", "duration": 12}],
    "recipientOrganization": [
        {
            "id": "GB-CHC-1123456",
            "name": "Riverside group",
            "charityNumber": "1123456",
            "companyNumber": "01234567",
            "location": [{"geoCode": "E05000001", "geoCodeType": "WD", "name": "Riverside"}],
        }
    ],
    "beneficiaryLocation": [{"geoCode": "E01000001", "geoCodeType": "LSOA", "name": "Riverside 001A"}],
    "fundingOrganization": [{"id": "GB-LAE-RVB", "name": "Borough council"}],
}


def broken(change):
    grant = copy.deepcopy(GOOD)
    change(grant)
    return grant


def set_in(path, value):
    def change(grant):
        target = grant
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


BAD = {
    "zero_amount": set_in(["amountAwarded"], 0),
    "identifier_prefix": set_in(["recipientOrganization", 0, "id"], "CHARITY-1123456"),
    "charity_number": set_in(["recipientOrganization", 0, "charityNumber"], "11234"),
    "company_number": set_in(["recipientOrganization", 0, "companyNumber"], "1234"),
    "start_after_end": set_in(["plannedDates", 0, "startDate"], "2028-07-01"),
    "far_date": set_in(["plannedDates", 0, "endDate"], "2207-06-30"),
    "future_award_date": set_in(["awardDate"], "2027-06-02"),
    "postcode_as_code": set_in(["beneficiaryLocation", 0, "geoCode"], "ZX1 1AA"),
    "email_in_text": set_in(["description"], "Write to someone@example.org for details."),
}


def test_a_good_grant_passes_every_check():
    assert check_grants([GOOD], today=TODAY) == []


def test_every_check_has_a_bad_record():
    assert set(BAD) == {check.code for check in CHECKS}


@pytest.mark.parametrize("code", sorted(BAD))
def test_a_bad_record_fails_its_check(code):
    findings = check_grants([broken(BAD[code])], today=TODAY)

    assert {finding.check for finding in findings} == {code}
    assert all(finding.grant_id == GOOD["id"] and finding.message for finding in findings)


def test_dates_far_behind_fail_too():
    findings = check_grants([broken(set_in(["awardDate"], "1927-05-20"))], today=TODAY)
    assert [(f.check, f.field) for f in findings] == [("far_date", "awardDate")]


def test_a_charity_identifier_of_the_wrong_shape_fails_as_well_as_the_field():
    findings = check_grants([broken(set_in(["recipientOrganization", 0, "id"], "GB-CHC-12"))], today=TODAY)
    assert [(f.check, f.field) for f in findings] == [("charity_number", "recipientOrganization/0/id")]


def test_scottish_charities_and_company_numbers_with_letters_are_recognised():
    grant = broken(set_in(["recipientOrganization", 0], {"id": "GB-SC-SC012345", "name": "Glen group"}))
    grant["recipientOrganization"][0]["charityNumber"] = "SC012345"
    grant["recipientOrganization"][0]["companyNumber"] = "SC123456"
    assert check_grants([grant], today=TODAY) == []
