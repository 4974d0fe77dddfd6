""" "Tell me what happens about this": asked for on the public form and by staff at intake, only with an
e-mail address to send to, and erased with the contact details."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core import personal_data
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import FeedbackItem
from waymark.voice.services import intake

pytestmark = pytest.mark.django_db

REFUSAL = "Give an e-mail address to be told what happens, or untick the box"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def form_url(lang: str = "en-gb") -> str:
    return reverse("voice:feedback", kwargs={"lang": lang})


def test_the_public_form_offers_the_choice_beside_the_email_address(client):
    page = client.get(form_url()).content.decode()
    assert "Tell me what happens about this" in page
    assert page.index('name="contact_email"') < page.index('name="wants_updates"')


def test_the_public_form_refuses_the_box_ticked_without_an_email_and_keeps_what_was_typed(client):
    response = client.post(form_url(), {"text": "Kept words about the clinic.", "wants_updates": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["contact_email"] == [REFUSAL]
    assert "Kept words about the clinic." in page
    assert not FeedbackItem.objects.exists()


def test_the_refusal_is_in_the_persons_language(client):
    response = client.post(form_url("pl"), {"text": "Słowa", "wants_updates": "on"})
    assert response.context["form"].errors["contact_email"] == [
        "Podaj adres e-mail, aby dowiedzieć się, co się wydarzy, albo odznacz to pole"
    ]


def test_the_public_form_saves_the_wish_with_an_email(client, django_capture_on_commit_callbacks):
    data = {"text": "Words about the clinic.", "contact_email": "me@example.org", "wants_updates": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(), data)
    item = FeedbackItem.objects.get()
    assert item.wants_updates and item.contact_email == "me@example.org"


def test_without_the_box_nobody_is_signed_up(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(), {"text": "Words.", "contact_email": "me@example.org"})
    assert FeedbackItem.objects.get().wants_updates is False


def _staff_data(**extra: str) -> dict[str, str]:
    return {
        "text": "Said at the drop-in.",
        "received_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "how_gathered": "event",
        "source_type": "individual",
        **extra,
    }


def test_staff_intake_refuses_the_box_ticked_without_an_email(client):
    verified_login(client, make_persona(Role.STAFF))
    response = client.post(reverse("voice:item_record"), _staff_data(wants_updates="on"))
    assert "Give the person&#x27;s e-mail address to tell them what happens" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_staff_intake_records_the_wish(client, django_capture_on_commit_callbacks):
    verified_login(client, make_persona(Role.STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("voice:item_record"), _staff_data(wants_updates="on", contact_email="p@example.org"))
    assert FeedbackItem.objects.get().wants_updates


def test_the_services_refuse_it_without_an_email_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        intake.submit_public_feedback(
            text="Words", consent_to_share=False, consent_to_publish=False, wants_updates=True
        )
    assert refused.value.message_dict == {"contact_email": [REFUSAL]}
    with pytest.raises(ValidationError) as refused:
        intake.record_item(
            actor=None,
            text="Words",
            received_on=timezone.localdate(),
            how_gathered="event",
            source_type="individual",
            contact_email="  ",
            wants_updates=True,
        )
    assert "contact_email" in refused.value.message_dict
    assert not FeedbackItem.objects.exists()


def test_erasing_the_contact_details_also_stops_the_updates():
    item = FeedbackItemFactory(contact_email="gone@example.org", wants_updates=True)
    personal_data.erase_personal_data(personal_data.PersonIdentity(email="gone@example.org"), actor=None)
    item.refresh_from_db()
    assert (item.contact_email, item.wants_updates) == ("", False)
