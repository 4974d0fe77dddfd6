"""The public feedback form and the reference page, as a member of the public meets them."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from waymark.core.models import EthnicGroup
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import ResponseFactory
from waymark.voice.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, FeedbackItem, ItemDemographics

pytestmark = pytest.mark.django_db

URDU_TEXT = "میں اپنی والدہ کے لیے اردو بولنے والی خاتون مشیر چاہتی ہوں۔ ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def main_content(page: str) -> str:
    """The page's own words, without the header (which offers staff a sign-in link on every page)."""
    return page[page.index('<main class="nhsuk-main-wrapper"') : page.index("</main>")]


def form_url(lang: str = "en-gb") -> str:
    return reverse("voice:feedback", kwargs={"lang": lang})


def test_the_form_opens_with_the_emergency_notice_and_links_the_privacy_notice(client):
    page = client.get(form_url()).content.decode()
    notice = page.index("This form is not for emergencies. If someone is in danger call 999")
    assert notice < page.index('<form method="post"')
    assert "call NHS 111 and choose the mental health option" in page
    assert reverse("core:page", args=["privacy"]) in page


def test_the_urdu_form_is_right_to_left_with_the_notice_in_urdu(client):
    page = client.get(form_url("ur")).content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "یہ فارم ہنگامی حالات کے لیے نہیں ہے" in page
    # Each other language is offered by its own name, marked with its language and direction.
    assert 'lang="pl" hreflang="pl" dir="ltr">polski</a>' in page.lower()


def test_the_bare_address_follows_the_browser_language(client):
    response = client.get(reverse("voice:feedback_start"), headers={"accept-language": "pl"})
    assert response.url == form_url("pl")
    assert client.get(reverse("voice:feedback_start"), headers={"accept-language": "fr"}).url == form_url("en-gb")


def test_a_language_not_offered_is_not_found(client):
    assert client.get(form_url("fr")).status_code == 404


def test_anonymous_feedback_is_saved_and_the_person_gets_a_random_reference(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url("ur"), {"text": URDU_TEXT, "consent_to_share": "on"})
    item = FeedbackItem.objects.get()
    assert response.url == item.get_public_url("ur")
    assert len(item.reference) == REFERENCE_LENGTH and set(item.reference) <= set(REFERENCE_ALPHABET)
    assert str(item.pk) not in item.reference
    assert item.text == URDU_TEXT
    assert item.submitted_by is None and item.how_gathered == "online_form"
    assert item.consent_to_share and not item.consent_to_publish
    assert not item.contact_name and not item.contact_email
    # Language detection ran in the background task queued when the save committed.
    assert item.original_language.code == "urd"
    assert item.language_confidence > 0.9 and not item.language_corrected


def test_the_reference_page_shows_only_the_status_and_the_published_answer(client):
    item = FeedbackItemFactory(text="Private words about my brother", contact_name="Sam Sample", status="grouped")
    ItemDemographics.objects.create(item=item, age_band="25_34", gender="woman")
    published = ResponseFactory(published=True, text="We now book a female counsellor who speaks Urdu.")
    published.escalation.issue.items.add(item)
    draft = ResponseFactory(published=False, text="A draft answer nobody should see yet.")
    draft.escalation.issue.items.add(item)
    page = client.get(item.get_public_url("en-gb")).content.decode()
    assert item.reference in page
    assert "Staff have put it together with what others said" in page
    assert "We now book a female counsellor who speaks Urdu." in page
    assert "A draft answer" not in page
    for private in ("Private words", "Sam Sample", "25 to 34", "Woman"):
        assert private not in page


def test_an_unknown_reference_page_is_not_found(client):
    assert (
        client.get(reverse("voice:reference", kwargs={"lang": "en-gb", "reference": "AAAAAAAAAA"})).status_code == 404
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en-gb", "We cannot find that reference"),
        ("ur", "ہمیں یہ حوالہ نمبر نہیں ملا"),
        ("pl", "Nie możemy znaleźć tego numeru referencyjnego"),
        ("bn", "আমরা এই রেফারেন্সটি খুঁজে পাচ্ছি না"),
    ],
)
def test_a_mistyped_reference_is_not_found_in_the_page_language_and_never_asks_to_sign_in(client, lang, words):
    response = client.get(reverse("voice:reference", kwargs={"lang": lang, "reference": "AAAAAAAAAA"}))
    page = response.content.decode()
    assert response.status_code == 404
    assert words in page
    assert reverse("voice:reference_lookup", kwargs={"lang": lang}) in page
    assert "sign in" not in main_content(page).lower()


