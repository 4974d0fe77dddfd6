"""A member of the public sends feedback in Urdu: the page reads right to left, a mistake is explained in
Urdu (in Arabic script) inside the right-to-left page, nothing typed is lost, and the reference page shows
the status. Staff then work the interpreting queue. Every page checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import FeedbackItem
from waymark.voice.services import languages

pytestmark = pytest.mark.django_db(transaction=True)

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
SOMALI_TEXT = "Waxaan rabaa dhakhtar ku hadla af Soomaali. Ballanta waxay qaadatay muddo dheer."
URDU_TEXT = "میں اپنی والدہ کے لیے اردو بولنے والی خاتون مشیر چاہتی ہوں۔ ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔"


def test_a_person_sends_feedback_in_urdu_and_sees_its_status(browse):
    page = browse.page

    browse.goto("/voice/feedback/ur/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.get_by_role("heading", level=1)).to_have_text("ذہنی صحت کی سروسز کے بارے میں اپنی رائے دیں")
    expect(page.locator(".nhsuk-card--warning")).to_contain_text("999")

    # Sent with the words missing: the error is in Urdu, in Arabic script, inside the right-to-left page.
    page.get_by_label("آپ کا نام").fill("فرضی نام")
    page.get_by_label("آپ کا ای میل پتہ").fill("not-an-address")
    page.get_by_role("button", name="رائے بھیجیں").click()
    browse.check()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    message = page.locator("#id_text_error")
    expect(message).to_contain_text("ہمیں بتائیں کہ آپ کیا کہنا چاہتے ہیں")
    assert ARABIC_SCRIPT.search(message.inner_text())
    assert message.evaluate("element => element.closest('[dir=\"rtl\"]') !== null")
    assert message.evaluate("element => getComputedStyle(element).direction") == "rtl"
    expect(page.get_by_label("آپ کا نام")).to_have_value("فرضی نام")
    expect(page.get_by_label("آپ کا ای میل پتہ")).to_have_value("not-an-address")
    assert not FeedbackItem.objects.exists()

    page.get_by_label("آپ ہمیں کیا بتانا چاہتے ہیں؟").fill(URDU_TEXT)
    page.get_by_label("آپ کا ای میل پتہ").fill("")
    page.get_by_label("آپ میرا نام ظاہر کیے بغیر میری تحریر متعلقہ سروسز کے ساتھ شیئر کر سکتے ہیں").check()
    page.get_by_role("button", name="رائے بھیجیں").click()
    browse.check()

    item = FeedbackItem.objects.get()
    assert item.text == URDU_TEXT and item.contact_name == "فرضی نام" and item.consent_to_share
    expect(page).to_have_url(re.compile(rf"/voice/feedback/ur/reference/{item.reference}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("آپ کی رائے")
    expect(page.locator(".waymark-reference")).to_have_text(item.reference)
    expect(page.get_by_text("موصول ہو گئی۔ عملہ جلد اسے پڑھے گا۔")).to_be_visible()
    assert URDU_TEXT not in page.content()

    # Coming back later with the reference typed in lower case, in Polish this time.
    browse.goto("/voice/feedback/pl/reference/")
    page.get_by_label("Twój numer referencyjny").fill(item.reference.lower())
    page.get_by_role("button", name="Znajdź moją opinię").click()
    browse.check()
    expect(page).to_have_url(re.compile(rf"/voice/feedback/pl/reference/{item.reference}/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_staff_say_what_they_read_and_correct_a_language_from_the_queue(browse):
    somali = FeedbackItemFactory(text=SOMALI_TEXT)
    languages.detect_language(somali.pk)
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Farah Example"))
    page = browse.page
    sign_in(browse, staff)

    browse.goto("/voice/interpreting/")
    expect(page.get_by_role("link", name=somali.reference)).to_be_visible()
    page.get_by_role("link", name=somali.reference).click()
    browse.check()
    expect(page.locator("blockquote")).to_have_attribute("lang", "so")
    page.get_by_role("link", name="Correct language").click()
    browse.check()
    page.get_by_label("English summary").fill("Wants a Somali-speaking doctor; waited a long time for the appointment.")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Wants a Somali-speaking doctor")).to_be_visible()

    browse.goto("/voice/my-languages/")
    page.get_by_role("checkbox", name=re.compile(r"^Somali .*Soomaali")).check()
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Somali .*Soomaali"))).to_be_checked()
    browse.goto("/voice/interpreting/")
    expect(page.get_by_role("link", name=somali.reference)).to_have_count(0)
    browse.goto("/voice/items/")
