"""A practitioner's working day in voice: triage newest first after safeguarding with each item opening its
record, "request interpreting", and the venue of a conversation and quick mode for an outreach session."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.models import Language
from waymark.core.roles import Role
from waymark.voice import language, triage_queue
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import FeedbackItem, StaffLanguage
from waymark.voice.services import languages

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def _english() -> Language:
    return Language.objects.get(code="eng")


def _urdu() -> Language:
    return Language.objects.get(code="urd")


# --- Triage ------------------------------------------------------------------------------------------------


def test_triage_lists_safeguarding_first_then_the_newest(staff) -> None:
    older = FeedbackItemFactory(received_on=D(2026, 1, 5))
    newest = FeedbackItemFactory(received_on=D(2026, 3, 1))
    middle = FeedbackItemFactory(received_on=D(2026, 2, 1))
    urgent_old = FeedbackItemFactory(received_on=D(2025, 12, 1), safeguarding=True)
    assert list(triage_queue.new_items(staff)) == [urgent_old, newest, middle, older]


def test_each_triage_item_opens_its_record_and_one_in_another_language_can_be_sent_for_interpreting(
    client, staff
) -> None:
    urgent = FeedbackItemFactory(safeguarding=True, original_language=_english())
    in_urdu = FeedbackItemFactory(original_language=_urdu(), text="ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔")
    in_english = FeedbackItemFactory(original_language=_english())
    page = client.get(reverse("voice:triage")).text
    for item in (urgent, in_urdu, in_english):
        assert f'href="{item.get_absolute_url()}"' in page
    assert reverse("voice:item_request_interpreting", args=[in_urdu.uuid]) in page
    assert reverse("voice:item_request_interpreting", args=[in_english.uuid]) not in page


# --- Request interpreting ------------------------------------------------------------------------------------


def test_requesting_interpreting_puts_the_item_in_the_queue_with_who_asked_and_by_when(client, staff) -> None:
    item = FeedbackItemFactory(original_language=_urdu(), language_corrected=True, text="ایک بات")
    # Someone on staff reads Urdu, so the item would not be in the queue of its own accord.
    StaffLanguage.objects.create(user=make_persona(Role.STAFF), language=_urdu())
    assert not language.needing_interpreting().filter(pk=item.pk).exists()
    needed_by = timezone.localdate() + datetime.timedelta(days=3)
    url = reverse("voice:item_request_interpreting", args=[item.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"needed_by": needed_by.isoformat(), "next": reverse("voice:triage")})
    assert response.status_code == 302 and response["Location"] == reverse("voice:triage")
    item.refresh_from_db()
    assert item.interpreting_requested_by == staff
    assert item.interpreting_needed_by == needed_by and item.interpreter_needed
    assert language.needing_interpreting().filter(pk=item.pk).exists()
    queue = client.get(reverse("voice:interpreting_queue")).text
    row = queue[queue.index(f">{item.reference}</a>") :]
    row = row[: row.index("</tr>")]
    assert str(staff) in row and needed_by.strftime("%-d %b %Y") in row
    # Once someone writes the English summary the item leaves the queue.
    languages.correct_language(item=item, language=_urdu(), english_summary="Nobody understands us.", actor=staff)
    assert not language.needing_interpreting().filter(pk=item.pk).exists()


def test_interpreting_is_never_asked_for_a_past_date_nor_for_an_item_already_summarised(client, staff) -> None:
    item = FeedbackItemFactory(original_language=_urdu())
    url = reverse("voice:item_request_interpreting", args=[item.uuid])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = client.post(url, {"needed_by": yesterday.isoformat()})
    assert page.status_code == 200 and "must be today or later" in page.text
    summarised = FeedbackItemFactory(original_language=_urdu(), english_summary="Already summarised.")
    with pytest.raises(ValidationError):
        languages.request_interpreting(item=summarised, needed_by=None, actor=staff)


def test_the_back_link_after_requesting_interpreting_stays_on_this_site(client, staff) -> None:
    item = FeedbackItemFactory(original_language=_urdu())
    url = reverse("voice:item_request_interpreting", args=[item.uuid])
    response = client.post(url, {"next": "https://elsewhere.example/"})
    assert response["Location"] == item.get_absolute_url()


# --- Venue and quick mode ------------------------------------------------------------------------------------


def _record_data(**extra):
    return {
        "text": "The clinic never has leaflets in Bengali.",
        "received_on": timezone.localdate().isoformat(),
        "how_gathered": "outreach",
        "source_type": "individual",
        **extra,
    }


def test_the_record_form_keeps_the_venue_and_the_item_shows_it(client, staff) -> None:
    response = client.post(reverse("voice:item_record"), _record_data(venue="  Eid fair, Bow Road "))
    item = FeedbackItem.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert item.venue == "Eid fair, Bow Road"
    assert "Eid fair, Bow Road" in client.get(item.get_absolute_url()).text


def _session(conversations, **shared):
    data = {
        "received_on": timezone.localdate().isoformat(),
        "how_gathered": "outreach",
        "venue": "Tenants' coffee morning, Poplar",
        "conversation-TOTAL_FORMS": "6",
        "conversation-INITIAL_FORMS": "0",
        "conversation-MIN_NUM_FORMS": "0",
        "conversation-MAX_NUM_FORMS": "6",
        **shared,
    }
    for number, conversation in enumerate(conversations):
        for key, value in conversation.items():
            data[f"conversation-{number}-{key}"] = value
    return data


def test_quick_mode_records_several_conversations_from_one_session(client, staff) -> None:
    url = reverse("voice:session_record")
    assert client.get(url).status_code == 200
    conversations = [
        {"text": "The GP receptionist laughed at my accent.", "consent_to_share": "on"},
        {},  # left empty: skipped
        {"text": "ہسپتال میں کوئی ہماری بات نہیں سمجھتا۔", "original_language": str(_urdu().pk), "safeguarding": "on"},
    ]
    response = client.post(url, _session(conversations))
    assert response.status_code == 302
    items = list(FeedbackItem.objects.order_by("pk"))
    assert [item.text for item in items] == [conversations[0]["text"], conversations[2]["text"]]
    assert {item.venue for item in items} == {"Tenants' coffee morning, Poplar"}
    assert {item.how_gathered for item in items} == {"outreach"}
    assert all(item.submitted_by == staff for item in items)
    assert items[0].consent_to_share and not items[0].safeguarding
    assert items[1].safeguarding and items[1].original_language == _urdu() and items[1].language_corrected


def test_quick_mode_says_what_is_missing_and_saves_nothing(client, staff) -> None:
    url = reverse("voice:session_record")
    page = client.post(url, _session([{"consent_to_share": "on"}], venue=""))
    assert page.status_code == 200
    assert "Enter the venue or event where the conversations happened" in page.text
    assert re.search(r"Conversation 1: Enter what was said, or untick the boxes", page.text)
    page = client.post(url, _session([]))
    assert page.status_code == 200 and "Enter what was said in at least one conversation" in page.text
    assert not FeedbackItem.objects.exists()
