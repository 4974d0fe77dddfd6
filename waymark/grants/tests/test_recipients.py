"""A recipient's 360Giving identifier: from its registered number, or minted once and kept."""

import pytest
from django.core.exceptions import ValidationError

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.grants.choices import IdentifierScheme
from waymark.grants.factories import ApplicationFactory
from waymark.grants.services.recipients import (
    match_or_create_organisation,
    recipient_identifier_for,
    tidy_registered_number,
)

pytestmark = pytest.mark.django_db


def test_identifiers_come_from_registered_numbers():
    charity = OrganisationFactory(charity_number="1123456", company_number="01234567")
    company = OrganisationFactory(company_number="SC123456")
    assert recipient_identifier_for(charity, actor=None).identifier == "GB-CHC-1123456"
    assert recipient_identifier_for(company, actor=None).identifier == "GB-COH-SC123456"
    mutual = OrganisationFactory()
    identifier = recipient_identifier_for(mutual, actor=None, mutual_number="12345r")
    assert (identifier.scheme, identifier.identifier) == (IdentifierScheme.MUTUAL, "GB-MPR-12345R")


def test_an_unregistered_group_gets_one_identifier_minted_once_and_kept(settings):
    settings.GRANTS_360G_PREFIX = "360G-testfunder"
    group = OrganisationFactory(org_type=OrganisationType.COMMUNITY_GROUP, charity_number="", company_number="")
    first = recipient_identifier_for(group, actor=None)
    assert first.identifier.startswith("360G-testfunder-ORG-")
    group.charity_number = "1999999"  # the group registers later: its published identifier stays the same
    group.save()
    assert recipient_identifier_for(group, actor=None) == first


def test_a_mutual_number_on_the_application_is_recorded_with_the_organisation():
    application = ApplicationFactory(mutual_number="IP28746R", organisation_name="Co-op Kitchen")
    organisation = match_or_create_organisation(application, actor=None)
    assert organisation.grant_identifier.identifier == "GB-MPR-IP28746R"
    again = ApplicationFactory(mutual_number="IP28746R", organisation_name="Coop Kitchen Ltd")
    assert match_or_create_organisation(again, actor=None) == organisation


@pytest.mark.parametrize(
    ("field", "typed", "kept"),
    [
        ("charity_number", " 112 3456 ", "1123456"),
        ("company_number", "1234567", "01234567"),
        ("company_number", "sc123456", "SC123456"),
        ("mutual_number", "rs007654", "RS007654"),
    ],
)
def test_registered_numbers_are_tidied(field, typed, kept):
    assert tidy_registered_number(field, typed) == kept


def test_a_malformed_number_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        tidy_registered_number("charity_number", "CH-1")
    assert "charity_number" in refused.value.message_dict
