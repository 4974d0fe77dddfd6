"""Grants' personal data: an applicant's contact details and an assessor's declarations are found, exported and
erased, and the erasure keeps the records (and a declared conflict still says there was one)."""

import pytest

from waymark.core import personal_data
from waymark.core.personal_data import PersonIdentity
from waymark.grants.factories import ApplicationFactory, AssessmentFactory
from waymark.grants.models import InterestDeclaration
from waymark.grants.personal_data import ERASED_DETAILS

pytestmark = pytest.mark.django_db


def _source(key):
    return next(source for source in personal_data.sources() if source.key == key)


def test_an_applicants_contact_details_are_exported_and_erased():
    application = ApplicationFactory(contact_email="Amina@example.org", contact_phone="0161 496 0000")
    source = _source("grants.application_contact")

    found = source.match(PersonIdentity(email="amina@example.org"))
    assert list(found) == [application]
    assert source.export_rows(found)[0]["contact_phone"] == "0161 496 0000"
    assert list(source.match(PersonIdentity(phone="01614960000"))) == [application]

    assert source.erase_records(found, None) == 1
    application.refresh_from_db()
    assert (application.contact_name, application.contact_email, application.contact_phone) == ("", "", "")
    assert application.project_title  # the application stays, for the programme's figures


def test_an_assessors_declarations_are_erased_keeping_that_there_was_a_conflict():
    assessment = AssessmentFactory()
    InterestDeclaration.objects.create(assessment=assessment, has_conflict=True, details="I chair the group.")
    source = _source("grants.interest_declaration")

    found = source.match(PersonIdentity(user_id=assessment.assessor_id))
    assert source.export_rows(found)[0]["details"] == "I chair the group."
    assert source.erase_records(found, None) == 1
    assert source.erase_records(source.match(PersonIdentity(user_id=assessment.assessor_id)), None) == 0

    declaration = InterestDeclaration.objects.get()
    assert (declaration.has_conflict, declaration.details) == (True, ERASED_DETAILS)
    assert not declaration.history.filter(details="I chair the group.").exists()
