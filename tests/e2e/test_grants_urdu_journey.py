"""An applicant fills in the Urdu form: starts, saves a step as a draft and leaves; comes back days later by the
link we e-mailed them (read from the e-mail as sent), finds every word they typed, finishes and sends. Every page
is right to left, and checked with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date
from waymark.core.models import EmailDelivery
from waymark.grants.choices import ApplicationStatus
from waymark.grants.factories import ProgrammeFactory
from waymark.grants.models import Application

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT_LINK = re.compile(r"https?://\S+(/grants/apply/ur/draft/[^/\s]+/)")


def test_an_applicant_in_urdu_saves_a_draft_comes_back_by_the_emailed_link_and_sends(browse):
    page = browse.page
    programme = ProgrammeFactory(code="seed-urdu", title="Community seed fund")
    browse.goto(f"/grants/apply/ur/{programme.code}/start/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    page.get_by_label("آپ کا نام").fill("Applicant")
    page.get_by_label("آپ کا ای میل پتہ").fill("applicant@example.org")
    page.get_by_role("button", name="میری درخواست شروع کریں").click()
    browse.check()
    expect(page).to_have_url(re.compile(r"/grants/apply/ur/draft/.+/group/$"))

    # One step filled, in the applicant's own words (Urdu and English), saved for later; then they leave.
    page.get_by_label("آپ کے گروپ کا نام").fill("دریا کنارے خواتین کا حلقہ")
    page.get_by_label("غیر رجسٹرڈ کمیونٹی گروپ").check()
    page.get_by_label("آپ کے گروپ کا پوسٹ کوڈ").fill("ZZ1 1AA")
    page.get_by_role("button", name="محفوظ کریں اور بعد میں واپس آئیں").click()
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("محفوظ ہو گیا")
    page.context.clear_cookies()
    page.goto("about:blank")

    # Back by the link in the e-mail, as sent.
    delivery = EmailDelivery.objects.get(template="grants_draft_link", to_address="applicant@example.org")
    assert "آپ نے Community seed fund میں درخواست شروع کی ہے" in delivery.text_body
    link = DRAFT_LINK.search(delivery.text_body)
    assert link, delivery.text_body
    browse.goto(link.group(1))
    expect(page).to_have_url(re.compile(r"/grants/apply/ur/draft/.+/check/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("دریا کنارے خواتین کا حلقہ")).to_be_visible()
    expect(page.get_by_text("ZZ1 1AA")).to_be_visible()

    page.get_by_role("link", name="آپ کا منصوبہ").first.click()
    browse.check()
    today = timezone.localdate()
    page.get_by_label("آپ کے منصوبے کا مختصر عنوان").fill("چائے اور گفتگو")
    page.get_by_label("آپ کیا کریں گے؟ چند سطریں").fill("ہم ہر ہفتے ملتے ہیں۔")
    page.get_by_label("آپ کتنی رقم مانگ رہے ہیں (£)؟").fill("1500")
    fill_date(page, "یہ کب شروع ہوگا؟", today + datetime.timedelta(days=40))
    fill_date(page, "یہ کب ختم ہوگا؟", today + datetime.timedelta(days=300))
    page.get_by_role("button", name="محفوظ کریں اور جاری رکھیں").click()
    browse.check()
    page.get_by_label("What need will the money meet?").fill("لوگ اپنی زبان میں مدد کے لیے مہینوں انتظار کرتے ہیں۔")
    page.get_by_label("What difference will it make?").fill("کم لوگ اکیلے ہوں گے۔")
    page.get_by_role("button", name="محفوظ کریں اور جاری رکھیں").click()
    browse.check()
    page.get_by_role("button", name="محفوظ کریں اور جاری رکھیں").click()  # communities: optional
    browse.check()
    page.get_by_role("button", name="جاری رکھیں", exact=True).click()  # files: optional
    browse.check()

    # Every word typed, before and after the break, is on the check page.
    for typed in (
        "دریا کنارے خواتین کا حلقہ",
        "ZZ1 1AA",
        "چائے اور گفتگو",
        "ہم ہر ہفتے ملتے ہیں۔",
        "لوگ اپنی زبان میں مدد کے لیے مہینوں انتظار کرتے ہیں۔",
        "کم لوگ اکیلے ہوں گے۔",
    ):
        expect(page.get_by_text(typed, exact=True)).to_be_visible()
    page.get_by_label("میری بہترین معلومات کے مطابق اس درخواست میں دی گئی معلومات درست ہیں").check()
    page.get_by_role("button", name="میری درخواست بھیجیں").click()
    browse.check()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("موصول ہو گئی: زیرِ غور ہے")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.language == "ur"
    assert application.answers == {
        "need": "لوگ اپنی زبان میں مدد کے لیے مہینوں انتظار کرتے ہیں۔",
        "difference": "کم لوگ اکیلے ہوں گے۔",
    }
