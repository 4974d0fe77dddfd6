"""The contact import: a preview (new, changed field by field, unchanged, problems by row and column) that
writes nothing, then exactly that applied on confirmation; absent columns and blank cells keep what is held."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import JobStatus
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Job, Language, Sector, Theme
from waymark.core.roles import Role
from waymark.network import contact_import
from waymark.network.contact_import import ImportPlan, plan_import
from waymark.network.factories_meetings import ContactFactory, NetworkFactory
from waymark.network.models import Contact
from waymark.network.services.contact_import import apply_plan

pytestmark = pytest.mark.django_db

HEADINGS = "name,email,job_title,organisation,sector,preferred_language,consent_to_contact,lawful_basis,consent_date\n"


def plan_csv(text: str, *, blanks_clear: bool = False) -> ImportPlan:
    return plan_import(upload=io.BytesIO(("\ufeff" + text).encode()), kind="csv", blanks_clear=blanks_clear)


def errors_of(plan: ImportPlan) -> list[str]:
    return [str(error) for error in plan.errors]


@pytest.fixture
def reference():
    OrganisationFactory(name="Riverside Housing Trust")
    Sector.objects.get_or_create(slug="housing", defaults={"name": "Housing"})
    Language.objects.get_or_create(code="urd", defaults={"name": "Urdu"})


@pytest.fixture
def asha():
    """A contact with everything filled in, as a re-import finds them."""
    contact = ContactFactory(
        name="Asha Patel",
        email="asha@example.org",
        phone="020 7946 0001",
        job_title="Housing officer",
        consent_to_contact=True,
        lawful_basis="consent",
        consent_date=datetime.date(2025, 1, 31),
    )
    contact.interests.set([Theme.objects.create(name="Carers", slug="carers-test")])
    return contact


def held(contact: Contact) -> tuple:
    contact.refresh_from_db()
    interests = sorted(contact.interests.values_list("name", flat=True))
    return (
        contact.name,
        contact.phone,
        contact.job_title,
        contact.consent_to_contact,
        contact.lawful_basis,
        contact.consent_date,
        interests,
    )


def test_a_good_spreadsheet_adds_everyone_and_makes_them_members(reference):
    network = NetworkFactory()
    plan = plan_csv(
        HEADINGS
        + "Asha Patel,Asha@Example.org,Housing officer,riverside housing trust,Housing,urd,yes,consent,2025-01-31\n"
        "Bola Ade,bola@example.org,,,,,no,,\n"
    )

    result = apply_plan(plan=plan, actor=None, network=network)

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


def test_a_reimport_of_name_and_email_keeps_every_other_field(asha):
    before = held(asha)

    plan = plan_csv("name,email\nAsha Patel,ASHA@example.org\n")
    apply_plan(plan=plan, actor=None)

    assert held(asha) == before
    assert (len(plan.new), len(plan.changed), len(plan.unchanged)) == (0, 0, 1)


def test_blank_cells_keep_what_is_held_unless_the_box_is_ticked(asha):
    text = "name,email,phone,job_title,interests\nAsha Patel,asha@example.org,,Chair,\n"

    apply_plan(plan=plan_csv(text), actor=None)
    assert held(asha)[1:3] == ("020 7946 0001", "Chair")
    assert held(asha)[6] == ["Carers"]

    apply_plan(plan=plan_csv(text, blanks_clear=True), actor=None)
    assert held(asha)[1:3] == ("", "Chair")
    assert held(asha)[6] == []
    assert held(asha)[3:6] == (True, "consent", datetime.date(2025, 1, 31))  # columns not in the file


def test_the_preview_lists_new_changed_field_by_field_unchanged_and_errors_and_writes_nothing(asha):
    ContactFactory(name="Bola Ade", email="bola@example.org", job_title="Volunteer")
    contacts, history = Contact.objects.count(), Contact.history.count()

    plan = plan_csv(
        "name,email,job_title\n"
        "Asha Patel,asha@example.org,Chair\n"
        "Bola Ade,bola@example.org,Volunteer\n"
        "Chen Li,chen@example.org,Treasurer\n"
        "Dee,not-an-email,\n"
    )

    assert [(row.row, row.name) for row in plan.new] == [(4, "Chen Li")]
    assert [(row.row, row.changes) for row in plan.changed] == [(2, [("job_title", "Housing officer", "Chair")])]
    assert [row.email for row in plan.unchanged] == ["bola@example.org"]
    assert errors_of(plan) == ["Row 5, email: “not-an-email” is not a valid e-mail address."]
    assert (Contact.objects.count(), Contact.history.count()) == (contacts, history)


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(reference):
    plan = plan_csv(
        HEADINGS + "Good Person,good@example.org,,,,,yes,consent,2025-01-31\n"
        "Bad Address,not-an-email,,,,,no,,\n"
        ",missing@example.org,,Nowhere Ltd,,,maybe,,31/01/2025\n"
        "Twice,good@example.org,,,,,no,,\n"
        "Nul\x00byte,nul@example.org,,,,,no,,\n"
    )

    assert errors_of(plan) == [
        "Row 3, email: “not-an-email” is not a valid e-mail address.",
        "Row 4, organisation: there is no organisation called “Nowhere Ltd”.",
        "Row 4, consent_to_contact: write yes or no, not “maybe”.",
        "Row 4, consent_date: “31/01/2025” is not a date like 2025-03-31.",
        "Row 5, email: good@example.org is also on row 2.",
        "Row 6, name: remove the invisible NUL character from this cell.",
    ]
    with pytest.raises(contact_import.ImportFailed):
        apply_plan(plan=plan, actor=None)
    assert not Contact.objects.exists()


def test_a_new_contact_without_a_name_or_refused_by_the_model_is_an_error_in_the_preview(reference):
    plan = plan_csv(HEADINGS + ",noname@example.org,,,,,no,,\nNo basis,nobasis@example.org,,,,,yes,,\n")

    assert errors_of(plan) == [
        "Row 2, name: the name is missing.",
        "Row 3, lawful_basis: Say on what lawful basis this person may be contacted.",
        "Row 3, consent_date: Give the date they agreed to be contacted.",
    ]


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

    result = apply_plan(plan=plan_import(upload=buffer, kind="xlsx"), actor=None)

    assert (result.created, result.updated) == (1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.job_title) == ("Asha Patel", "Chair")
    assert Contact.objects.count() == 2


def test_a_spreadsheet_without_an_email_column_is_refused():
    assert errors_of(plan_csv("name\nAsha\n")) == ["Row 1, email: this column is missing."]


def test_reading_stops_at_the_row_limit_and_says_so(settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "contacts": {**settings.UPLOAD_LIMITS["contacts"]}}
    settings.UPLOAD_LIMITS["contacts"]["max_rows"] = 3
    plan = plan_csv("name,email\n" + "".join(f"P{n},p{n}@example.org\n" for n in range(10)))
    assert errors_of(plan) == ["Row 5, file: it has more than 3 rows; import at most 3 at a time."]


def test_a_file_in_another_encoding_is_named_as_such():
    plan = plan_import(upload=io.BytesIO("name,email\nJosé,jose@example.org\n".encode("cp1252")), kind="csv")
    assert errors_of(plan) == ["Row 1, file: it is not UTF-8 text: save it as “CSV UTF-8” and try again."]


# --- The pages: upload, preview, confirm ----------------------------------------------------------------


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def upload(text: str, name: str = "contacts.csv") -> io.BytesIO:
    file = io.BytesIO(text.encode())
    file.name = name
    return file


def test_upload_preview_and_confirm_apply_the_changes_shown(client, staff, asha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:contact_import"),
            {"file": upload("name,email,job_title\nAsha Patel,asha@example.org,Chair\n")},
        )
    preview = Job.objects.get(name=contact_import.PREVIEW_JOB_NAME)
    assert response.url == reverse("network:contact_import_job", args=[preview.uuid])
    page = client.get(response.url).text
    assert "Check what the import will change" in page
    assert "job_title: Housing officer → Chair" in page
    assert Contact.objects.get(pk=asha.pk).job_title == "Housing officer"  # nothing written yet

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("network:contact_import_confirm", args=[preview.uuid]))

    job = Job.objects.get(name=contact_import.CONFIRM_JOB_NAME)
    assert confirmed.url == reverse("network:contact_import_job", args=[job.uuid])
    assert job.status == JobStatus.SUCCEEDED
    assert "0 contacts added, 1 changed and 0 left as they were." in client.get(confirmed.url).text
    assert held(asha)[1:3] == ("020 7946 0001", "Chair")
    # A preview is confirmed once only.
    client.post(reverse("network:contact_import_confirm", args=[preview.uuid]))
    assert Job.objects.filter(name=contact_import.CONFIRM_JOB_NAME).count() == 1


def test_a_confirmation_is_refused_when_the_contacts_changed_after_the_preview(
    client, staff, asha, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("network:contact_import"), {"file": upload("name,email,job_title\nAsha,asha@example.org,Chair\n")}
        )
    preview = Job.objects.get(name=contact_import.PREVIEW_JOB_NAME)
    Contact.objects.filter(pk=asha.pk).update(job_title="Director")  # someone edits Asha meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("network:contact_import_confirm", args=[preview.uuid]))

    job = Job.objects.get(name=contact_import.CONFIRM_JOB_NAME)
    assert job.status == JobStatus.FAILED
    assert "the contacts changed after the preview was made" in client.get(confirmed.url).text
    assert held(asha)[2] == "Director"


def test_a_preview_with_problems_lists_them_and_cannot_be_confirmed(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:contact_import"), {"file": upload("name,email\nGood,good@example.org\nBad,bad@@example\n")}
        )
    page = client.get(response.url).text
    assert "There is 1 problem in the spreadsheet. Nothing can be imported until it is put right." in page
    assert "Row 3, email: “bad@@example” is not a valid e-mail address." in page
    assert "Confirm and import" not in page
    preview = Job.objects.get(name=contact_import.PREVIEW_JOB_NAME)
    client.post(reverse("network:contact_import_confirm", args=[preview.uuid]))
    assert not Job.objects.filter(name=contact_import.CONFIRM_JOB_NAME).exists()
    assert not Contact.objects.exists()


def test_an_upload_nobody_confirmed_is_deleted_after_a_day(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:contact_import"), {"file": upload("name,email\nChen Li,chen@example.org\n")})
    preview = Job.objects.get(name=contact_import.PREVIEW_JOB_NAME)
    path = preview.result["path"]
    assert default_storage.exists(path)

    assert contact_import.delete_unconfirmed_uploads.call() == {"deleted": 0}  # not a day old yet
    Job.objects.filter(pk=preview.pk).update(finished_at=timezone.now() - datetime.timedelta(days=2))
    assert contact_import.delete_unconfirmed_uploads.call() == {"deleted": 1}

    assert not default_storage.exists(path)
    assert "Confirm and import" not in client.get(reverse("network:contact_import_job", args=[preview.uuid])).text
