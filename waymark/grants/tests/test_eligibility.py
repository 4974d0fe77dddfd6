"""The automatic eligibility flags: amount, area, kind of group."""

from decimal import Decimal

import pytest

from waymark.core.choices import AreaType, OrganisationType
from waymark.core.models import Area
from waymark.grants.choices import ApplicantKind
from waymark.grants.eligibility import eligibility_flags
from waymark.grants.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _codes(application):
    return [flag["code"] for flag in eligibility_flags(application)]


def test_a_fitting_application_has_no_flags():
    assert _codes(ApplicationFactory()) == []


def test_amount_and_kind_of_group_are_flagged_with_the_limit():
    application = ApplicationFactory(
        amount_requested=Decimal("6000"), organisation_type=OrganisationType.PRIVATE_COMPANY
    )
    flags = eligibility_flags(application)
    assert [flag["code"] for flag in flags] == ["amount_above_maximum", "organisation_type"]
    assert "£5,000.00" in flags[0]["message"]
    assert _codes(ApplicationFactory(amount_requested=Decimal("10"))) == ["amount_below_minimum"]
    assert _codes(ApplicationFactory(applicant_kind=ApplicantKind.INDIVIDUAL)) == ["individual"]


def test_an_area_inside_the_programmes_area_passes_and_one_outside_is_flagged():
    borough = Area.objects.create(
        area_type=AreaType.LOCAL_AUTHORITY, code="E09000099", name="Testborough", vintage=2023
    )
    msoa = Area.objects.create(
        area_type=AreaType.MSOA, code="E02999999", name="Testborough 001", vintage=2021, parent=borough
    )
    elsewhere = Area.objects.create(
        area_type=AreaType.LOCAL_AUTHORITY, code="E09000098", name="Elsewhere", vintage=2023
    )
    application = ApplicationFactory(beneficiary_area=msoa)
    application.programme.areas.set([borough])
    assert _codes(application) == []
    application.beneficiary_area = elsewhere
    assert _codes(application) == ["area"]
    application.beneficiary_area = None
    assert _codes(application) == ["area_missing"]
