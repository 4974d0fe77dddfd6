"""A re-import of contacts in the browser: upload, check the preview, confirm, and nothing else lost."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.network.factories_meetings import ContactFactory
from waymark.network.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_preview_a_contact_import_then_confirm_it(browse, tmp_path):
    asha = ContactFactory(name="Asha Patel", email="asha@example.org", phone="020 7946 0001", job_title="Officer")
    spreadsheet = tmp_path / "forum-contacts.csv"
    spreadsheet.write_text("name,email,job_title\nAsha Patel,asha@example.org,Chair\nChen Li,chen@example.org,\n")
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto("/network/contacts/import/")
    page.get_by_label("Spreadsheet").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check what the import will change")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and import")).to_be_visible(timeout=30_000)
    browse.check()
    expect(page.get_by_role("row", name="Asha Patel")).to_contain_text("job_title: Officer → Chair")
    expect(page.get_by_role("row", name="Chen Li")).to_contain_text("New")
    assert Contact.objects.count() == 1  # nothing written before confirmation

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("1 contacts added, 1 changed and 0 left as they were.")).to_be_visible()
    browse.check()
    asha.refresh_from_db()
    assert (asha.job_title, asha.phone) == ("Chair", "020 7946 0001")
