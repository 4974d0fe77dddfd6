"""Generated bad files never break the contact import: no exception escapes, no page answers 500, and a
refused file writes nothing."""

import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import JobStatus
from waymark.core.models import Job
from waymark.core.roles import Role
from waymark.core.tests.bad_input import FUZZ_SETTINGS, bad_files
from waymark.network import contact_import
from waymark.network.contact_import import COLUMNS, ImportFailed, plan_import
from waymark.network.factories_meetings import ContactFactory
from waymark.network.models import Contact, Membership
from waymark.network.services.contact_import import apply_plan

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Contact.objects.count(), Contact.history.count(), Membership.objects.count()


@FUZZ_SETTINGS
@given(data=bad_files(COLUMNS), kind=st.sampled_from(["csv", "xlsx"]), blanks_clear=st.booleans())
def test_a_bad_file_is_refused_whole_or_applied_whole(data, kind, blanks_clear):
    if not Contact.objects.filter(email="asha@example.org").exists():
        ContactFactory(email="asha@example.org")
    before = counts()

    plan = plan_import(upload=io.BytesIO(data), kind=kind, blanks_clear=blanks_clear)

    if plan.errors:
        with pytest.raises(ImportFailed):
            apply_plan(plan=plan, actor=None)
        assert counts() == before
    else:
        apply_plan(plan=plan, actor=None)


@FUZZ_SETTINGS
@given(data=bad_files(COLUMNS), name=st.sampled_from(["contacts.csv", "contacts.xlsx", "contacts.txt"]))
def test_the_import_page_never_fails_on_a_bad_file(client, django_capture_on_commit_callbacks, data, name):
    verified_login(client, make_persona(Role.STAFF))
    upload = io.BytesIO(data)
    upload.name = name
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:contact_import"), {"file": upload})

    assert response.status_code in (302, 400)
    for job in Job.objects.filter(name=contact_import.PREVIEW_JOB_NAME):
        assert job.status == JobStatus.SUCCEEDED, job.message  # a bad file is a preview of problems, not a crash
    assert counts() == before
