"""From what people said to a published answer: staff triage feedback into an issue and escalate it to two
organisations; a trust's responder answers signed in, a community group answers through the signed link sent to
its nominated contact; staff publish the answers and the public reads them on "You said, we did". Every page
checked with axe-core."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from waymark.accounts.choices import Role
from waymark.core.factories import TEST_PASSWORD, OrganisationFactory, make_persona
from waymark.core.models import EmailDelivery, Language
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import Escalation, Response

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_code(browse, user) -> None:
    page = browse.page
    page.context.clear_cookies()
    # A fresh device each time: a code is accepted once, and a second sign-in can fall in the same 30 seconds.
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    browse.goto("/account/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    browse.check()
    page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    browse.check()


def test_feedback_becomes_an_issue_is_answered_and_published(browse, live_server, settings):
    settings.SITE_URL = live_server.url  # the links in the e-mails lead to this server
    page = browse.page
    urdu = Language.objects.get(code="urd")
    first = FeedbackItemFactory(
        text="وارڈ میں کوئی خاتون مشیر نہیں جو اردو بولتی ہو",
        english_summary="No female counsellor on Ash ward who speaks Urdu",
        original_language=urdu,
    )
    second = FeedbackItemFactory(english_summary="Asked for a woman counsellor and was offered a man")
    FeedbackItemFactory(english_summary="Someone may be at risk at home", safeguarding=True)
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    responder = make_persona(Role.RESPONDER, organisation=trust, full_name="Rosa Responder")
    group = OrganisationFactory(name="Ash Women's Group", email="office@ash-women.example.org")
    staff = make_persona(Role.STAFF, full_name="Sam Staff")

    # Staff triage: safeguarding first, then the two similar items made into one issue.
    sign_in_with_code(browse, staff)
    browse.goto(reverse("voice:triage"))
    expect(page.get_by_role("heading", name="Safeguarding: act today")).to_be_visible()
    page.locator(f"#item-{first.uuid}").check()
    page.locator(f"#item-{second.uuid}").check()
    page.get_by_role("button", name="Make an issue of the ticked items").click()
    browse.check()
    page.get_by_label("Title").fill("Women cannot see a female Urdu-speaking counsellor")
    page.get_by_label("Description").fill("Women on Ash ward asked for a female counsellor who speaks Urdu.")
    page.get_by_role("button", name="Save issue").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Women cannot see a female Urdu-speaking counsellor")

    # Escalate to the trust (it has a responder account) and to the group (it has none).
    for organisation, question in (
        (trust, "Will you recruit female counsellors who speak Urdu?"),
        (group, "Can your volunteers help women ask for a female counsellor?"),
    ):
        page.get_by_role("button", name="Escalate to an organisation").click()
        browse.check()
        page.get_by_label("Responder organisation").select_option(label=organisation.name)
        page.get_by_label("What we ask").fill(question)
        page.get_by_role("button", name="Escalate").click()
        browse.check()
        expect(page.get_by_text(re.compile(r"The answer is due by \d+ \w+ \d{4}"))).to_be_visible()
        page.get_by_role("link", name="Women cannot see a female Urdu-speaking counsellor").first.click()
        browse.check()

    # The trust's responder answers, signed in; they see only their own escalation.
    sign_in_with_code(browse, responder)
    browse.goto(reverse("voice:responder_list"))
    expect(page.get_by_text("Ash Women's Group")).to_have_count(0)
    page.get_by_role("link", name="Women cannot see a female Urdu-speaking counsellor").click()
    browse.check()
    page.get_by_role("button", name="Send the answer").click()  # nothing filled in: errors, nothing lost
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    page.get_by_label("The answer").fill("We will recruit two female counsellors who speak Urdu.")
    page.get_by_label("Partly accepted").check()
    page.get_by_role("button", name="Send the answer").click()
    browse.check()
    expect(page.get_by_text("Give the reasons")).to_have_count(2)  # in the summary and beside the field
    expect(page.get_by_label("The answer")).to_have_value("We will recruit two female counsellors who speak Urdu.")
    page.get_by_label("Reasons").fill("Funding covers two posts this year.")
    page.get_by_label("What changed, or will change").fill("Two female Urdu-speaking counsellors from June.")
    page.get_by_role("button", name="Send the answer").click()
    browse.check()
    expect(page.get_by_text("Thank you. Your answer has been sent.")).to_be_visible()

    # The group answers through the signed link its nominated contact was sent.
    page.context.clear_cookies()
    delivery = EmailDelivery.objects.get(template="voice_answer_link", to_address="office@ash-women.example.org")
    link = re.search(r"https?://\S+/voice/answer/\S+/", delivery.text_body)
    assert link is not None
    browse.goto(link.group(0).removeprefix(live_server.url))
    page.get_by_label("The answer").fill("Our volunteers will go with women to appointments.")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("What changed, or will change").fill("A volunteer rota for appointments.")
    page.get_by_role("button", name="Send the answer").click()
    browse.check()
    expect(page.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    assert Response.objects.count() == 2

    # Staff publish both answers.
    sign_in_with_code(browse, staff)
    for escalation in Escalation.objects.order_by("pk"):
        browse.goto(escalation.get_absolute_url())
        page.get_by_role("button", name="Publish the answer").click()
        browse.check()
        expect(page.get_by_text("The answer is published on the public pages.")).to_be_visible()

    # The public reads "You said, we did": the issue and what changed, never the words people used.
    page.context.clear_cookies()
    browse.goto(reverse("voice:you_said_we_did"))
    page.get_by_role("link", name="Women cannot see a female Urdu-speaking counsellor").first.click()
    browse.check()
    expect(page.get_by_text("Two female Urdu-speaking counsellors from June.")).to_be_visible()
    expect(page.get_by_text("A volunteer rota for appointments.")).to_be_visible()
    expect(page.get_by_text("خاتون مشیر")).to_have_count(0)  # no consent to publish: the words stay private
