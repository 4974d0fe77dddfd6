"""A worker's day in voice, in the browser with axe-core on every page: triage opens an item's record and sends
one in Urdu for interpreting, quick mode records two conversations from one outreach session, and a mistyped
reference on the Bengali public pages answers in Bengali."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.models import Language
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import FeedbackItem

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_sends_an_item_for_interpreting_and_records_an_outreach_session(browse):
    page = browse.page
    in_urdu = FeedbackItemFactory(
        text="ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔", original_language=Language.objects.get(code="urd")
    )
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Sam Staff"))
    sign_in(browse, staff)

    browse.goto(reverse("voice:triage"))
    page.get_by_role("link", name=f"Request interpreting for {in_urdu.reference}").click()
    browse.check()
    page.get_by_role("button", name="Request interpreting").click()
    browse.check()
    expect(page.get_by_text(f"Item {in_urdu.reference} is in the interpreting queue.")).to_be_visible()
    page.get_by_role("link", name=f"Open the record {in_urdu.reference}").click()
    browse.check()
    expect(page.get_by_text("Asked for by Sam Staff")).to_be_visible()
    browse.goto(reverse("voice:interpreting_queue"))
    expect(page.get_by_role("cell", name="Sam Staff", exact=False)).to_be_visible()

    browse.goto(reverse("voice:session_record"))
    page.get_by_label("Venue or event").fill("Tenants' coffee morning, Poplar")
    page.locator("#id_conversation-0-text").fill("The GP receptionist laughed at my accent.")
    page.locator("#id_conversation-1-text").fill("Nobody told us the clinic had moved.")
    page.get_by_role("button", name="Save the conversations").click()
    browse.check()
    expect(page.get_by_text("2 item(s) recorded from Tenants' coffee morning, Poplar")).to_be_visible()
    assert FeedbackItem.objects.filter(venue="Tenants' coffee morning, Poplar").count() == 2


def test_a_mistyped_reference_answers_in_bengali(browse):
    browse.goto(reverse("voice:reference", kwargs={"lang": "bn", "reference": "AAAAAAAAAA"}))
    expect(browse.page.get_by_role("heading", level=1)).to_have_text("আমরা এই রেফারেন্সটি খুঁজে পাচ্ছি না")
