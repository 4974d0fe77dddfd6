"""Staff intake: recording gathered items, language detection, the interpreting queue, the languages staff
read, and the personal data items hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from waymark.accounts.factories import make_persona, verified_login
from waymark.core import personal_data
from waymark.core.models import Language
from waymark.core.roles import Role
from waymark.voice import language
from waymark.voice.factories import FeedbackItemFactory, ItemDemographicsFactory
from waymark.voice.models import FeedbackItem, ItemDemographics, StaffLanguage
from waymark.voice.services import intake, languages

pytestmark = pytest.mark.django_db

SOMALI_TEXT = "Waxaan rabaa in aan la hadlo takhtar af Soomaali ku hadla. Ballanta waxay qaadatay muddo dheer."
POLISH_TEXT = "Nie mogę znaleźć lekarza, który mówi po polsku. Czekam na wizytę od trzech miesięcy."


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def detected(text: str) -> FeedbackItem:
    item = FeedbackItemFactory(text=text)
    return languages.detect_language(item.pk)


def test_detection_names_the_language_in_iso_639_3():
    result = language.detect(POLISH_TEXT)
    assert (result.detector_code, result.iso639_3) == ("pl", "pol")
    assert result.confidence > 0.9


def test_the_html_lang_of_a_language_is_its_shortest_code():
    assert language.html_lang("som") == "so" and language.html_lang("urd") == "ur"
    assert language.html_lang("syl") == "syl"  # Sylheti has no two-letter code


def test_a_few_words_are_never_detected_with_confidence():
    assert language.detect("ok thanks").confidence <= language.SHORT_TEXT_CONFIDENCE_CAP
    assert language.detect("12345 !!!") == language.Detection("", "", 0.0)


@given(st.text(max_size=60))
def test_detection_never_fails_whatever_the_text(text):
    result = language.detect(text)
    assert 0.0 <= result.confidence <= 1.0


def test_detection_is_safe_to_run_twice_and_never_overrides_a_person(staff):
    item = detected(POLISH_TEXT)
    assert item.original_language.code == "pol"
    assert languages.detect_language(item.pk).original_language.code == "pol"
    english = Language.objects.get(code="eng")
    languages.correct_language(item=item, language=english, actor=staff)
    assert languages.detect_language(item.pk).original_language == english
    assert languages.detect_language(10**9) is None


def test_an_item_in_a_language_nobody_reads_needs_interpreting_until_someone_does(staff):
    item = detected(SOMALI_TEXT)
    assert item.original_language.code == "som"
    assert item in language.needing_interpreting()
    languages.set_staff_languages(user=staff, languages=[Language.objects.get(code="som")], actor=staff)
    assert item not in language.needing_interpreting()
    staff.is_active = False
    staff.save()
    assert item in language.needing_interpreting()


def test_english_needs_no_listed_reader_and_undetected_items_wait():
    english = detected("The crisis line kept me on hold for forty minutes and then the call dropped.")
    assert english.original_language.code == "eng"
    waiting = FeedbackItemFactory(text=SOMALI_TEXT)  # detection has not run yet
    queue = language.needing_interpreting()
    assert english not in queue and waiting not in queue


def test_low_confidence_needs_a_person_to_check_and_a_summary_ends_interpreting(staff):
    item = detected("ok then")
    assert item.language_confidence < language.CONFIDENCE_THRESHOLD
    assert item in language.needing_interpreting()
    languages.correct_language(item=item, language=Language.objects.get(code="eng"), actor=staff)
    assert item not in language.needing_interpreting()
    somali = detected(SOMALI_TEXT)
    languages.correct_language(
        item=somali, language=somali.original_language, english_summary="Wants a Somali-speaking doctor.", actor=staff
    )
    assert somali not in language.needing_interpreting()


def test_staff_correct_the_language_from_the_queue(client, staff):
    item = detected(SOMALI_TEXT)
    queue = client.get(reverse("voice:interpreting_queue")).content.decode()
    assert item.reference in queue
    polish = Language.objects.get(code="pol")
    response = client.post(
        reverse("voice:item_language", args=[item.uuid]),
        {"original_language": polish.pk, "english_summary": "", "interpreter_needed": "on"},
    )
    assert response.url == item.get_absolute_url()
    item.refresh_from_db()
    assert item.original_language == polish and item.language_corrected and item.interpreter_needed
    assert item.history.first().history_user == staff


def test_staff_list_the_languages_they_read(client, staff):
    urdu, bengali = Language.objects.get(code="urd"), Language.objects.get(code="ben")
    client.post(reverse("voice:my_languages"), {"languages": [urdu.pk, bengali.pk]})
    client.post(reverse("voice:my_languages"), {"languages": [urdu.pk]})
    assert list(StaffLanguage.objects.filter(user=staff).values_list("language__code", flat=True)) == ["urd"]
    colleague = make_persona(Role.STAFF, full_name="Colleague Reader")
    languages.set_staff_languages(user=colleague, languages=[bengali], actor=colleague)
    page = client.get(reverse("voice:my_languages")).content.decode()
    assert "checked" in page
    assert "Who on staff reads what" in page and "Colleague Reader" in page


def test_staff_record_an_item_gathered_at_an_event(client, staff, django_capture_on_commit_callbacks):
    urdu = Language.objects.get(code="urd")
    data = {
        "text": "Women at the coffee morning said the ward has no female Urdu-speaking counsellor.",
        "english_summary": "",
        "received_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "how_gathered": "event",
        "source_type": "group",
        "original_language": urdu.pk,
        "consent_to_share": "on",
        "safeguarding": "",
        "age_band": "45_54",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voice:item_record"), data)
    item = FeedbackItem.objects.get()
    assert response.url == item.get_absolute_url()
    assert item.submitted_by == staff and item.how_gathered == "event" and item.source_type == "group"
    # The language a person gave is taken as checked: no detection is queued to second-guess it.
    assert item.original_language == urdu and item.language_corrected
    assert item.language_detected_at is None
    assert item in language.needing_interpreting()  # nobody on staff has said they read Urdu
    assert item.demographics.age_band == "45_54"
    page = client.get(item.get_absolute_url()).content.decode()
    assert "45 to 54" not in page  # demographics are never shown beside the words


def test_a_staff_entry_error_keeps_what_was_typed(client, staff):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {"text": "Kept words", "received_on": tomorrow, "how_gathered": "phone", "source_type": "individual"}
    page = client.post(reverse("voice:item_record"), data).content.decode()
    assert "The date must be today or in the past." in page
    assert "Kept words" in page
    assert not FeedbackItem.objects.exists()


def test_the_item_list_pages_without_a_query_per_row(client, staff, django_assert_max_num_queries):
    for _number in range(30):
        detected(POLISH_TEXT)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("voice:item_list")).content.decode()
    assert "Page 1 of 2" in page
    with django_assert_max_num_queries(12):
        client.get(reverse("voice:interpreting_queue"))


def test_responders_and_the_public_cannot_read_items(client):
    item = FeedbackItemFactory()
    assert client.get(item.get_absolute_url()).status_code == 302
    verified_login(client, make_persona(Role.RESPONDER))
    assert client.get(item.get_absolute_url()).status_code == 403
    assert not FeedbackItem.objects.visible_to(make_persona(Role.RESPONDER)).exists()


def test_a_persons_contact_details_words_and_answers_are_exported_and_erased(staff):
    item = FeedbackItemFactory(
        contact_email="person@example.org", contact_phone="0161 496 0000", text="My story", consent_to_publish=True
    )
    intake.set_public_quote(item=item, public_quote="My edited story", actor=staff)
    ItemDemographicsFactory(item=item)
    other = FeedbackItemFactory(contact_email="someone.else@example.org")
    identity = personal_data.PersonIdentity(phone="01614960000")
    found = personal_data.find_personal_data(identity)
    assert list(found["voice.feedback_contact"]) == [item]
    assert found["voice.item_demographics"].count() == 1
    personal_data.erase_personal_data(identity, actor=staff)
    item.refresh_from_db()
    assert (item.contact_email, item.contact_phone, item.text, item.public_quote) == ("", "", "", "")
    assert not ItemDemographics.objects.filter(item=item).exists()
    assert not item.history.filter(text="My story").exists()
    assert not item.history.filter(public_quote="My edited story").exists()
    other.refresh_from_db()
    assert other.contact_email == "someone.else@example.org"


def test_retention_erases_contact_details_after_a_year_and_deletes_answers_after_two():
    item = FeedbackItemFactory(contact_email="old@example.org", text="Old words")
    ItemDemographicsFactory(item=item)
    FeedbackItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    personal_data.enforce_retention()
    item.refresh_from_db()
    assert item.contact_email == "" and item.text == "Old words"
    assert ItemDemographics.objects.filter(item=item).exists()
    ItemDemographics.objects.filter(item=item).update(created_at=timezone.now() - datetime.timedelta(days=800))
    personal_data.enforce_retention()
    assert not ItemDemographics.objects.filter(item=item).exists()


def test_retention_blanks_the_quoted_words_with_the_words_after_six_years(staff):
    item = FeedbackItemFactory(text="Old words", consent_to_publish=True)
    intake.set_public_quote(item=item, public_quote="Old edited words", actor=staff)
    FeedbackItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - datetime.timedelta(days=7 * 365))
    personal_data.enforce_retention()
    item.refresh_from_db()
    assert (item.text, item.public_quote) == ("", "")
    assert not item.history.filter(public_quote="Old edited words").exists()


def test_staff_write_the_words_we_may_quote_on_the_item_page(client, staff):
    item = FeedbackItemFactory(text="My neighbour Amina at 4 Acacia Road saw it too.", consent_to_publish=True)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Words we may quote" in page and "Nothing is quoted yet." in page
    assert "Remove names, places, relationships" in page

    response = client.post(
        reverse("voice:item_quote", args=[item.uuid]), {"public_quote": "  A neighbour saw it too.  "}
    )

    assert response.url == item.get_absolute_url()
    item.refresh_from_db()
    assert item.public_quote == "A neighbour saw it too."
    assert item.history.first().history_user == staff
    page = client.get(item.get_absolute_url()).content.decode()
    assert "A neighbour saw it too." in page


def test_the_quote_form_refuses_nul_characters(client, staff):
    item = FeedbackItemFactory(consent_to_publish=True)
    response = client.post(reverse("voice:item_quote", args=[item.uuid]), {"public_quote": "Bad\x00words"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    item.refresh_from_db()
    assert item.public_quote == ""
    with pytest.raises(ValidationError, match="must not contain a NUL character"):
        intake.set_public_quote(item=item, public_quote="Bad\x00words", actor=staff)


def test_words_cannot_be_quoted_without_consent(client, staff):
    item = FeedbackItemFactory(consent_to_publish=False)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Words we may quote" not in page

    response = client.post(reverse("voice:item_quote", args=[item.uuid]), {"public_quote": "Some words"})

    assert response.status_code == 200
    assert "The person did not agree to be quoted" in response.content.decode()
    item.refresh_from_db()
    assert item.public_quote == ""
    with pytest.raises(ValidationError):
        intake.set_public_quote(item=item, public_quote="Some words", actor=staff)


def test_only_staff_may_write_the_words_we_may_quote(client):
    item = FeedbackItemFactory(consent_to_publish=True)
    verified_login(client, make_persona(Role.RESPONDER))
    response = client.post(reverse("voice:item_quote", args=[item.uuid]), {"public_quote": "Some words"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.public_quote == ""
