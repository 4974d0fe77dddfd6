"""The contact import: per-row errors naming the column, all or nothing, CSV and XLSX, re-import safe."""

import io

import pytest
from openpyxl import Workbook

from waymark.core.factories import OrganisationFactory
from waymark.core.models import Language, Sector
from waymark.network.contact_import import ImportFailed, import_contacts
from waymark.network.factories_meetings import ContactFactory, NetworkFactory
from waymark.network.models import Contact

pytestmark = pytest.mark.django_db

HEADINGS = "name,email,job_title,organisation,sector,preferred_language,consent_to_contact,lawful_basis,consent_date\n"


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + HEADINGS + text).encode())


@pytest.fixture
def reference():
    OrganisationFactory(name="Riverside Housing Trust")
    Sector.objects.get_or_create(slug="housing", defaults={"name": "Housing"})
    Language.objects.get_or_create(code="urd", defaults={"name": "Urdu"})


def test_a_good_spreadsheet_adds_everyone_and_makes_them_members(reference):
    network = NetworkFactory()
    upload = _csv(
        "Asha Patel,Asha@Example.org,Housing officer,riverside housing trust,Housing,urd,yes,consent,2025-01-31\n"
        "Bola Ade,bola@example.org,,,,,no,,\n"
    )

    result = import_contacts(upload=upload, filename="contacts.csv", actor=None, network=network)

    assert (result.created, result.updated) == (2, 0)
    asha = Contact.objects.get(email="asha@example.org")
    assert (asha.organisation.name, asha.sector.slug, asha.preferred_language.code) == (
        "Riverside Housing Trust",
        "housing",
        "urd",
    )
    assert asha.may_be_emailed
    assert not Contact.objects.get(name="Bola Ade").may_be_emailed
    assert network.members.count() == 2


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(reference):
    upload = _csv(
        "Good Person,good@example.org,,,,,yes,consent,2025-01-31\n"
        "Bad Address,not-an-email,,,,,no,,\n"
        ",missing@example.org,,Nowhere Ltd,,,maybe,,31/01/2025\n"
        "Twice,good@example.org,,,,,no,,\n"
    )

    with pytest.raises(ImportFailed) as caught:
        import_contacts(upload=upload, filename="contacts.csv", actor=None)

    assert [str(error) for error in caught.value.errors] == [
        "Row 3, email: “not-an-email” is not a valid e-mail address.",
        "Row 4, name: the name is missing.",
        "Row 4, organisation: there is no organisation called “Nowhere Ltd”.",
        "Row 4, consent_to_contact: write yes or no, not “maybe”.",
        "Row 4, consent_date: “31/01/2025” is not a date like 2025-03-31.",
        "Row 5, email: good@example.org is also on row 2.",
    ]
    assert not Contact.objects.exists()


def test_a_row_refused_by_the_model_undoes_the_rows_before_it(reference):
    upload = _csv("First,first@example.org,,,,,no,,\nNo basis,nobasis@example.org,,,,,yes,,\n")

    with pytest.raises(ImportFailed) as caught:
        import_contacts(upload=upload, filename="contacts.csv", actor=None)

    assert [str(error) for error in caught.value.errors] == [
        "Row 3, lawful_basis: Say on what lawful basis this person may be contacted.",
        "Row 3, consent_date: Give the date they agreed to be contacted.",
    ]
    assert not Contact.objects.exists()


def test_an_xlsx_import_updates_a_contact_with_the_same_address(reference):
    existing = ContactFactory(name="Old Name", email="asha@example.org")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "E-mail", "Job title"])
    sheet.append(["Asha Patel", "ASHA@example.org", "Chair"])
    sheet.append(["Chen Li", "chen@example.org", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    result = import_contacts(upload=buffer, filename="Contacts.XLSX", actor=None)

    assert (result.created, result.updated) == (1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.job_title) == ("Asha Patel", "Chair")
    assert Contact.objects.count() == 2


def test_a_spreadsheet_without_an_email_column_is_refused():
    with pytest.raises(ImportFailed) as caught:
        import_contacts(upload=io.BytesIO(b"name\nAsha\n"), filename="c.csv", actor=None)
    assert [str(error) for error in caught.value.errors] == ["Row 1, email: this column is missing."]