def test_too_many_look_ups_answer_429_in_the_page_language_and_never_ask_to_sign_in(client, monkeypatch):
    monkeypatch.setattr("waymark.voice.views.public.REFERENCE_LOOKUP_RATE", "2/m")
    url = reverse("voice:reference_lookup", kwargs={"lang": "bn"})
    assert [client.get(url).status_code for _number in range(3)] == [200, 200, 429]
    last = client.get(url)
    page = last.content.decode()
    assert "আপনি অল্প সময়ে অনেকবার রেফারেন্স খুঁজেছেন" in page
    assert "sign in" not in main_content(page).lower() and "administrator" not in main_content(page).lower()
    item = FeedbackItemFactory()
    assert [client.get(item.get_public_url("bn")).status_code for _number in range(3)] == [200, 200, 429]


@pytest.mark.parametrize(
    "typed",
    [
        "۳۴۶",  # Urdu (Extended Arabic-Indic) digits
        "٣٤٦",  # Arabic-Indic digits
        "৩৪৬",  # Bengali digits
    ],
)
def test_reference_lookup_reads_urdu_arabic_and_bengali_digits_as_latin(client, typed):
    item = FeedbackItemFactory(reference="K7MX346QRT")
    response = client.get(reverse("voice:reference_lookup", kwargs={"lang": "ur"}), {"reference": f"k7mx{typed}qrt"})
    assert response.status_code == 302
    assert response.url == item.get_public_url("ur")


def test_the_reference_hint_says_english_letters_and_the_code_is_marked_english(client):
    page = client.get(reverse("voice:reference_lookup", kwargs={"lang": "en-gb"})).content.decode()
    assert "10 English letters and numbers, for example K7MX4PQRTA" in page
    item = FeedbackItemFactory()
    page = client.get(item.get_public_url("ur")).content.decode()
    assert f'<strong class="waymark-reference" lang="en" dir="ltr">{item.reference}</strong>' in page


SAFEGUARDING = {
    "en-gb": "our staff may need to act on it and share it with the people who can keep them safe",
    "ur": "ہمارے عملے کو کارروائی کرنی پڑ سکتی ہے",
    "pl": "nasi pracownicy mogą być zobowiązani do podjęcia działań",
    "bn": "আমাদের কর্মীদের ব্যবস্থা নিতে হতে পারে",
}


@pytest.mark.parametrize("lang", SAFEGUARDING)
def test_beside_the_anonymity_promise_the_form_says_staff_may_need_to_act(client, lang):
    page = client.get(form_url(lang)).content.decode()
    sentence = page.index(SAFEGUARDING[lang])
    promise = page.index('id="safeguarding-notice"')
    assert promise < sentence < page.index('<form method="post"')


@pytest.mark.parametrize(
    ("lang", "note"), [("en-gb", None), ("ur", "(انگریزی میں)"), ("pl", "(po angielsku)"), ("bn", "(ইংরেজিতে)")]
)
def test_the_privacy_notice_link_says_when_the_notice_is_in_english_only(client, lang, note):
    page = client.get(form_url(lang)).content.decode()
    link_end = page.index("</a>", page.index(reverse("core:page", args=["privacy"])))
    after = page[link_end : link_end + 40]
    if note:
        assert note in after
    else:
        assert "(in English)" not in page


