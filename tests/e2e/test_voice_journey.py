"""From what people said to a published answer: staff triage feedback into an issue and escalate it to two
organisations; a trust's responder answers signed in, a community group answers through the signed link sent to
its nominated contact; staff publish the answers and the public reads them on "You said, we did". The whole
journey also runs from a person's own submission on the Urdu form to the answer on their reference page. Every
page checked with axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery, Language
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import Escalation, FeedbackItem, Response

pytestmark = pytest.mark.django_db(transaction=True)

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
URDU_TEXT = "میں اپنی والدہ کے لیے اردو بولنے والی خاتون مشیر چاہتی ہوں۔ ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔"
URDU_QUOTE = "اردو بولنے والی خاتون مشیر چاہیے۔ ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔"  # "my mother" taken out


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
    responder = with_authenticator(make_persona(Role.RESPONDER, organisation=trust, full_name="Rosa Responder"))
    group = OrganisationFactory(name="Ash Women's Group", email="office@ash-women.example.org")
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Sam Staff"))

    # Staff triage: safeguarding first, then the two similar items made into one issue.
    sign_in(browse, staff)
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
    sign_in(browse, responder)
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
    sign_in(browse, staff)
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


def test_an_urdu_submission_is_answered_and_the_answer_shows_on_its_reference_page(browse, live_server, settings):
    """The whole journey in one browser: the public form in Urdu (a mistake first), staff triage and escalation,
    the responder's answer, publication, and the person reading the answer by their reference, in Urdu."""
    settings.SITE_URL = live_server.url
    page = browse.page
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    responder = with_authenticator(make_persona(Role.RESPONDER, organisation=trust, full_name="Rosa Responder"))
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Sam Staff"))
    title = "Mothers want a female counsellor who speaks Urdu"

    # A member of the public sends the Urdu form empty: the error is in Arabic script inside the RTL page.
    browse.goto("/voice/feedback/ur/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    page.get_by_role("button", name="رائے بھیجیں").click()
    browse.check()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("کوئی مسئلہ پیش آیا ہے")
    message = page.locator("#id_text_error")
    expect(message).to_contain_text("ہمیں بتائیں کہ آپ کیا کہنا چاہتے ہیں")
    assert ARABIC_SCRIPT.search(message.inner_text())
    assert message.evaluate("element => element.closest('[dir=\"rtl\"]') !== null")
    assert message.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert not FeedbackItem.objects.exists()

    # Then in earnest, agreeing that the words may be shared and quoted; the page shows the reference.
    page.get_by_label("آپ ہمیں کیا بتانا چاہتے ہیں؟").fill(URDU_TEXT)
    page.get_by_label("آپ میرا نام ظاہر کیے بغیر میری تحریر متعلقہ سروسز کے ساتھ شیئر کر سکتے ہیں").check()
    page.get_by_label("آپ میرا نام ظاہر کیے بغیر میری باتیں اقتباس کے طور پر اس ویب سائٹ پر شائع کر سکتے ہیں").check()
    page.get_by_role("button", name="رائے بھیجیں").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("آپ کی رائے")
    expect(page.get_by_text("موصول ہو گئی۔ عملہ جلد اسے پڑھے گا۔")).to_be_visible()
    reference = page.locator(".waymark-reference").inner_text().strip()
    reference_page = f"/voice/feedback/ur/reference/{reference}/"
    expect(page).to_have_url(re.compile(rf"{re.escape(reference_page)}$"))
    item = FeedbackItem.objects.get()
    assert item.reference == reference and item.text == URDU_TEXT
    assert item.consent_to_share and item.consent_to_publish

    # Staff write the words that may be quoted on the item's page, taking out anything that could identify her.
    sign_in(browse, staff)
    browse.goto(item.get_absolute_url())
    expect(page.locator("blockquote").first).to_contain_text(URDU_TEXT)
    quote_box = page.get_by_label("Words we may quote")
    expect(quote_box).to_have_value("")  # never pre-filled with the words as sent
    quote_box.fill(URDU_QUOTE)
    page.get_by_role("button", name="Save the words we may quote").click()
    browse.check()
    expect(page.get_by_text("The words we may quote are saved.")).to_be_visible()
    item.refresh_from_db()
    assert item.public_quote == URDU_QUOTE

    # Staff triage that item into an issue and escalate it to the trust, which has a responder account.
    browse.goto(reverse("voice:triage"))
    expect(page.locator(f"label[for='item-{item.uuid}']")).to_contain_text(reference)
    page.locator(f"#item-{item.uuid}").check()
    page.get_by_role("button", name="Make an issue of the ticked items").click()
    browse.check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("A woman asked for a female counsellor who speaks Urdu for her mother.")
    page.get_by_role("button", name="Save issue").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="Escalate to an organisation").click()
    browse.check()
    page.get_by_label("Responder organisation").select_option(label=trust.name)
    page.get_by_label("What we ask").fill("Will you offer a female counsellor who speaks Urdu?")
    page.get_by_role("button", name="Escalate").click()
    browse.check()
    expect(page.get_by_text(re.compile(r"The answer is due by \d+ \w+ \d{4}"))).to_be_visible()

    # The responder signs in and answers.
    sign_in(browse, responder)
    browse.goto(reverse("voice:responder_list"))
    page.get_by_role("link", name=title).click()
    browse.check()
    page.get_by_label("The answer").fill("We have appointed a female counsellor who speaks Urdu.")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("What changed, or will change").fill("A female Urdu-speaking counsellor on Tuesdays.")
    page.get_by_role("button", name="Send the answer").click()
    browse.check()
    expect(page.get_by_text("Thank you. Your answer has been sent.")).to_be_visible()

    # Staff publish the answer.
    sign_in(browse, staff)
    browse.goto(Escalation.objects.get().get_absolute_url())
    page.get_by_role("button", name="Publish the answer").click()
    browse.check()
    expect(page.get_by_text("The answer is published on the public pages.")).to_be_visible()

    # The person comes back to their reference page, in Urdu, and reads the published answer.
    page.context.clear_cookies()
    browse.goto(reference_page)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".waymark-reference")).to_have_text(reference)
    expect(page.get_by_role("heading", name="ہمارا شائع کردہ جواب")).to_be_visible()
    expect(page.get_by_role("heading", name=trust.name)).to_be_visible()
    expect(page.get_by_text("We have appointed a female counsellor who speaks Urdu.")).to_be_visible()
    expect(page.get_by_role("heading", name="کیا بدلا")).to_be_visible()
    expect(page.get_by_text("A female Urdu-speaking counsellor on Tuesdays.")).to_be_visible()
    assert URDU_TEXT not in page.content()  # the reference page never shows the words

    # "You said, we did" lists the issue; the person agreed to be quoted, so the words staff edited appear there,
    # marked as Urdu, and never the words as she sent them.
    browse.goto(reverse("voice:you_said_we_did"))
    expect(page.get_by_role("link", name=title)).to_be_visible()
    page.get_by_role("link", name=title).click()
    browse.check()
    expect(page.get_by_text("A female Urdu-speaking counsellor on Tuesdays.")).to_be_visible()
    quote = page.locator("blockquote")
    expect(quote).to_have_text(URDU_QUOTE)
    expect(quote).to_have_attribute("lang", "ur")
    expect(quote).to_have_attribute("dir", "auto")
    assert URDU_TEXT not in page.content()
