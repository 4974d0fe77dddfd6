"""An administrator reads who downloaded personal data and unsuppressed figures, and filters the log; every
page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.choices import ExportKind
from waymark.core.export_log import record_export
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_reads_and_filters_the_export_log(browse):
    admin = with_authenticator(make_persona(Role.ADMIN))
    staff = make_persona(Role.STAFF, username="amina")
    record_export(actor=staff, kind=ExportKind.REGISTRATIONS, description="Community launch day", rows=42, filters={})
    record_export(actor=admin, kind=ExportKind.VOICE_REPORT, description="Feedback, April to June", rows=30, filters={})
    sign_in(browse, admin)
    page = browse.page

    browse.goto("/")
    page.get_by_role("link", name="Export log").first.click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export log")
    expect(page.get_by_role("status")).to_have_text("2 downloads")
    expect(page.get_by_role("table")).to_contain_text("Event registrations: Community launch day")

    page.get_by_label("Kind").select_option(label="Intelligence report")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 download")
    browse.check()
    expect(page.get_by_role("table")).not_to_contain_text("Community launch day")
    expect(page.get_by_role("table")).to_contain_text("Feedback, April to June")