def test_the_bengali_emergency_notice_keeps_danger_and_urgent_help_apart(client):
    page = client.get(form_url("bn")).content.decode()
    assert "কেউ বিপদে থাকলে 999-এ কল করুন" in page
    assert "মানসিক স্বাস্থ্যের জন্য দ্রুত সাহায্য দরকার হলে NHS 111-এ কল করুন" in page
    assert "জরুরি মানসিক স্বাস্থ্য" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your reference"),
        ("12", "A reference is 10 English letters and numbers"),
        ("ABCDEFGH0O", "A reference is 10 English letters and numbers"),
        ("A" * 41, "A reference is 10 English letters and numbers"),
        ("AAAA AAAA AA", "We cannot find that reference"),
    ],
)
def test_reference_lookup_explains_what_is_wrong_and_keeps_what_was_typed(client, typed, message):
    response = client.get(reverse("voice:reference_lookup", kwargs={"lang": "en-gb"}), {"reference": typed})
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page or not typed


def test_reference_lookup_forgives_spaces_dashes_and_lower_case(client):
    item = FeedbackItemFactory()
    typed = f"{item.reference[:5].lower()}-{item.reference[5:]}"
    response = client.get(reverse("voice:reference_lookup", kwargs={"lang": "pl"}), {"reference": typed})
    assert response.url == item.get_public_url("pl")


def test_an_urdu_error_is_in_urdu_and_everything_typed_stays(client):
    typed = {"text": "", "contact_name": "ایک نام", "contact_email": "not-an-address", "age_band": "35_44"}
    response = client.post(form_url("ur"), typed)
    page = response.content.decode()
    assert response.status_code == 200 and not FeedbackItem.objects.exists()
    assert "ہمیں بتائیں کہ آپ کیا کہنا چاہتے ہیں" in page  # "Tell us what you would like to say"
    assert "ای میل پتہ name@example.com کی طرح لکھیں" in page
    assert 'value="ایک نام"' in page and 'value="not-an-address"' in page
    assert re.search(r'<option value="35_44"[^>]*selected', page)


def test_html_and_script_are_kept_as_text_and_shown_escaped(client, admin_client):
    script = "<script>alert('hi')</script> <b>bold</b>"
    client.post(form_url(), {"text": script})
    item = FeedbackItem.objects.get()
    assert item.text == script
    from waymark.accounts.factories import make_persona, verified_login

    staff = make_persona("staff")
    verified_login(client, staff)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page


def test_nul_characters_and_over_long_text_are_refused_without_losing_the_rest(client):
    response = client.post(form_url(), {"text": "Bad\x00text", "contact_name": "Kept name"})
    assert "Null characters are not allowed." in response.content.decode()
    assert 'value="Kept name"' in response.content.decode()
    long_text = "a" * 10_001
    page = client.post(form_url(), {"text": long_text}).content.decode()
    assert "Your message must be 10000 characters or fewer (it has 10001)" in page
    assert long_text in page
    assert not FeedbackItem.objects.exists()


def test_quoting_needs_consent_to_share(client):
    page = client.post(form_url(), {"text": "Something", "consent_to_publish": "on"}).content.decode()
    assert "also tick that we may share them" in page
    assert not FeedbackItem.objects.exists()


def test_the_honeypot_drops_spam_without_saying_so(client):
    response = client.post(form_url(), {"text": "Buy now", "website": "http://spam.example"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_the_rate_limit_answers_429_and_keeps_what_was_typed(client, settings):
    settings.VOICE_FEEDBACK_RATE = "2/m"
    for number in range(2):
        assert client.post(form_url(), {"text": f"Feedback {number}"}).status_code == 302
    response = client.post(form_url("pl"), {"text": "The third in a minute"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "The third in a minute" in page
    assert "Ten formularz został wysłany kilka razy w krótkim czasie" in page
    assert FeedbackItem.objects.count() == 2


def test_demographics_are_stored_apart_and_are_optional(client):
    group = EthnicGroup.objects.get(code_set__slug="ons-2021", code="4")
    client.post(form_url(), {"text": "With answers", "ethnic_group": group.pk, "faith": "muslim"})
    client.post(form_url(), {"text": "Without answers"})
    with_answers = FeedbackItem.objects.get(text="With answers")
    assert with_answers.demographics.ethnic_group == group and with_answers.demographics.faith == "muslim"
    assert not ItemDemographics.objects.filter(item__text="Without answers").exists()


def test_the_ethnic_groups_are_offered_in_the_language_of_the_page(client):
    page = client.get(form_url("bn")).content.decode()
    assert "পাকিস্তানি" in page  # Pakistani
    assert "Pakistani" not in page
