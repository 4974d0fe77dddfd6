"""Before a bulletin goes: a preview of the e-mail, a test copy to oneself, and a question naming how
many people it goes to, asked again if that number changes before the answer."""

import pytest
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import BulletinFactory, DistributionListFactory
from waymark.network.models import BulletinRecipient, BulletinStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    user.full_name = "Sam Writer"
    user.email = "sam.writer@example.org"
    user.save()
    verified_login(client, user)
    return user


@pytest.fixture
def bulletin():
    network = NetworkFactory(name="Riverside Mental Health Network")
    for name in ("Asha", "Bola"):
        MembershipFactory(network=network, contact=ContactFactory(name=name, email=f"{name.lower()}@example.org"))
    MembershipFactory(network=network, contact=ContactFactory(name="Dev", consent_to_contact=False, lawful_basis=""))
    return BulletinFactory(
        distribution_list=DistributionListFactory(network=network, name="Everyone"),
        subject="Winter news",
        body="## Warm spaces\n\nOpen **every weekday**.\n\n<script>alert(1)</script>",
    )


def send_url(bulletin):
    return reverse("network:bulletin_send", args=[bulletin.uuid])


def test_the_question_previews_the_email_and_names_how_many_it_goes_to(client, staff, bulletin):
    page = client.get(send_url(bulletin)).content.decode()
    assert "Send “Winter news” to 2 people?" in page
    assert "1 will be skipped: 1 no consent to be contacted." in page
    assert "<strong>every weekday</strong>" in page and "<script>alert(1)" not in page
    assert "Hello Sam Writer," in page  # the plain-text version as the sender would get it
    assert 'name="recipients" value="2"' in page
    assert "Yes, send it to 2 people" in page
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and not EmailDelivery.objects.exists()


def test_a_test_goes_to_the_sender_alone_and_sends_nothing_else(
    client, staff, bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("network:bulletin_send_test", args=[bulletin.uuid]), follow=True)
        client.post(reverse("network:bulletin_send_test", args=[bulletin.uuid]))

    assert "A test was sent to sam.writer@example.org." in first.content.decode()
    assert first.redirect_chain[-1][0] == send_url(bulletin)
    assert [message.to for message in mailoutbox] == [["sam.writer@example.org"]] * 2  # each press sends one
    assert mailoutbox[0].subject == "Test: Winter news"
    assert "Hello Sam Writer," in mailoutbox[0].body
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT
    assert not BulletinRecipient.objects.exists()


def test_sending_needs_the_number_the_sender_saw(client, staff, bulletin):
    unanswered = client.post(send_url(bulletin))
    assert unanswered.status_code == 200 and "Send “Winter news” to 2 people?" in unanswered.content.decode()

    # Someone joins the network between the question and the answer: the question is asked again.
    MembershipFactory(network=bulletin.network, contact=ContactFactory(name="Chen", email="chen@example.org"))
    stale = client.post(send_url(bulletin), {"recipients": "2"})
    page = stale.content.decode()
    assert "The number of people it goes to has changed." in page
    assert "Send “Winter news” to 3 people?" in page
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT

    sent = client.post(send_url(bulletin), {"recipients": "3"})
    assert sent["Location"] == bulletin.get_absolute_url()
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.sent_count) == (BulletinStatus.SENT, 3)


def test_the_draft_page_leads_to_the_question_not_straight_to_sending(client, staff, bulletin):
    page = client.get(bulletin.get_absolute_url()).content.decode()
    assert f'href="{send_url(bulletin)}"' in page
    assert f'action="{send_url(bulletin)}"' not in page


def test_others_can_neither_preview_nor_test(client, bulletin):
    verified_login(client, make_persona(Role.MEMBER, organisation=bulletin.network.organisation))
    assert client.get(send_url(bulletin)).status_code == 403
    assert client.post(reverse("network:bulletin_send_test", args=[bulletin.uuid])).status_code == 403
